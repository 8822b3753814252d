package org.berth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.ui.jobs.EngineJob;
import org.berth.ui.handlers.ImportHandler;
import org.berth.ui.handlers.ExportHandler;
import org.berth.core.ContainerState;
import org.berth.core.ExecRequest;
import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;
import org.berth.core.Sizes;
import org.berth.core.SpecValidator;
import org.berth.ui.containers.ContainersView;
import org.berth.ui.editor.ContainerEditor;
import org.berth.ui.handlers.BerthCommands;
import org.berth.ui.handlers.OpenContainerHandler;
import org.berth.ui.jobs.BerthJobs;
import org.berth.ui.jobs.ErrorStatuses;
import org.berth.ui.specs.LimitsEditor;
import org.berth.ui.specs.NamespacesEditor;
import org.berth.ui.wizards.NewContainerWizard;
import org.eclipse.core.commands.common.CommandException;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.MultiStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.handlers.IHandlerService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 19's points 2 to 6 as a user meets them: error dialogs that say why, destroy that says why before asking,
 * share cycles refused in the wizard and the editor, one network model on both wizard pages, the memory field with
 * its unit menu, a program for an application container, the editor's uptime and notes kept current, and the
 * wizard's mnemonics. Screenshots: error-dialog.png, wizard-network.png and others in target/screenshots/.
 */
class ConsoleModelTest {

	@RegisterExtension
	static final Workbench workbench = Workbench.withContainers();

	private static final Duration TIMEOUT = Duration.ofSeconds(60);
	private static final String A = "uim-a";
	private static final String B = "uim-b";

	// ---- 2. errors ------------------------------------------------------------------------------------------

	@Test
	void aFailedStartSaysItsReasonInTheDialogAndDestroySaysWhyBeforeAsking() throws Exception {
		workbench.define(ContainerSpec.builder(A).template("busybox").build());
		workbench.define(ContainerSpec.builder(B).template("busybox").share(NamespaceType.UTS, A).build());
		ContainersPage view = ContainersPage.open();
		Workbench.waitUntil("both containers are shown", TIMEOUT,
				() -> Workbench.sync(() -> view.rowTexts(A) != null && view.rowTexts(B) != null));
		Workbench.activate(ContainersView.ID);

		// b cannot start while a does not run: the dialog's message says so, not only "Could not start"
		Workbench.syncRun(() -> view.select(B));
		Workbench.execute(BerthCommands.START);
		Widgets.awaitJobs(BerthJobs.FAMILY, TIMEOUT);
		Workbench.waitUntil("the error dialog", Duration.ofSeconds(10), () -> Workbench.sync(() -> Widgets.shell(
				"Start failed") != null));
		Shell dialog = Workbench.sync(() -> Widgets.shell("Start failed"));
		String message = Workbench.sync(() -> labels(dialog).stream().filter(t -> t.startsWith("Could not start"))
				.findFirst().orElse(""));
		assertTrue(message.startsWith("Could not start \"" + B + "\": ") && message.contains(A)
				&& message.length() > ("Could not start \"" + B + "\": ").length() + 10, message);
		String reason = message.substring(message.indexOf(": ") + 2);
		Screenshots.save(dialog, "error-dialog");
		// under Details: the causes, each once; never the reason a second time, no line wider than the dialog
		Workbench.syncRun(() -> Widgets.all(dialog, c -> c instanceof Button b && b.getText().replace("&", "")
				.startsWith("Details")).forEach(b -> Widgets.click((Button) b)));
		List<String> detailLines = Workbench.sync(() -> Widgets
				.all(dialog, c -> c instanceof org.eclipse.swt.widgets.List)
				.stream().flatMap(l -> List.of(((org.eclipse.swt.widgets.List) l).getItems()).stream()).toList());
		String details = String.join(" ", detailLines.stream().map(String::strip).toList());
		assertFalse(details.contains(reason.substring(0, 30)), () -> "the reason again under Details: " + details);
		assertTrue(detailLines.stream().allMatch(l -> l.length() <= 84), () -> "too wide: " + detailLines);
		Screenshots.save(dialog, "error-dialog-details");
		Workbench.syncRun(dialog::close);

		// destroying a, which b uses: the reason at once, no "cannot be undone" question
		Workbench.syncRun(() -> window().getShell().forceActive());
		Workbench.activate(ContainersView.ID);
		Workbench.syncRun(() -> view.select(A));
		Workbench.display().asyncExec(() -> {
			try {
				window().getService(IHandlerService.class).executeCommand(BerthCommands.DESTROY, null);
			} catch (CommandException e) {
				throw new IllegalStateException(e);
			}
		});
		Workbench.waitUntil("why it cannot be destroyed", TIMEOUT,
				() -> Workbench.sync(() -> Widgets.shell("Cannot Destroy Container") != null
						|| Widgets.shell("Destroy Container") != null));
		assertNull(Workbench.sync(() -> Widgets.shell("Destroy Container")), "asked before saying why");
		Shell why = Workbench.sync(() -> Widgets.shell("Cannot Destroy Container"));
		String text = Workbench.sync(() -> String.join("\n", labels(why)));
		assertTrue(text.contains("\"" + A + "\" cannot be destroyed: \"" + B + "\" shares its uts namespace"), text);
		Screenshots.save(why, "destroy-blocked");
		Workbench.syncRun(why::close);
		assertTrue(workbench.engine().get(A).isPresent());
	}

	@Test
	void theDialogsDetailsAreTheCausesEachOnceInShortLines() {
		Exception e = new Exception("cannot start \"c1\": the helper failed", new java.io.IOException(
				"write /sys/fs/cgroup/berth/c1/cgroup.procs: No space left on device " + "x".repeat(100)));
		IStatus result = new MultiStatus("t", 0, new IStatus[]{Status.error("cannot start \"c1\": the helper failed",
				e)}, "Could not start \"c1\": the helper failed.", null);
		IStatus shown = ErrorStatuses.forDialog(result);
		assertEquals(result.getMessage(), shown.getMessage());
		List<String> lines = List.of(shown.getChildren()).stream().map(IStatus::getMessage).toList();
		assertTrue(lines.get(0).startsWith("write /sys/fs/cgroup/berth/c1/cgroup.procs: No space left"),
				lines::toString);
		assertTrue(lines.stream().allMatch(l -> l.length() <= 80), lines::toString);
		assertTrue(lines.get(lines.size() - 1).endsWith("(IOException)"), lines::toString);
		assertFalse(lines.stream().anyMatch(l -> l.contains("the helper failed")), lines::toString);
		// nothing but the reason: no Details at all
		IStatus alone = ErrorStatuses.forDialog(new MultiStatus("t", 0, new IStatus[]{Status.error(
				"cannot start \"c1\": the helper failed", new Exception("cannot start \"c1\": the helper failed"))},
				"Could not start \"c1\": the helper failed.", null));
		assertEquals(0, alone.getChildren().length);
		assertEquals(IStatus.ERROR, alone.getSeverity());
	}

	// ---- 3. share cycles ------------------------------------------------------------------------------------

	@Test
	void aShareCycleIsRefusedInTheEditorWithTheCycleNamed() throws Exception {
		workbench.define(ContainerSpec.builder(A).template("busybox").build());
		workbench.define(ContainerSpec.builder(B).template("busybox").share(NamespaceType.UTS, A).build());
		ContainerEditor editor = Workbench.sync(() -> {
			try {
				return OpenContainerHandler.open(window().getActivePage(), A);
			} catch (Exception e) {
				throw new AssertionError(e);
			}
		});
		NamespaceSpec ipcBefore = workbench.engine().get(A).orElseThrow().spec().namespace(NamespaceType.IPC);
		Workbench.syncRun(() -> editor.showPage(1));
		Control page = Workbench.sync(() -> editor.namespacesEditor().control());
		Workbench.syncRun(() -> Widgets.choose(Widgets.byId(page, "ns.ipc"), "Share with " + B));
		String problem = Workbench.sync(() -> ((Label) Widgets.byId(page, "ns.ipc.problems")).getText());
		assertTrue(problem.contains(A + " shares " + B + "'s ipc while " + B + " shares " + A
				+ "'s uts: a share cycle, neither could start"), problem);
		Screenshots.save(Workbench.sync(() -> window().getShell()), "editor-cycle");
		// saving is refused with the sentence, and nothing is saved
		Workbench.display().asyncExec(() -> editor.doSave(null));
		Workbench.waitUntil("the refusal", TIMEOUT, () -> Workbench.sync(() -> Widgets.shell("Cannot Save") != null));
		Shell refusal = Workbench.sync(() -> Widgets.shell("Cannot Save"));
		assertTrue(Workbench.sync(() -> String.join("\n", labels(refusal))).contains("a share cycle"));
		Workbench.syncRun(refusal::close);
		Widgets.awaitJobs(BerthJobs.FAMILY, TIMEOUT);
		assertEquals(ipcBefore, workbench.engine().get(A).orElseThrow().spec().namespace(NamespaceType.IPC));
	}

	@Test
	void aShareCycleIsRefusedInTheWizard() throws Exception {
		// a stale definition: gui2 shares the uts of a gui1 that is not there (any more); a new gui1 sharing gui2's
		// ipc would close the cycle
		ContainerSpec gui2 = ContainerSpec.builder("gui2").share(NamespaceType.UTS, "gui1").build();
		WizardDialog dialog = openWizard(engineOf(gui2));
		Shell shell = Workbench.sync(dialog::getShell);
		Workbench.syncRun(() -> Widgets.type(Widgets.byId(shell, "wizard.name"), "gui1"));
		next(shell);
		Workbench.syncRun(() -> Widgets.choose(Widgets.byId(shell, "ns.ipc"), "Share with gui2"));
		String problem = Workbench.sync(() -> ((Label) Widgets.byId(shell, "ns.ipc.problems")).getText());
		assertTrue(problem.contains("gui1 shares gui2's ipc while gui2 shares gui1's uts: a share cycle"), problem);
		assertTrue(Workbench.sync(() -> dialog.getCurrentPage().getErrorMessage()).contains("a share cycle"));
		assertFalse(Workbench.sync(() -> Widgets.button(shell, "Finish").isEnabled()), "a cycle cannot finish");
		Screenshots.save(shell, "wizard-cycle");
		Workbench.syncRun(() -> Widgets.choose(Widgets.byId(shell, "ns.ipc"), "New"));
		assertTrue(Workbench.sync(() -> Widgets.button(shell, "Finish").isEnabled()));
	}

	// ---- 4. the wizard --------------------------------------------------------------------------------------

	@Test
	void theWizardsNetworkIsOneModelOnBothPages() throws Exception {
		WizardDialog dialog = openWizard(engineOf());
		Shell shell = Workbench.sync(dialog::getShell);
		Workbench.syncRun(() -> Widgets.type(Widgets.byId(shell, "wizard.name"), "web1"));
		next(shell);
		Workbench.syncRun(() -> Widgets.choose(Widgets.byId(shell, "ns.net"), "Host's"));
		next(shell);
		next(shell);
		assertEquals("network", Workbench.sync(() -> dialog.getCurrentPage().getName()));
		assertTrue(Workbench.sync(() -> ((Button) Widgets.byId(shell, "network.host")).getSelection()),
				"net=host on the Namespaces page is the host's network on the Network page");
		assertFalse(Workbench.sync(() -> ((Button) Widgets.byId(shell, "network.none")).getSelection()));
		String command = Workbench.sync(() -> ((Text) Widgets.byId(shell, "wizard.command")).getText());
		assertTrue(command.contains("--network host"), command);
		Screenshots.save(shell, "wizard-network");

		// Veth here needs a net of its own: the Namespaces page shows it, and nothing is dropped unseen
		Workbench.syncRun(() -> Widgets.click(Widgets.byId(shell, "network.veth")));
		assertEquals("New", Workbench.sync(() -> ((Combo) Widgets.byId(shell, "ns.net")).getText()));
		command = Workbench.sync(() -> ((Text) Widgets.byId(shell, "wizard.command")).getText());
		assertTrue(command.contains("--network veth") && !command.contains("net=host"), command);
		// and back: the host's net on the Namespaces page takes the Network page with it
		Workbench.syncRun(() -> Widgets.choose(Widgets.byId(shell, "ns.net"), "Host's"));
		assertTrue(Workbench.sync(() -> ((Button) Widgets.byId(shell, "network.host")).getSelection()));
		assertFalse(Workbench.sync(() -> ((Button) Widgets.byId(shell, "network.veth")).getSelection()));
		assertNull(Workbench.sync(() -> dialog.getCurrentPage().getErrorMessage()));
	}

	@Test
	void theMemoryFieldTakesASizeWithItsUnitAndQuotesWhatWasTyped() throws Exception {
		assertEquals(128 * Sizes.MIB, LimitsEditor.memoryBytes("128M", "M"));
		assertEquals(128 * Sizes.MIB, LimitsEditor.memoryBytes("128", "M"));
		assertEquals(2 * Sizes.GIB, LimitsEditor.memoryBytes("2", "G"));
		assertEquals(512 * Sizes.KIB, LimitsEditor.memoryBytes("512K", "G"));
		assertEquals(3 * Sizes.GIB / 2, LimitsEditor.memoryBytes("1.5 GiB", "M"));

		WizardDialog dialog = openWizard(engineOf());
		Shell shell = Workbench.sync(dialog::getShell);
		NewContainerWizard wizard = (NewContainerWizard) Workbench.sync(() -> dialog.getCurrentPage().getWizard());
		Workbench.syncRun(() -> Widgets.type(Widgets.byId(shell, "wizard.name"), "web1"));
		next(shell);
		next(shell);
		Text memory = Workbench.sync(() -> Widgets.byId(shell, "limits.memory"));
		Text cpus = Workbench.sync(() -> Widgets.byId(shell, "limits.cpus"));
		int cpusY = Workbench.sync(() -> cpus.getLocation().y);
		Workbench.syncRun(() -> Widgets.type(memory, "128M"));
		assertNull(Workbench.sync(() -> dialog.getCurrentPage().getErrorMessage()));
		assertEquals(128 * Sizes.MIB, Workbench.sync(() -> wizard.spec().limits().memoryBytes()));
		Workbench.syncRun(() -> Widgets.type(memory, "abc"));
		String error = Workbench.sync(() -> dialog.getCurrentPage().getErrorMessage());
		assertTrue(error.contains("\"abc\"") && !error.contains("abcM"), error);
		assertEquals(cpusY, Workbench.sync(() -> cpus.getLocation().y), "an error line moved the field under it");
		// more CPUs than the host has
		Workbench.syncRun(() -> Widgets.type(memory, "64"));
		Workbench.syncRun(() -> Widgets.type(cpus, "100"));
		error = Workbench.sync(() -> dialog.getCurrentPage().getErrorMessage());
		int host = Runtime.getRuntime().availableProcessors();
		assertTrue(host >= 100 || error.contains("cpus 100 is more than the host's " + host), error);
		Screenshots.save(shell, "wizard-resources-errors");
	}

	@Test
	void theContainersFilterFindsTagsAndDescriptions() throws Exception {
		workbench.define(ContainerSpec.builder("uit-tag1").template("busybox").tags(List.of("shop"))
				.description("Billing backend").build());
		workbench.define(ContainerSpec.builder("uit-tag2").template("busybox").build());
		ContainersPage view = ContainersPage.open();
		Workbench.waitUntil("both rows", TIMEOUT, () -> Workbench.sync(view::shownNames).containsAll(List.of(
				"uit-tag1", "uit-tag2")));
		Workbench.syncRun(() -> view.filter("shop"));
		assertEquals(List.of("uit-tag1"), Workbench.sync(view::shownNames), "by tag");
		Workbench.syncRun(() -> view.filter("billing"));
		assertEquals(List.of("uit-tag1"), Workbench.sync(view::shownNames), "by description, any case");
		Workbench.syncRun(() -> view.filter(""));
	}

	@Test
	void exportAndImportThroughTheConsole() throws Exception {
		ContainerEngine engine = workbench.engine();
		workbench.run(ContainerSpec.builder("uit-exp").template("busybox").build());
		Path file = Files.createTempFile("uit-exp", ".tar.zst");
		try {
			Workbench.get(engine.createSnapshot("uit-exp", "before"));
			EngineJob export = ExportHandler.exportTo(engine, "uit-exp", file, true);
			export.join(TIMEOUT.toMillis(), null);
			assertTrue(export.getResult().isOK(), () -> export.getResult().toString());
			assertTrue(Files.size(file) > 0);
			assertEquals(ContainerState.RUNNING, engine.get("uit-exp").orElseThrow().state(), "thawed after it");
			workbench.track("uit-imp");
			EngineJob imported = ImportHandler.importFrom(engine, file, "uit-imp");
			imported.join(TIMEOUT.toMillis(), null);
			assertTrue(imported.getResult().isOK(), () -> imported.getResult().toString());
			assertEquals("busybox", engine.get("uit-imp").orElseThrow().spec().template());
			assertEquals(List.of("before"), Workbench.get(engine.snapshots("uit-imp")).stream().map(s -> s.name())
					.toList(), "the snapshot came along");
			Files.writeString(file, "not an archive");
			EngineJob bad = ImportHandler.importFrom(engine, file, "uit-imp2");
			bad.join(TIMEOUT.toMillis(), null);
			assertFalse(bad.getResult().isOK());
			assertTrue(bad.getResult().getMessage().startsWith("Could not import " + file + ": "),
					bad.getResult().getMessage());
			assertTrue(engine.get("uit-imp2").isEmpty());
		} finally {
			Files.deleteIfExists(file);
		}
	}

	@Test
	void theWizardListsImagesAndMakesAContainerFromOne() throws Exception {
		ContainerEngine engine = workbench.engine();
		workbench.define(ContainerSpec.builder("uit-img-src").template("busybox").build());
		Workbench.get(engine.publishImage("uit-img-src", "uit-image", "busybox for the wizard"));
		try {
			WizardDialog dialog = openWizard(engine);
			Shell shell = Workbench.sync(dialog::getShell);
			NewContainerWizard wizard = (NewContainerWizard) Workbench.sync(() -> dialog.getCurrentPage()
					.getWizard());
			Workbench.syncRun(() -> Widgets.type(Widgets.byId(shell, "wizard.name"), "uit-img-new"));
			Combo list = Workbench.sync(() -> Widgets.byId(shell, "wizard.template"));
			Workbench.waitUntil("the images in the list", TIMEOUT, () -> Workbench.sync(() -> List.of(list.getItems()))
					.stream().anyMatch(i -> i.startsWith("uit-image (image, ")));
			List<String> items = Workbench.sync(() -> List.of(list.getItems()));
			assertTrue(items.contains("busybox (template)"), items.toString());
			String item = items.stream().filter(i -> i.startsWith("uit-image (image, ")).findFirst()
					.orElseThrow(() -> new AssertionError("no image in " + items));
			Workbench.syncRun(() -> Widgets.choose(list, item));
			String about = Workbench.sync(() -> ((Label) Widgets.byId(shell, "wizard.templateAbout")).getText());
			assertTrue(about.contains("busybox for the wizard") && about.contains("published from uit-img-src"),
					about);
			assertEquals("busybox", Workbench.sync(() -> wizard.spec().template()), "the image's base");
			Screenshots.save(shell, "wizard-images");
			workbench.track("uit-img-new");
			Workbench.syncRun(() -> Widgets.click(Widgets.button(shell, "Finish")));
			assertTrue(Workbench.sync(shell::isDisposed), "the wizard closed once the container was made");
			assertEquals("busybox", engine.get("uit-img-new").orElseThrow().spec().template());
		} finally {
			Workbench.get(engine.deleteImage("uit-image"));
		}
	}

	@Test
	void anApplicationContainerGetsItsProgramAndAFittingHaltSignal() throws Exception {
		WizardDialog dialog = openWizard(engineOf());
		Shell shell = Workbench.sync(dialog::getShell);
		NewContainerWizard wizard = (NewContainerWizard) Workbench.sync(() -> dialog.getCurrentPage().getWizard());
		Workbench.syncRun(() -> Widgets.type(Widgets.byId(shell, "wizard.name"), "app1"));
		Text program = Workbench.sync(() -> Widgets.byId(shell, "wizard.program"));
		assertFalse(Workbench.sync(program::isEnabled), "a system container runs its template's init");
		assertEquals(ContainerSpec.DEFAULT_HALT_SIGNAL, Workbench.sync(() -> wizard.spec().haltSignal()));
		Workbench.syncRun(() -> Widgets.choose(Widgets.byId(shell, "wizard.kind"), "Application container (one"
				+ " program)"));
		assertTrue(Workbench.sync(program::isEnabled));
		Workbench.syncRun(() -> Widgets.type(program, "/bin/httpd -f -p '8080'"));
		ContainerSpec spec = Workbench.sync(wizard::spec);
		assertEquals(List.of("/bin/httpd", "-f", "-p", "8080"), spec.init());
		assertEquals("SIGTERM", spec.haltSignal(), "a program stops on SIGTERM, not busybox init's SIGUSR2");
		assertNull(Workbench.sync(() -> dialog.getCurrentPage().getErrorMessage()));
		Screenshots.save(shell, "wizard-program");
		Workbench.syncRun(() -> Widgets.type(program, "httpd"));
		assertTrue(Workbench.sync(() -> dialog.getCurrentPage().getErrorMessage()).contains("not an absolute path"));
	}

	@Test
	void theEditorChangesAProgramAndItsHaltSignal() throws Exception {
		workbench.define(ContainerSpec.builder(A).template("busybox").kind(org.berth.core.ContainerKind.APPLICATION)
				.init("/bin/sleep", "1000").haltSignal("SIGTERM").build());
		ContainerEditor editor = Workbench.sync(() -> {
			try {
				return OpenContainerHandler.open(window().getActivePage(), A);
			} catch (Exception e) {
				throw new AssertionError(e);
			}
		});
		Workbench.syncRun(() -> editor.showPage(4));
		Control top = Workbench.sync(() -> window().getShell());
		Text program = Workbench.sync(() -> Widgets.byId(top, "editor.program"));
		Combo halt = Workbench.sync(() -> Widgets.byId(top, "editor.haltSignal"));
		assertEquals("/bin/sleep 1000", Workbench.sync(program::getText));
		assertEquals("SIGTERM", Workbench.sync(halt::getText));
		Workbench.syncRun(() -> halt.setText("SIGSTOP"));
		String problem = Workbench.sync(() -> ((Label) Widgets.byId(top, "editor.program.problems")).getText());
		assertTrue(problem.contains("SIGSTOP"), problem);
		Workbench.syncRun(() -> halt.setText("SIGINT"));
		Workbench.syncRun(() -> Widgets.type(program, "/bin/sh -c 'sleep 2000'"));
		assertEquals("", Workbench.sync(() -> ((Label) Widgets.byId(top, "editor.program.problems")).getText()));
		assertTrue(Workbench.sync(editor::isDirty));
		Screenshots.save(Workbench.sync(() -> window().getShell()), "editor-program");
		Workbench.syncRun(() -> editor.doSave(null));
		Widgets.awaitJobs(BerthJobs.FAMILY, TIMEOUT);
		ContainerSpec saved = workbench.engine().get(A).orElseThrow().spec();
		assertEquals(List.of("/bin/sh", "-c", "sleep 2000"), saved.init());
		assertEquals("SIGINT", saved.haltSignal());
	}

	@Test
	void theEditorsOverviewChangesTheDescriptionTagsAndBootOrder() throws Exception {
		workbench.define(ContainerSpec.builder(A).template("busybox").tags(List.of("old")).build());
		ContainerEditor editor = Workbench.sync(() -> {
			try {
				return OpenContainerHandler.open(window().getActivePage(), A);
			} catch (Exception e) {
				throw new AssertionError(e);
			}
		});
		Workbench.syncRun(() -> editor.showPage(0));
		Control top = Workbench.sync(() -> window().getShell());
		Text description = Workbench.sync(() -> Widgets.byId(top, "editor.description"));
		Text tags = Workbench.sync(() -> Widgets.byId(top, "editor.tags"));
		assertEquals("old", Workbench.sync(tags::getText));
		Workbench.syncRun(() -> Widgets.type(tags, "web, bad tag!"));
		String problem = Workbench.sync(() -> ((Label) Widgets.byId(top, "editor.words.problems")).getText());
		assertTrue(problem.contains("\"tag!\" is not a tag"), problem);
		Workbench.syncRun(() -> Widgets.type(tags, "web Prod"));
		Workbench.syncRun(() -> Widgets.type(description, "the shop's front end"));
		Workbench.syncRun(() -> {
			org.eclipse.swt.widgets.Button auto = Widgets.byId(top, "editor.autostart");
			auto.setSelection(true);
			auto.notifyListeners(org.eclipse.swt.SWT.Selection, new org.eclipse.swt.widgets.Event());
			((org.eclipse.swt.widgets.Spinner) Widgets.byId(top, "editor.bootOrder")).setSelection(-5);
			((org.eclipse.swt.widgets.Spinner) Widgets.byId(top, "editor.bootDelay")).setSelection(12);
		});
		assertEquals("", Workbench.sync(() -> ((Label) Widgets.byId(top, "editor.words.problems")).getText()));
		assertTrue(Workbench.sync(editor::isDirty));
		Screenshots.save(Workbench.sync(() -> window().getShell()), "editor-description-tags");
		Workbench.syncRun(() -> editor.doSave(null));
		Widgets.awaitJobs(BerthJobs.FAMILY, TIMEOUT);
		ContainerSpec saved = workbench.engine().get(A).orElseThrow().spec();
		assertEquals("the shop's front end", saved.description());
		assertEquals(List.of("prod", "web"), saved.tags());
		assertTrue(saved.autostart());
		assertEquals(-5, saved.bootOrder());
		assertEquals(12, saved.bootDelaySeconds());
	}

	// ---- 5. stale details -----------------------------------------------------------------------------------

	@Test
	void theEditorsUptimeCountsAndItsNotesFollowTheState() throws Exception {
		workbench.run(ContainerSpec.builder(A).template("busybox").build());
		ContainerEditor editor = Workbench.sync(() -> {
			try {
				return OpenContainerHandler.open(window().getActivePage(), A);
			} catch (Exception e) {
				throw new AssertionError(e);
			}
		});
		Control top = Workbench.sync(() -> window().getShell());
		Workbench.waitUntil("the uptime counts past 1 s", TIMEOUT, () -> Workbench.sync(() -> {
			String up = ((Label) Widgets.byId(top, "editor.overview.uptime")).getText();
			return up.matches("([2-9]|[1-9][0-9]+) s.*|.*min.*");
		}));
		// a busy loop: the table's CPU % is of the host, as the graphs' is, and says so in its header
		Workbench.get(workbench.engine().exec(A, ExecRequest.of("sh", "-c", "while :; do :; done >/dev/null 2>&1 &")));
		ContainersPage view = ContainersPage.open();
		assertEquals("CPU % of host", Workbench.sync(() -> view.viewer().getTable().getColumn(CPU).getText()));
		int host = Runtime.getRuntime().availableProcessors();
		Workbench.waitUntil("the busy loop shows in CPU %", TIMEOUT, () -> percent(Workbench.sync(() -> view.cell(A,
				CPU))) > 20.0 / host);
		double busy = percent(Workbench.sync(() -> view.cell(A, CPU)));
		assertTrue(busy <= 100.0 / host + 15, () -> "one busy CPU of " + host + " shown as " + busy + " %");
		Workbench.get(workbench.engine().freeze(A));
		Workbench.waitUntil("the limits note says frozen", TIMEOUT, () -> Workbench.sync(() -> ((Label) Widgets
				.byId(top, "editor.limits.note")).getText().startsWith("\"" + A + "\" is frozen")));
		Workbench.waitUntil("a frozen row's CPU % is 0, not the last running one", TIMEOUT,
				() -> "0.0 %".equals(Workbench.sync(() -> view.cell(A, CPU))));
		Screenshots.save(Workbench.sync(() -> window().getShell()), "containers-frozen-cpu");
		Workbench.syncRun(() -> editor.showPage(2));
		Screenshots.save(Workbench.sync(() -> window().getShell()), "editor-frozen");
		Workbench.get(workbench.engine().thaw(A));
		Workbench.waitUntil("the limits note says running", TIMEOUT, () -> Workbench.sync(() -> ((Label) Widgets
				.byId(top, "editor.limits.note")).getText().startsWith("\"" + A + "\" is running")));
	}

	/** The CPU % column of the Containers view. */
	private static final int CPU = 5;

	private static double percent(String cell) {
		return cell == null || cell.isBlank() ? -1 : Double.parseDouble(cell.replace("%", "").trim());
	}

	// ---- 6. names and keys ----------------------------------------------------------------------------------

	@Test
	void longNamesSayWhyAndNoMnemonicOfTheWizardCollides() throws Exception {
		WizardDialog dialog = openWizard(engineOf());
		Shell shell = Workbench.sync(dialog::getShell);
		Workbench.syncRun(() -> Widgets.type(Widgets.byId(shell, "wizard.name"), "n".repeat(200)));
		String error = Workbench.sync(() -> dialog.getCurrentPage().getErrorMessage());
		assertTrue(error.startsWith("the name is 200 characters long"), error);
		Workbench.syncRun(() -> Widgets.type(Widgets.byId(shell, "wizard.name"), "n".repeat(64)));
		assertNull(Workbench.sync(() -> dialog.getCurrentPage().getErrorMessage()));
		String warning = Workbench.sync(() -> dialog.getCurrentPage().getMessage());
		assertTrue(warning.contains("64 characters") && warning.contains("at most 63"), warning);
		Screenshots.save(shell, "wizard-long-name");

		// Alt+N must reach one thing: no two controls of a page, or a page and the dialog's buttons, share a
		// mnemonic (the Name field's Alt+N was taken by Next)
		Map<Character, String> buttons = mnemonics(Workbench.sync(() -> Widgets.all(shell, c -> c instanceof Button b
				&& (b.getStyle() & SWT.PUSH) != 0 && !isOnAPage(dialog, b))));
		for (String page : List.of("general", "namespaces", "resources", "network")) {
			Map<Character, String> mine = new HashMap<>(buttons);
			List<Control> controls = Workbench.sync(() -> Widgets.all(dialog.getCurrentPage().getControl(),
					c -> c instanceof Label || c instanceof Button));
			for (var e : mnemonics(controls).entrySet()) {
				String before = mine.put(e.getKey(), e.getValue());
				assertNull(before, "Alt+" + e.getKey() + " on the " + page + " page is both \"" + before + "\" and \""
						+ e.getValue() + "\"");
			}
			if (!page.equals("network")) {
				next(shell);
			}
		}
	}

	// ---- helpers --------------------------------------------------------------------------------------------

	private static boolean isOnAPage(WizardDialog dialog, Control c) {
		for (Control p = c; p != null; p = p.getParent()) {
			if (p == dialog.getCurrentPage().getControl()) {
				return true;
			}
		}
		return false;
	}

	/** The mnemonic letters of these labels and buttons, each with its text (a duplicate within fails). */
	private static Map<Character, String> mnemonics(List<Control> controls) {
		Map<Character, String> out = new HashMap<>();
		Workbench.syncRun(() -> {
			for (Control c : controls) {
				if (!c.isVisible()) {
					continue;
				}
				String text = c instanceof Label l ? l.getText() : ((Button) c).getText();
				int amp = text.indexOf('&');
				if (amp >= 0 && amp + 1 < text.length() && text.charAt(amp + 1) != '&') {
					char key = Character.toLowerCase(text.charAt(amp + 1));
					String before = out.put(key, text);
					assertNull(before, "Alt+" + key + " is both \"" + before + "\" and \"" + text + "\"");
				}
			}
		});
		return out;
	}

	private static List<String> labels(Shell shell) {
		return Widgets.all(shell, c -> c instanceof Label).stream().map(c -> ((Label) c).getText()).toList();
	}

	private static WizardDialog openWizard(ContainerEngine engine) {
		Shell parent = Workbench.sync(() -> window().getShell());
		return Workbench.sync(() -> {
			WizardDialog d = NewContainerWizard.dialog(parent, engine);
			d.setBlockOnOpen(false);
			d.open();
			return d;
		});
	}

	private static void next(Shell shell) {
		Workbench.syncRun(() -> Widgets.click(Widgets.button(shell, "Next >")));
	}

	private static org.eclipse.ui.IWorkbenchWindow window() {
		return Workbench.window();
	}

	/**
	 * An engine that holds these stopped definitions and answers what the wizard asks (list, get, templates, the
	 * validation context); it is never asked to act, because these tests do not finish the wizard.
	 */
	private static ContainerEngine engineOf(ContainerSpec... specs) {
		Map<String, ContainerSnapshot> byName = new HashMap<>();
		for (ContainerSpec s : specs) {
			byName.put(s.name(), ContainerSnapshot.stopped(s));
		}
		List<ContainerSpec> all = new ArrayList<>(List.of(specs));
		Set<String> templates = Set.of("busybox");
		return (ContainerEngine) Proxy.newProxyInstance(ConsoleModelTest.class.getClassLoader(),
				new Class<?>[]{ContainerEngine.class}, (proxy, method, args) -> switch (method.getName()) {
					case "list" -> List.copyOf(byName.values());
					case "get" -> Optional.ofNullable(byName.get((String) args[0]));
					case "templates" -> templates;
					case "validationContext" -> SpecValidator.ValidationContext.ofSpecs(all, Set.of(), templates,
							Runtime.getRuntime().availableProcessors());
					case "images" -> CompletableFuture.completedFuture(List.of());
					case "addListener", "removeListener" -> null;
					case "toString" -> "test engine of " + byName.keySet().stream().collect(Collectors.joining(", "));
					case "hashCode" -> System.identityHashCode(proxy);
					case "equals" -> proxy == args[0];
					default -> throw new UnsupportedOperationException(method.getName() + " is not for the wizard");
				});
	}
}
