package org.berth.ui.tests;

import static org.berth.ui.tests.Workbench.window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.berth.core.ContainerDiff;
import org.berth.core.ContainerSpec;
import org.berth.core.ExecRequest;
import org.berth.core.Limits;
import org.berth.core.Sizes;
import org.berth.ui.compare.CompareDialog;
import org.berth.ui.editor.ContainerEditor;
import org.berth.ui.handlers.OpenContainerHandler;
import org.berth.ui.jobs.BerthJobs;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The editor's Snapshots page on a real container (a snapshot taken by the engine, one by the page) and the Compare
 * dialog on two containers, one made from a snapshot of the other and then changed. Screenshots:
 * {@code snapshots-page.png}, {@code compare.png}.
 */
class SnapshotsPageTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);
	private static final String A = "snapui-a";
	private static final String B = "snapui-b";

	@RegisterExtension
	static final Workbench workbench = Workbench.withContainers();

	@Test
	void theSnapshotsPageListsTakesAndShowsThem() throws Exception {
		workbench.define(ContainerSpec.builder(A).template("busybox").build());
		Workbench.get(workbench.engine().createSnapshot(A, "before-upgrade"));
		ContainerEditor editor = Workbench.sync(() -> {
			try {
				return OpenContainerHandler.open(window().getActivePage(), A);
			} catch (Exception e) {
				throw new AssertionError(e);
			}
		});
		Workbench.syncRun(() -> editor.showPage(editor.snapshotsPageIndex()));
		Workbench.waitUntil("the page lists the snapshot", TIMEOUT,
				() -> Workbench.sync(editor::snapshotNames).equals(List.of("before-upgrade")));
		Workbench.syncRun(() -> editor.takeSnapshot("from-the-console"));
		Widgets.awaitJobs(BerthJobs.FAMILY, TIMEOUT);
		Workbench.waitUntil("the page lists both", TIMEOUT, () -> Workbench.sync(editor::snapshotNames).equals(List.of(
				"before-upgrade", "from-the-console")));
		Table table = Workbench.sync(() -> Widgets.byId(window().getShell(), "editor.snapshots.table"));
		assertEquals("from-the-console", Workbench.sync(() -> table.getItem(1).getText(0)));
		assertTrue(Workbench.sync(() -> table.getItem(1).getText(2)).endsWith("MiB"), "its size is shown");
		int columns = Workbench.sync(() -> java.util.Arrays.stream(table.getColumns()).mapToInt(c -> c.getWidth())
				.sum());
		assertTrue(columns <= Workbench.sync(() -> table.getClientArea().width), "every column shows whole");
		String status = Workbench.sync(() -> ((Label) Widgets.byId(window().getShell(), "editor.snapshots.status"))
				.getText());
		assertTrue(status.startsWith("2 snapshots, "), status);
		assertEquals(2, Workbench.get(workbench.engine().snapshots(A)).size());
		Workbench.syncRun(() -> {
			table.setSelection(0);
			table.notifyListeners(org.eclipse.swt.SWT.Selection, new org.eclipse.swt.widgets.Event());
		});
		assertTrue(Workbench.sync(() -> ((org.eclipse.swt.widgets.Button) Widgets.byId(window().getShell(),
				"editor.snapshots.restore")).isEnabled()), "a stopped container's snapshot can be restored");
		assertTrue(Workbench.sync(() -> ((org.eclipse.swt.widgets.Button) Widgets.byId(window().getShell(),
				"editor.snapshots.compare")).isEnabled()));
		Screenshots.save(Workbench.sync(() -> window().getShell()), "snapshots-page");
	}

	@Test
	void compareShowsTwoContainersSideBySide() throws Exception {
		workbench.define(ContainerSpec.builder(A).template("busybox").build());
		Workbench.get(workbench.engine().createSnapshot(A, "s0"));
		workbench.track(B);
		Workbench.get(workbench.engine().createFromSnapshot(A, "s0", B));
		Workbench.get(workbench.engine().setLimits(B, Limits.NONE.withMemoryBytes(64 * Sizes.MIB)));
		Workbench.get(workbench.engine().start(B));
		var r = Workbench.get(workbench.engine().exec(B, ExecRequest.of("sh", "-c",
				"echo welcome > /etc/motd && rm /etc/hostname && chmod 700 /home")));
		assertEquals(0, r.exitCode(), r.stderrText());

		CompareDialog dialog = Workbench.sync(() -> {
			CompareDialog d = new CompareDialog(window().getShell(), workbench.engine(), A, B);
			d.setBlockOnOpen(false);
			d.open();
			return d;
		});
		Workbench.waitUntil("the comparison", TIMEOUT, () -> dialog.result() != null);
		Widgets.awaitJobs(BerthJobs.FAMILY, TIMEOUT);
		ContainerDiff d = dialog.result();
		assertEquals(List.of("memory"), d.spec().stream().map(c -> c.field()).toList());
		Workbench.waitUntil("the rows", TIMEOUT, () -> Workbench.sync(dialog::fileRows).size() == 3);
		assertEquals(List.of("- /etc/hostname", "+ /etc/motd", "~ /home"), Workbench.sync(
				dialog::fileRows));
		Screenshots.save(Workbench.sync(dialog::getShell), "compare");
		Workbench.syncRun(dialog::close);
	}
}
