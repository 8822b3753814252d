package org.berth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import org.berth.ui.containers.ContainersView;
import org.berth.ui.internal.app.AboutDialog;
import org.berth.ui.internal.app.BerthWorkbenchAdvisor;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IViewReference;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Boots the real workbench under Xvfb and checks what a user sees first. */
@ExtendWith(Workbench.class)
class WorkbenchStartupTest {

	private static IWorkbenchWindow window() {
		return Workbench.window();
	}

	@Test
	void opensTheBerthPerspectiveWithTheContainersView() throws Exception {
		String perspective = Workbench.sync(() -> window().getActivePage().getPerspective().getId());
		assertEquals(BerthWorkbenchAdvisor.PERSPECTIVE_ID, perspective);

		IWorkbenchPage page = Workbench.sync(() -> window().getActivePage());
		IViewReference[] views = Workbench.sync(page::getViewReferences);
		assertTrue(Arrays.stream(views).anyMatch(v -> v.getId().equals(ContainersView.ID)),
				"the Containers view is open: " + Arrays.toString(views));
		String title = Workbench.sync(() -> page.findViewReference(ContainersView.ID).getPartName());
		assertEquals("Containers", title, "the view's title is localized from plugin.properties");
		Boolean tableShown = Workbench.sync(() -> {
			Control table = Widgets.byId(window().getShell(), "containers.table");
			return table.isVisible();
		});
		assertTrue(tableShown, "the containers table is visible");

		Shell shell = Workbench.sync(() -> window().getShell());
		assertEquals(BerthWorkbenchAdvisor.WINDOW_TITLE, Workbench.sync(shell::getText));
		assertTrue(Workbench.sync(() -> shell.getImages().length) >= 1, "the window has the Berth icon");

		Path png = Screenshots.save(shell, "workbench");
		assertTrue(Files.size(png) > 1000, "screenshot written: " + png);
	}

	@Test
	void aboutDialogShowsTheVersion() throws Exception {
		Shell parent = Workbench.sync(() -> window().getShell());
		AboutDialog[] dialog = new AboutDialog[1];
		Workbench.syncRun(() -> {
			dialog[0] = new AboutDialog(parent);
			dialog[0].setBlockOnOpen(false);
			dialog[0].open();
		});
		try {
			Workbench.waitUntil("the About dialog is visible", Duration.ofSeconds(10),
					() -> Workbench.sync(() -> dialog[0].getShell() != null && dialog[0].getShell().isVisible()));
			String version = Workbench.sync(
					() -> ((Label) Widgets.byId(dialog[0].getShell(), "about.version")).getText());
			assertNotNull(version);
			assertTrue(version.matches("Berth \\d+\\.\\d+\\.\\d+.*"), version);
			assertEquals("About Berth", Workbench.sync(() -> dialog[0].getShell().getText()));
			Screenshots.save(Workbench.sync(() -> dialog[0].getShell()), "about");
		} finally {
			Workbench.syncRun(() -> dialog[0].close());
		}
	}
}
