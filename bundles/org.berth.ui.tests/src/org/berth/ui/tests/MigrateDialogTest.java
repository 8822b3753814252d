package org.berth.ui.tests;

import static org.berth.ui.tests.ScriptedMigrations.check;
import static org.berth.ui.tests.ScriptedMigrations.cleanUp;
import static org.berth.ui.tests.ScriptedMigrations.dump;
import static org.berth.ui.tests.ScriptedMigrations.live;
import static org.berth.ui.tests.ScriptedMigrations.restore;
import static org.berth.ui.tests.ScriptedMigrations.send;
import static org.berth.ui.tests.ScriptedMigrations.sent;
import static org.berth.ui.tests.ScriptedMigrations.steps;
import static org.berth.ui.tests.Workbench.window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.berth.core.BerthException;
import org.berth.core.ContainerKind;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.MigrationProgress;
import org.berth.core.MigrationProgress.Phase;
import org.berth.core.SshUrl;
import org.berth.ui.containers.ContainersView;
import org.berth.ui.editor.ContainerEditor;
import org.berth.ui.handlers.BerthCommands;
import org.berth.ui.handlers.MigrateActions;
import org.berth.ui.handlers.MigrateDialog;
import org.berth.ui.handlers.MigrationPhases;
import org.berth.ui.handlers.OpenContainerHandler;
import org.berth.ui.jobs.BerthJobs;
import org.berth.ui.preferences.BerthPreferences;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Listener;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.commands.ICommandService;
import org.eclipse.ui.handlers.IHandlerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Container > Migrate… end to end in the console, over the tests' engine with a migration the test plays step by
 * step ({@link ScriptedMigrations}): the dialog offers the last target, refuses one that does not parse with SshUrl's
 * sentence, starts on Enter, lists the phases as they pass with a bar for the current one, cannot be closed half-way,
 * and ends with the downtime and the bytes sent; a failure shows the engine's sentence and marks its phase. The
 * editor's Migrate… says why it is disabled for a frozen container. Screenshots: {@code migrate-dialog.png} (a live
 * migration done), {@code migrate-dialog-running.png}, {@code migrate-dialog-failed.png}, {@code editor-migrate.png}
 * (the editor's Overview).
 */
class MigrateDialogTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);
	private static final String LIVE = "uit-mig-live";
	private static final String STOPPED = "uit-mig-stopped";
	private static final String TARGET = "ssh://root@127.0.0.1:2222";

	@RegisterExtension
	static final Workbench workbench = Workbench.withContainers();

	private ScriptedMigrations migrations;
	private String targetsBefore;

	@BeforeEach
	void scriptedEngine() {
		migrations = new ScriptedMigrations(workbench.engine());
		targetsBefore = BerthPreferences.store().getString(BerthPreferences.MIGRATION_TARGETS);
		BerthPreferences.store().setValue(BerthPreferences.MIGRATION_TARGETS, "ssh://root@host2\nssh://host3:2222");
	}

	@AfterEach
	void realEngine() {
		migrations.close();
		BerthPreferences.store().setValue(BerthPreferences.MIGRATION_TARGETS, targetsBefore);
	}

	private static boolean enabled(String command) {
		return Workbench.sync(() -> window().getService(ICommandService.class).getCommand(command).isEnabled());
	}

	private static <T extends Control> T widget(Shell dialog, String id) {
		return Workbench.sync(() -> Widgets.byId(dialog, id));
	}

	/** The phases' states as listed, e.g. [done, running, waiting, …]. */
	private static List<String> states(Shell dialog) {
		return Arrays.stream(Phase.values()).map(p -> cell(dialog, p, ".state")).toList();
	}

	/** A phase's line: "" its name, ".state", ".time". */
	private static String cell(Shell dialog, Phase p, String which) {
		Label l = widget(dialog, "migrate.phase." + p.name().toLowerCase(java.util.Locale.ROOT) + which);
		return Workbench.sync(l::getText);
	}

	private static MigrateDialog dialogOf(Shell shell) {
		return Workbench.sync(() -> (MigrateDialog) shell.getData());
	}

	private static Shell awaitDialog(String name) throws InterruptedException {
		String title = MigrateDialog.title(name);
		Workbench.waitUntil("the Migrate dialog", TIMEOUT, () -> Workbench.sync(() -> Widgets.shell(title) != null));
		return Workbench.sync(() -> Widgets.shell(title));
	}

	/** Gives {@code c} the keyboard focus, as a click does. */
	private static void focus(Shell dialog, Control c) throws InterruptedException {
		Workbench.syncRun(() -> {
			dialog.forceActive();
			c.setFocus();
		});
		Workbench.waitUntil("the focus is on " + c, TIMEOUT, () -> Workbench.sync(c::isFocusControl));
	}

	/** Presses and releases a key as the keyboard does (X events), and waits until the console has read them. */
	private static void press(int keyCode, char character) throws InterruptedException {
		AtomicBoolean released = new AtomicBoolean();
		Listener seen = e -> {
			if (e.keyCode == keyCode) {
				released.set(true);
			}
		};
		Workbench.syncRun(() -> Workbench.display().addFilter(SWT.KeyUp, seen));
		try {
			post(keyCode, character);
			Workbench.waitUntil("the key is read", TIMEOUT, released::get);
		} finally {
			Workbench.syncRun(() -> Workbench.display().removeFilter(SWT.KeyUp, seen));
		}
	}

	/** Posts a key's press and release, as the keyboard does (X events). */
	private static void post(int keyCode, char character) {
		Workbench.syncRun(() -> {
			for (int type : new int[]{SWT.KeyDown, SWT.KeyUp}) {
				Event e = new Event();
				e.type = type;
				e.keyCode = keyCode;
				e.character = character;
				Workbench.display().post(e);
			}
		});
	}

	/** Enter in the target field. */
	private static void pressEnter(Shell dialog) throws InterruptedException {
		focus(dialog, widget(dialog, "migrate.target"));
		press(SWT.CR, '\r');
	}

	/** Esc wherever the focus is in the dialog. */
	private static void pressEscape(Shell dialog) throws InterruptedException {
		Workbench.syncRun(dialog::forceActive);
		press(SWT.ESC, (char) 27);
	}

	/** Paints what changed, with the dialog active (an inactive one is drawn greyed: GTK's backdrop). */
	private static void paint(Shell dialog) throws InterruptedException {
		Workbench.syncRun(dialog::forceActive);
		Workbench.waitUntil("the dialog is active", TIMEOUT, () -> Workbench.sync(() -> Workbench.display()
				.getActiveShell() == dialog));
		Workbench.syncRun(() -> {
			while (Workbench.display().readAndDispatch()) {
				// paint what changed before the picture
			}
		});
		// GTK's theme fades a button between disabled and enabled: the picture once two drawings agree
		byte[][] last = {null};
		Workbench.waitUntil("the dialog is drawn as it stays", TIMEOUT, () -> {
			byte[] now = Workbench.sync(() -> drawing(dialog));
			boolean same = java.util.Arrays.equals(now, last[0]);
			last[0] = now;
			return same;
		});
	}

	/** What the dialog draws now, as pixels. UI thread. */
	private static byte[] drawing(Shell dialog) {
		Point size = dialog.getSize();
		org.eclipse.swt.graphics.Image image = new org.eclipse.swt.graphics.Image(Workbench.display(), size.x,
				size.y);
		org.eclipse.swt.graphics.GC gc = new org.eclipse.swt.graphics.GC(image);
		try {
			dialog.print(gc);
			return image.getImageData().data;
		} finally {
			gc.dispose();
			image.dispose();
		}
	}

	@Test
	void aLiveMigrationListsItsPhasesAndEndsWithTheDowntimeAndTheBytesSent() throws Exception {
		workbench.run(ContainerSpec.builder(LIVE).kind(ContainerKind.APPLICATION).template("busybox")
				.init(List.of("/bin/sh", "-c", "while true; do sleep 1; done")).build());

		// the editor's Migrate… says why it is disabled while the container is frozen
		ContainerEditor editor = Workbench.sync(() -> {
			try {
				return OpenContainerHandler.open(window().getActivePage(), LIVE);
			} catch (Exception e) {
				throw new AssertionError(e);
			}
		});
		Button editorMigrate = Workbench.sync(() -> Widgets.byId(window().getShell(), "editor.migrate"));
		Workbench.get(workbench.engine().freeze(LIVE));
		Workbench.waitUntil("the editor's Migrate... is disabled with the reason", TIMEOUT,
				() -> Workbench.sync(() -> !editorMigrate.isEnabled() && ("\"" + LIVE
						+ "\" is frozen: a running or a stopped container can migrate").equals(editorMigrate
								.getToolTipText())));
		Workbench.waitUntil("Container > Migrate... is disabled for the frozen container", TIMEOUT,
				() -> !enabled(BerthCommands.MIGRATE));
		Workbench.get(workbench.engine().thaw(LIVE));
		Workbench.waitUntil("the editor's Migrate... is enabled again", TIMEOUT,
				() -> Workbench.sync(editorMigrate::isEnabled));
		Workbench.syncRun(() -> window().getActivePage().closeEditor(editor, false));

		// the Containers view's menu has it, enabled for the running container
		ContainersPage view = ContainersPage.open();
		Workbench.waitUntil(LIVE + " listed", TIMEOUT, () -> Workbench.sync(() -> view.rowTexts(LIVE)) != null);
		Workbench.syncRun(() -> view.select(LIVE));
		Workbench.activate(ContainersView.ID);
		Workbench.waitUntil("Migrate... is enabled for the running container", TIMEOUT,
				() -> enabled(BerthCommands.MIGRATE));
		assertTrue(Workbench.sync(() -> contextMenuItem(view, "Migrate").isEnabled()),
				"the row menu offers Migrate");

		Workbench.display().asyncExec(() -> {
			try {
				window().getService(IHandlerService.class).executeCommand(BerthCommands.MIGRATE, null);
			} catch (Exception e) {
				throw new IllegalStateException(e);
			}
		});
		Shell dialog = awaitDialog(LIVE);
		MigrateDialog d = dialogOf(dialog);
		Combo target = widget(dialog, "migrate.target");
		Button migrate = Workbench.sync(() -> Widgets.button(dialog, "Migrate"));
		assertEquals("ssh://root@host2", Workbench.sync(target::getText), "the last used target");
		assertEquals(List.of("ssh://root@host2", "ssh://host3:2222"), Workbench.sync(() -> List.of(target
				.getItems())));
		assertTrue(Workbench.sync(migrate::isEnabled));
		assertEquals(migrate, Workbench.sync(() -> dialog.getDefaultButton()), "Enter migrates");
		assertEquals(List.of("waiting", "waiting", "waiting", "waiting", "waiting", "waiting"), states(dialog));

		// a target that does not parse: SshUrl's sentence in the message area, Migrate disabled, the text kept
		Workbench.syncRun(() -> target.setText("host2:22"));
		String why = assertThrowsSentence("host2:22");
		assertEquals(why, Workbench.sync(d::getErrorMessage));
		assertFalse(Workbench.sync(migrate::isEnabled));
		pressEnter(dialog);
		assertEquals(MigrateDialog.Stage.IDLE, Workbench.sync(d::stage), "Enter does nothing with a bad target");
		assertEquals("host2:22", Workbench.sync(target::getText), "nothing typed is lost");
		Workbench.syncRun(() -> target.setText(""));
		assertNull(Workbench.sync(d::getErrorMessage), "an empty field is no error");
		assertFalse(Workbench.sync(migrate::isEnabled));
		Workbench.syncRun(() -> target.setText(TARGET + "/"));
		assertNull(Workbench.sync(d::getErrorMessage));
		assertTrue(Workbench.sync(migrate::isEnabled));
		Workbench.syncRun(() -> Widgets.click(Widgets.byId(dialog, "migrate.tcp")));
		List<String> tabs = tabOrder(dialog, "migrate.target", 4);
		assertEquals(List.of("migrate.target", "migrate.tcp"), tabs.subList(0, 2), "Tab goes through the fields");
		assertTrue(tabs.containsAll(List.of("Cancel", "Migrate")), "and the buttons: " + tabs);

		// Enter starts it; the check passes, the files are sent
		pressEnter(dialog);
		Workbench.waitUntil("the migration runs", TIMEOUT,
				() -> Workbench.sync(d::stage) == MigrateDialog.Stage.RUNNING);
		migrations.play(steps(check(LIVE, TARGET)));
		Workbench.waitUntil("the check runs, its progress unknown", TIMEOUT, () -> states(dialog).get(0).equals(
				"running") && Workbench.sync(() -> Widgets.byId(dialog, "migrate.progress.unknown").isVisible()));
		migrations.play(steps(send(Phase.TRANSFER, "the files", LIVE, 0, 0.4)));
		Workbench.waitUntil("the transfer at 40 %", TIMEOUT,
				() -> Workbench.sync(() -> Widgets.<ProgressBar>byId(dialog, "migrate.progress").getSelection()) == 400
						&& Workbench.sync(() -> Widgets.byId(dialog, "migrate.progress").isVisible()));
		assertEquals(List.of("done", "running", "waiting", "waiting", "waiting", "waiting"), states(dialog));
		assertTrue(cell(dialog, Phase.CHECK, ".time").endsWith(" s"),
				"the check's time: " + cell(dialog, Phase.CHECK, ".time"));
		assertEquals("", cell(dialog, Phase.TRANSFER, ".time"), "no time while it runs");
		assertEquals("Transfer: sending the files of \"" + LIVE + "\" (40 %)", Workbench.sync(() -> Widgets
				.<Label>byId(dialog, "migrate.step").getText()));
		assertEquals(TARGET, migrations.request.target(), "the target as SshUrl spells it");
		assertTrue(migrations.request.tcpEstablished(), "TCP connections carried");
		assertEquals(LIVE, migrations.asked);

		// half-way: Close is disabled and says why, Esc does nothing
		Button close = Workbench.sync(() -> Widgets.button(dialog, "Close"));
		assertFalse(Workbench.sync(close::isEnabled));
		assertEquals(MigrateActions.NOT_STOPPABLE, Workbench.sync(close::getToolTipText));
		assertEquals(MigrateActions.NOT_STOPPABLE, Workbench.sync(d::getMessage));
		pressEscape(dialog);
		Workbench.syncRun(dialog::close);
		assertFalse(Workbench.sync(dialog::isDisposed), "the dialog stays while the migration runs");
		assertFalse(Workbench.sync(target::isEnabled), "the target cannot change half-way");
		paint(dialog);
		Screenshots.save(dialog, "migrate-dialog-running");

		// frozen and dumped (down from here), the rest sent, resumed there, removed here
		migrations.play(steps(send(Phase.TRANSFER, "the files", LIVE, 0.4, 1),
				sent(Phase.TRANSFER, "the files", LIVE, 11 * org.berth.core.Sizes.MIB), dump(LIVE)));
		Workbench.waitUntil("the dump runs", TIMEOUT, () -> states(dialog).get(Phase.DUMP.ordinal()).equals(
				"running"));
		migrations.play(steps(send(Phase.COPY, "what changed in the files, and the checkpoint,", LIVE, 0, 1),
				restore(LIVE, TARGET), cleanUp(LIVE),
				live(LIVE, TARGET, 420, 3180, 510,
						260, 140, 90)));
		Workbench.waitUntil("the migration is done", TIMEOUT,
				() -> Workbench.sync(d::stage) == MigrateDialog.Stage.DONE);
		Widgets.awaitJobs(BerthJobs.FAMILY, TIMEOUT);

		String summary = "Running on " + TARGET + " — down 0.91 s, 12.3 MiB sent";
		assertEquals(summary, Workbench.sync(d::getMessage));
		assertNull(Workbench.sync(d::getErrorMessage));
		assertEquals(List.of("done", "done", "done", "done", "done", "done"), states(dialog));
		assertEquals("0.42 s", cell(dialog, Phase.CHECK, ".time"), "the engine's own times");
		assertEquals("3.18 s", cell(dialog, Phase.TRANSFER, ".time"));
		assertEquals("0.51 s", cell(dialog, Phase.DUMP, ".time"));
		assertEquals("Freeze and dump", cell(dialog, Phase.DUMP, ""));
		assertEquals(1000, (int) Workbench.sync(() -> Widgets.<ProgressBar>byId(dialog, "migrate.progress")
				.getSelection()));
		assertEquals("Done in 4.60 s.", Workbench.sync(() -> Widgets.<Label>byId(dialog, "migrate.step").getText()));
		assertTrue(Workbench.sync(close::isEnabled));
		assertEquals(close, Workbench.sync(dialog::getDefaultButton), "Enter closes now");
		assertFalse(Workbench.sync(migrate::isEnabled), "one migration per dialog");
		assertTrue(Workbench.sync(() -> {
			Rectangle b = Workbench.display().map(close.getParent(), dialog, close.getBounds());
			return b.y + b.height <= dialog.getClientArea().height;
		}), "nothing is cut off at the bottom");
		assertEquals(List.of(TARGET, "ssh://root@host2", "ssh://host3:2222"), BerthPreferences.migrationTargets(),
				"the target is remembered first");
		Workbench.waitUntil(LIVE + " is gone here", TIMEOUT, () -> workbench.engine().get(LIVE).isEmpty());
		focus(dialog, close);
		paint(dialog);
		Screenshots.save(dialog, "migrate-dialog");

		Workbench.syncRun(dialog::forceActive);
		post(SWT.ESC, (char) 27); // the dialog goes on the key's press: the release is no one's to read
		Workbench.waitUntil("Esc closes it once done", TIMEOUT, () -> Workbench.sync(dialog::isDisposed));
	}

	@Test
	void aFailureShowsTheEnginesSentenceAndMarksThePhaseThatFailed() throws Exception {
		workbench.define(ContainerSpec.builder(STOPPED).kind(ContainerKind.APPLICATION).template("busybox").build());
		ContainerEditor editor = Workbench.sync(() -> {
			try {
				return OpenContainerHandler.open(window().getActivePage(), STOPPED);
			} catch (Exception e) {
				throw new AssertionError(e);
			}
		});
		Button editorMigrate = Workbench.sync(() -> Widgets.byId(window().getShell(), "editor.migrate"));
		assertTrue(Workbench.sync(editorMigrate::isEnabled), "a stopped container can migrate");
		assertEquals("Move \"" + STOPPED + "\" to another Berth host", Workbench.sync(editorMigrate::getToolTipText));
		Screenshots.save(Workbench.sync(() -> editorMigrate.getParent().getParent()), "editor-migrate");
		Workbench.display().asyncExec(() -> Widgets.click(editorMigrate));
		Shell dialog = awaitDialog(STOPPED);
		MigrateDialog d = dialogOf(dialog);
		assertFalse(Workbench.sync(() -> Widgets.<Button>byId(dialog, "migrate.tcp").isEnabled()),
				"a stopped container has no connections to carry");
		assertEquals(MigrateActions.intro(STOPPED, false), Workbench.sync(d::getMessage));

		Workbench.syncRun(() -> Widgets.click(Widgets.button(dialog, "Migrate")));
		String target = "ssh://root@host2";
		String sentence = "migrating \"" + STOPPED + "\" to " + target + " failed: could not send the files of \""
				+ STOPPED + "\" to " + target + ": rsync: connection unexpectedly closed (0 bytes received so far)"
				+ " [sender]; rsync error: error in rsync protocol data stream (code 12); it stays here";
		migrations.play(steps(check(STOPPED, target), send(Phase.TRANSFER, "the files", STOPPED, 0, 0.3),
				new MigrationProgress(Phase.CLEAN_UP, -1, "the migration failed; removing what it made on " + target),
				new BerthException("migrate", STOPPED, sentence)));
		Workbench.waitUntil("the migration failed", TIMEOUT,
				() -> Workbench.sync(d::stage) == MigrateDialog.Stage.FAILED);
		Widgets.awaitJobs(BerthJobs.FAMILY, TIMEOUT);

		assertEquals("Migrating \"" + STOPPED + "\" failed at \"transfer\":", Workbench.sync(d::getErrorMessage));
		Text outcome = widget(dialog, "migrate.outcome");
		assertEquals(sentence, Workbench.sync(outcome::getText));
		assertTrue(Workbench.sync(() -> outcome.isVisible() && (outcome.getStyle() & SWT.READ_ONLY) != 0
				&& (outcome.getStyle() & SWT.WRAP) != 0 && outcome.isEnabled()), "selectable, wrapped");
		assertTrue(Workbench.sync(() -> {
			Rectangle b = Workbench.display().map(outcome.getParent(), dialog, outcome.getBounds());
			return b.y + b.height <= dialog.getClientArea().height;
		}), "the sentence is not cut off at the bottom");
		assertTrue(Workbench.sync(() -> outcome.getSize().y >= 2 * outcome.getLineHeight()
				&& outcome.computeSize(outcome.getSize().x, SWT.DEFAULT).y <= outcome.getSize().y),
				"the whole sentence shows, wrapped: " + Workbench.sync(outcome::getSize));
		assertEquals(List.of("done", "failed", "skipped", "skipped", "skipped", "done"), states(dialog));
		assertEquals(Workbench.sync(() -> Workbench.display().getSystemColor(SWT.COLOR_RED)), Workbench.sync(
				() -> Widgets.<Label>byId(dialog, "migrate.phase.transfer.state").getForeground()),
				"the failed phase stands out");
		assertTrue(cell(dialog, Phase.TRANSFER, ".time").endsWith(" s"), "how long it ran before it failed");
		assertEquals(ContainerState.STOPPED, workbench.engine().get(STOPPED).orElseThrow().state(),
				"it stays here");
		assertTrue(Workbench.sync(() -> Widgets.button(dialog, "Close").isEnabled()));
		focus(dialog, Workbench.sync(() -> Widgets.button(dialog, "Close")));
		paint(dialog);
		Screenshots.save(dialog, "migrate-dialog-failed");

		Workbench.syncRun(() -> Widgets.click(Widgets.button(dialog, "Close")));
		Workbench.waitUntil("Close closes it", TIMEOUT, () -> Workbench.sync(dialog::isDisposed));
		assertEquals(MigrationPhases.State.FAILED, d.phases().rows().get(Phase.TRANSFER.ordinal()).state());
	}

	/** SshUrl's own sentence for {@code typed}. */
	private static String assertThrowsSentence(String typed) {
		try {
			SshUrl.parse(typed);
		} catch (IllegalArgumentException e) {
			return e.getMessage();
		}
		throw new AssertionError(typed + " parses");
	}

	/** Where Tab takes the focus from {@code first}, {@code n} controls long: test ids, or a button's label. */
	private static List<String> tabOrder(Shell dialog, String first, int n) throws InterruptedException {
		focus(dialog, widget(dialog, first));
		List<String> out = new java.util.ArrayList<>();
		for (int i = 0; i < n; i++) {
			if (i > 0) {
				press(SWT.TAB, '\t');
			}
			out.add(Workbench.sync(() -> {
				Control c = Workbench.display().getFocusControl();
				return c == null ? "nothing" : c.getData(Widgets.TEST_ID) != null ? (String) c.getData(Widgets.TEST_ID)
						: c instanceof Button b ? b.getText().replace("&", "") : c.toString();
			}));
		}
		return out;
	}

	/** The item of the Containers view's row menu labelled {@code label} (filled as it is shown). UI thread. */
	private static MenuItem contextMenuItem(ContainersPage view, String label) {
		Table table = view.viewer().getTable();
		Rectangle row = table.getItem(0).getBounds();
		Point at = table.toDisplay(row.x + 5, row.y + row.height / 2);
		Event detect = new Event();
		detect.x = at.x;
		detect.y = at.y;
		table.notifyListeners(SWT.MenuDetect, detect);
		Menu menu = table.getMenu();
		menu.notifyListeners(SWT.Show, new Event());
		try {
			for (MenuItem item : menu.getItems()) {
				if (item.getText().split("\t")[0].replace("&", "").equals(label)) {
					return item;
				}
			}
			throw new AssertionError("no \"" + label + "\" in the row menu");
		} finally {
			menu.notifyListeners(SWT.Hide, new Event());
		}
	}
}
