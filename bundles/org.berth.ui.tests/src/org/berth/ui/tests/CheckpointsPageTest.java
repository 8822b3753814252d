package org.berth.ui.tests;

import static org.berth.ui.tests.Workbench.window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.berth.core.CheckpointInfo;
import org.berth.core.ContainerKind;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.ui.editor.CheckpointsPage;
import org.berth.ui.editor.ContainerEditor;
import org.berth.ui.handlers.BerthCommands;
import org.berth.ui.handlers.CheckpointDialog;
import org.berth.ui.handlers.OpenContainerHandler;
import org.berth.ui.jobs.BerthJobs;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.commands.ICommandService;
import org.eclipse.ui.handlers.IHandlerService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The editor's Checkpoints page on a real container and CRIU: Container > Checkpoint… through its dialog, the
 * checkpoint listed, Restore from the page, Delete (the Delete key) with its confirmation. Screenshots:
 * {@code checkpoint-dialog.png}, {@code checkpoints-page.png}.
 */
class CheckpointsPageTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(120);
	private static final String A = "ckui-a";

	@RegisterExtension
	static final Workbench workbench = Workbench.withContainers();

	private static boolean enabled(String command) {
		return Workbench.sync(() -> window().getService(ICommandService.class).getCommand(command).isEnabled());
	}

	private ContainerState state() {
		return workbench.engine().get(A).orElseThrow().state();
	}

	@Test
	void aCheckpointTakenThroughTheDialogIsListedRestoredAndDeleted() throws Exception {
		workbench.run(ContainerSpec.builder(A).kind(ContainerKind.APPLICATION).template("busybox")
				.init(List.of("/bin/sh", "-c", "while true; do sleep 1; done")).build());
		ContainerEditor editor = Workbench.sync(() -> {
			try {
				return OpenContainerHandler.open(window().getActivePage(), A);
			} catch (Exception e) {
				throw new AssertionError(e);
			}
		});
		CheckpointsPage page = Workbench.sync(editor::checkpointsPage);
		Workbench.syncRun(() -> editor.showPage(editor.checkpointsPageIndex()));
		Workbench.waitUntil("the page says there are none", TIMEOUT, () -> Workbench.sync(page::status).contains(
				"has no checkpoints"));
		Workbench.waitUntil("Checkpoint... is enabled for the running container", TIMEOUT,
				() -> enabled(BerthCommands.CHECKPOINT));
		assertFalse(enabled(BerthCommands.RESTORE_CHECKPOINT), "a running container cannot be restored");

		// Container > Checkpoint…: the dialog, a name, the container stops once it is written
		Workbench.display().asyncExec(() -> {
			try {
				window().getService(IHandlerService.class).executeCommand(BerthCommands.CHECKPOINT, null);
			} catch (Exception e) {
				throw new IllegalStateException(e);
			}
		});
		String title = CheckpointDialog.title(A);
		Workbench.waitUntil("the Checkpoint dialog", TIMEOUT, () -> Workbench.sync(() -> Widgets.shell(title) != null));
		Shell dialog = Workbench.sync(() -> Widgets.shell(title));
		Workbench.syncRun(() -> {
			Text name = Widgets.byId(dialog, "checkpoint.name");
			Widgets.type(name, "bad name");
		});
		assertFalse(Workbench.sync(() -> Widgets.button(dialog, "Checkpoint").isEnabled()), "a name with a space");
		assertTrue(Workbench.sync(() -> Widgets.<org.eclipse.swt.widgets.Label>byId(dialog, "checkpoint.problem")
				.getText()).startsWith("\"bad name\" is not a valid checkpoint name"));
		assertTrue(Workbench.sync(() -> {
			Button tcp = Widgets.byId(dialog, "checkpoint.tcp");
			Rectangle b = Workbench.display().map(tcp.getParent(), dialog, tcp.getBounds());
			return b.y + b.height <= dialog.getClientArea().height;
		}), "the sentence does not push the options out of the dialog");
		Workbench.syncRun(() -> {
			while (Workbench.display().readAndDispatch()) {
				// paint what changed before the picture
			}
		});
		Screenshots.save(dialog, "checkpoint-dialog");
		Workbench.syncRun(() -> Widgets.type(Widgets.byId(dialog, "checkpoint.name"), "first"));
		assertTrue(Workbench.sync(() -> Widgets.button(dialog, "Checkpoint").isEnabled()));
		Workbench.syncRun(() -> Widgets.click(Widgets.button(dialog, "Checkpoint")));
		Widgets.awaitJobs(BerthJobs.FAMILY, TIMEOUT);
		Workbench.waitUntil("the page lists the checkpoint", TIMEOUT, () -> Workbench.sync(page::shown).stream()
				.map(CheckpointInfo::name).toList().equals(List.of("first")));
		assertEquals(ContainerState.STOPPED, state(), "not kept running");
		Table table = Workbench.sync(() -> Widgets.byId(window().getShell(), "editor.checkpoints.table"));
		assertEquals("first", Workbench.sync(() -> table.getItem(0).getText(0)));
		assertEquals("no", Workbench.sync(() -> table.getItem(0).getText(3)), "TCP connections not saved");
		assertTrue(Workbench.sync(() -> table.getItem(0).getText(4)).endsWith("/checkpoints/first"),
				Workbench.sync(() -> table.getItem(0).getText(4)));
		assertTrue(Workbench.sync(page::status).startsWith("1 checkpoint, "), Workbench.sync(page::status));
		int columns = Workbench.sync(() -> java.util.Arrays.stream(table.getColumns()).mapToInt(c -> c.getWidth())
				.sum());
		int width = Workbench.sync(() -> table.getClientArea().width);
		assertTrue(columns <= width, "every column shows whole: " + columns + " px in " + width);
		Workbench.waitUntil("Restore Checkpoint is enabled for the stopped container", TIMEOUT,
				() -> enabled(BerthCommands.RESTORE_CHECKPOINT));
		assertFalse(enabled(BerthCommands.CHECKPOINT), "a stopped container cannot be checkpointed");

		// Restore on the page: running again, the checkpoint stays
		Button restore = Workbench.sync(() -> Widgets.byId(window().getShell(), "editor.checkpoints.restore"));
		Workbench.syncRun(() -> {
			table.setFocus();
			table.setSelection(0);
			table.notifyListeners(org.eclipse.swt.SWT.Selection, new org.eclipse.swt.widgets.Event());
			Widgets.click(restore);
		});
		Widgets.awaitJobs(BerthJobs.FAMILY, TIMEOUT);
		assertEquals(ContainerState.RUNNING, state());
		Workbench.waitUntil("Restore is disabled for the running container, and says why", TIMEOUT,
				() -> Workbench.sync(() -> !restore.isEnabled() && ("Stop \"" + A
						+ "\" to restore a checkpoint: it is running").equals(restore.getToolTipText())));
		assertEquals(List.of("first"), Workbench.sync(page::shown).stream().map(CheckpointInfo::name).toList());
		assertEquals(0, Workbench.sync(table::getSelectionIndex), "the selection stays across the refresh");
		assertTrue(Workbench.sync(() -> Widgets.<Text>byId(window().getShell(), "editor.checkpoints.folder").getText())
				.matches("Folder: /.*/checkpoints/first"));
		Screenshots.save(Workbench.sync(() -> window().getShell()), "checkpoints-page");

		// Delete asks first; the Delete key on the table does what the button does
		assertTrue(Workbench.sync(() -> Widgets.<Button>byId(window().getShell(), "editor.checkpoints.delete")
				.isEnabled()));
		Workbench.display().asyncExec(() -> {
			org.eclipse.swt.widgets.Event del = new org.eclipse.swt.widgets.Event();
			del.keyCode = org.eclipse.swt.SWT.DEL;
			table.notifyListeners(org.eclipse.swt.SWT.KeyDown, del);
		});
		Workbench.waitUntil("the confirmation", TIMEOUT, () -> Workbench.sync(() -> Widgets.shell(
				"Delete Checkpoint") != null));
		Workbench.syncRun(() -> Widgets.click(Widgets.button(Widgets.shell("Delete Checkpoint"), "OK")));
		Widgets.awaitJobs(BerthJobs.FAMILY, TIMEOUT);
		Workbench.waitUntil("the page lists none", TIMEOUT, () -> Workbench.sync(page::shown).isEmpty());
		assertEquals(List.of(), Workbench.get(workbench.engine().checkpoints(A)));
	}
}
