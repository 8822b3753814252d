package org.berth.ui.tests;

import java.nio.file.Path;
import java.nio.file.Files;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSpec;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;
import org.berth.core.Sizes;
import org.berth.ui.containers.ContainersView;
import org.berth.ui.editor.ContainerEditor;
import org.berth.ui.handlers.BerthCommands;
import org.berth.ui.handlers.OpenContainerHandler;
import org.berth.ui.jobs.BerthJobs;
import org.berth.ui.namespaces.NamespacesView;
import org.berth.ui.specs.NamespacesEditor;
import org.berth.ui.wizards.NewContainerWizard;
import org.eclipse.core.commands.Command;
import org.eclipse.core.commands.common.CommandException;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.swt.custom.CLabel;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.ToolBar;
import org.eclipse.swt.widgets.ToolItem;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.commands.ICommandService;
import org.eclipse.ui.handlers.IHandlerService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console with real containers (root, busybox template): the New Container wizard with a namespace
 * selection, the Containers view, the lifecycle commands, the Namespaces view, live limits in the editor, stop and
 * destroy. Every step waits on a condition; screenshots land in {@code target/screenshots/}.
 */
class ContainerConsoleTest {

	@RegisterExtension
	static final Workbench workbench = Workbench.withContainers();

	private static final Duration TIMEOUT = Duration.ofSeconds(60);
	/** Sorted so that the sharer comes first in the table (the destroy job orders them anyway). */
	private static final String BASE = "uit-base";
	private static final String WEB = "uit-web";
	private static final String COPY = "uit-base-copy";
	private static final String LOG = "uit-log";

	private ContainerEngine engine;

	@BeforeEach
	void setUp() {
		engine = workbench.engine();
	}

	@Test
	void theConsoleLogPageReadsEachRunAfresh() throws Exception {
		workbench.define(ContainerSpec.builder(LOG).template("busybox").build());
		ContainerEditor editor = Workbench.sync(() -> {
			try {
				return OpenContainerHandler.open(window().getActivePage(), LOG);
			} catch (Exception e) {
				throw new AssertionError(e);
			}
		});
		Workbench.syncRun(() -> editor.showPage(editor.consolePageIndex()));
		Workbench.waitUntil("a sentence for a container that never ran", TIMEOUT,
				() -> Workbench.sync(editor::consoleLogStatus).contains("no console log yet"));
		// the Container menu acts on the active editor's container
		assertTrue(enabled(BerthCommands.START) && !enabled(BerthCommands.STOP), "a stopped container in the editor");

		long first = get(engine.start(LOG)).initPid();
		Workbench.waitUntil("Stop for the running container in the editor", TIMEOUT,
				() -> enabled(BerthCommands.STOP) && !enabled(BerthCommands.START));
		Workbench.waitUntil("the first run's log, followed", TIMEOUT, () -> Workbench.sync(editor::consoleLogText)
				.contains(LOG + " is up") && Workbench.sync(editor::consoleLogStatus).contains("as it writes it"));
		get(engine.stop(LOG, Duration.ofSeconds(10)));
		Workbench.waitUntil("the end of the run is shown", TIMEOUT, () -> Workbench.sync(editor::consoleLogText)
				.contains(LOG + " is going down") && Workbench.sync(editor::consoleLogStatus).contains("not running"));

		long second = get(engine.start(LOG)).initPid();
		assertTrue(second != first);
		get(engine.exec(LOG, ExecRequest.of("sh", "-c", "echo second-run-mark >/dev/console")));
		Workbench.waitUntil("the second run's log, followed", TIMEOUT, () -> Workbench.sync(editor::consoleLogText)
				.contains("second-run-mark") && Workbench.sync(editor::consoleLogStatus).contains("as it writes it"));
	}

	@Test
	void createInTheWizardStartSeeNamespacesChangeALimitStopAndDestroy() throws Exception {
		// a running container to share a namespace with, made through the engine service
		workbench.run(ContainerSpec.builder(BASE).template("busybox").build());
		ContainersPage view = ContainersPage.open();
		Workbench.waitUntil(BASE + " is shown as running", TIMEOUT,
				() -> "Running".equals(Workbench.sync(() -> view.cell(BASE, 1))));

		// ---- the wizard
		Shell parent = Workbench.sync(() -> window().getShell());
		WizardDialog dialog = Workbench.sync(() -> {
			WizardDialog d = NewContainerWizard.dialog(parent, engine);
			d.setBlockOnOpen(false);
			d.open();
			return d;
		});
		NewContainerWizard wizard = (NewContainerWizard) dialog.getCurrentPage().getWizard();
		Shell shell = Workbench.sync(dialog::getShell);

		Workbench.syncRun(() -> Widgets.type(Widgets.byId(shell, "wizard.name"), "bad name!"));
		String nameError = Workbench.sync(() -> dialog.getCurrentPage().getErrorMessage());
		assertNotNull(nameError, "a bad name is refused as it is typed");
		assertTrue(nameError.contains("is not a valid container name"), nameError);
		assertFalse(Workbench.sync(() -> Widgets.button(shell, "Finish").isEnabled()));
		Workbench.syncRun(() -> Widgets.type(Widgets.byId(shell, "wizard.name"), WEB));
		assertNull(Workbench.sync(() -> dialog.getCurrentPage().getErrorMessage()));
		Screenshots.save(shell, "wizard-1-general");

		Workbench.syncRun(() -> Widgets.click(Widgets.button(shell, "Next >")));
		assertEquals("namespaces", Workbench.sync(() -> dialog.getCurrentPage().getName()));
		// a user namespace of its own is the default (the engine picks its ids): nothing to say
		assertEquals("New", Workbench.sync(() -> ((Combo) Widgets.byId(shell, "ns.user")).getText()));
		assertEquals("", Workbench.sync(() -> ((Label) Widgets.byId(shell, "ns.user.problems")).getText()));
		// the host's: a privileged container, said under the User row; a choice the user may make
		Workbench.syncRun(() -> Widgets.choose(Widgets.byId(shell, "ns.user"), "Host's"));
		String userProblem = Workbench.sync(() -> ((Label) Widgets.byId(shell, "ns.user.problems")).getText());
		assertTrue(userProblem.contains("is privileged: root inside it is root on the host"), userProblem);
		assertTrue(Workbench.sync(() -> Widgets.button(shell, "Finish").isEnabled()), "a warning, not an error");
		Screenshots.save(shell, "wizard-2-namespaces-privileged");
		Workbench.syncRun(() -> Widgets.choose(Widgets.byId(shell, "ns.user"), "New"));
		// pid shared with a system container: refused, in the validator's words
		Workbench.syncRun(() -> Widgets.choose(Widgets.byId(shell, "ns.pid"), "Share with " + BASE));
		String pidProblem = Workbench.sync(() -> ((Label) Widgets.byId(shell, "ns.pid.problems")).getText());
		assertTrue(pidProblem.contains("its init expects to be PID 1"), pidProblem);
		Workbench.syncRun(() -> Widgets.choose(Widgets.byId(shell, "ns.pid"), "New"));
		// the selection of this test: uts shared with the running container, net of the host
		Workbench.syncRun(() -> Widgets.choose(Widgets.byId(shell, "ns.uts"),
				NamespacesEditor.label(NamespaceSpec.share(NamespaceType.UTS, BASE))));
		Workbench.syncRun(() -> Widgets.choose(Widgets.byId(shell, "ns.net"), "Host's"));
		assertNull(Workbench.sync(() -> dialog.getCurrentPage().getErrorMessage()));
		assertEquals("", Workbench.sync(() -> ((Label) Widgets.byId(shell, "ns.uts.problems")).getText()));
		assertTrue(Workbench.sync(() -> Widgets.button(shell, "Finish").isEnabled()), "a valid selection can finish");
		Screenshots.save(shell, "wizard-2-namespaces");

		Workbench.syncRun(() -> Widgets.click(Widgets.button(shell, "Next >")));
		assertEquals("resources", Workbench.sync(() -> dialog.getCurrentPage().getName()));
		Workbench.syncRun(() -> Widgets.type(Widgets.byId(shell, "limits.memory"), "2"));
		assertTrue(Workbench.sync(() -> dialog.getCurrentPage().getErrorMessage()).contains("too small"),
				"the smallest memory limit is explained");
		Workbench.syncRun(() -> Widgets.type(Widgets.byId(shell, "limits.memory"), "64"));
		Workbench.syncRun(() -> Widgets.type(Widgets.byId(shell, "limits.pids"), "100"));
		assertNull(Workbench.sync(() -> dialog.getCurrentPage().getErrorMessage()));
		Screenshots.save(shell, "wizard-3-resources");

		Workbench.syncRun(() -> Widgets.click(Widgets.button(shell, "Next >")));
		assertEquals("network", Workbench.sync(() -> dialog.getCurrentPage().getName()));
		String command = Workbench.sync(() -> ((Text) Widgets.byId(shell, "wizard.command")).getText());
		assertTrue(command.startsWith("berth create " + WEB), command);
		// the host's net namespace is the host's network (one model on both pages), which --network host says
		assertTrue(command.contains("--ns uts=share:" + BASE) && command.contains("--network host")
				&& command.contains("--memory 64M"), command);
		Screenshots.save(shell, "wizard-4-network");

		workbench.track(WEB);
		Workbench.syncRun(() -> Widgets.click(Widgets.button(shell, "Finish")));
		assertTrue(Workbench.sync(shell::isDisposed), "the wizard closed once the container was made");
		assertNull(wizard.job(), "nothing to start");

		// ---- the view shows it, stopped; Start is enabled, Stop is not
		Workbench.waitUntil(WEB + " is in the Containers view", TIMEOUT,
				() -> "Stopped".equals(Workbench.sync(() -> view.cell(WEB, 1))));
		activate(ContainersView.ID);
		Workbench.syncRun(() -> view.select(WEB));
		Workbench.waitUntil("the toolbar offers Start, not Stop", TIMEOUT,
				() -> toolItemEnabled("Start") && !toolItemEnabled("Stop"));
		assertFalse(enabled(BerthCommands.STOP), "Stop of a stopped container");
		assertTrue(enabled(BerthCommands.START), "Start of a stopped container");
		assertTrue(enabled(BerthCommands.DESTROY), "Destroy of a stopped container");

		// ---- start it with the command, as the toolbar, menu and Ctrl+E do
		Workbench.execute(BerthCommands.START);
		Widgets.awaitJobs(BerthJobs.FAMILY, TIMEOUT);
		Workbench.waitUntil(WEB + " running with its init PID", TIMEOUT, () -> Workbench.sync(() -> {
			String[] row = view.rowTexts(WEB);
			return row != null && "Running".equals(row[1]) && row[3].matches("[0-9]+");
		}));
		assertEquals(Long.toString(engine.get(WEB).orElseThrow().initPid()), Workbench.sync(() -> view.cell(WEB, 3)));
		Workbench.waitUntil("the toolbar offers Stop, not Start", TIMEOUT,
				() -> !toolItemEnabled("Start") && toolItemEnabled("Stop") && toolItemEnabled("Freeze"));
		assertFalse(enabled(BerthCommands.START), "Start of a running container");
		assertFalse(enabled(BerthCommands.DESTROY), "Destroy of a running container");
		assertTrue(enabled(BerthCommands.STOP) && enabled(BerthCommands.FREEZE), "Stop and Freeze of a running one");
		Workbench.waitUntil("usage columns filled by the sampler", TIMEOUT,
				() -> Workbench.sync(() -> view.cell(WEB, 6)).endsWith("/ 64 MiB"));
		String status = Workbench.sync(() -> statusText());
		assertTrue(status.startsWith("Engine connected · "), status);
		assertTrue(status.matches(".*[2-9][0-9]* running / [0-9]+ total"), status);

		// ---- filter and sort
		Workbench.syncRun(() -> view.filter("web"));
		assertEquals(List.of(WEB), Workbench.sync(view::shownNames));
		Workbench.syncRun(() -> view.filter("nothing-like-this"));
		assertTrue(Workbench.sync(view::emptyText).startsWith("No container matches"));
		Workbench.syncRun(() -> view.filter(""));
		assertEquals(List.of(BASE, WEB), Workbench.sync(view::shownNames));
		Workbench.syncRun(() -> view.clickHeader(0));
		assertEquals(List.of(WEB, BASE), Workbench.sync(view::shownNames), "a second click sorts descending");
		Workbench.syncRun(() -> view.clickHeader(0));
		String banner = Workbench.sync(view::bannerText);
		assertFalse(banner.contains("not running as root"), banner);
		if (lxcfsMounted()) { // without it the banner says once that containers see the host's /proc files
			assertEquals("", banner, "as root, with lxcfs mounted, the engine has no limitations to explain");
		}

		// ---- the Namespaces view: uts shared with the base container, net the host's
		NamespacesView namespaces = namespacesView();
		Workbench.waitUntil("the Namespaces view shows the shared uts namespace", TIMEOUT, () -> Workbench.sync(
				() -> String.valueOf(namespaces.cellText(WEB, NamespaceType.UTS)).startsWith("shared with " + BASE)));
		assertEquals("host", Workbench.sync(() -> namespaces.cellText(WEB, NamespaceType.NET)));
		assertEquals("new", Workbench.sync(() -> namespaces.cellText(WEB, NamespaceType.PID)));
		assertTrue(Workbench.sync(() -> namespaces.cellText(BASE, NamespaceType.UTS)).contains("joined by " + WEB),
				"the base container's uts cell names who joined it");
		assertFalse(Workbench.sync(() -> namespaces.isDrift(WEB, NamespaceType.UTS)), "as configured: no drift");
		activate(ContainersView.ID);
		Workbench.syncRun(() -> view.select(WEB, BASE));
		try {
			Workbench.waitUntil("the toolbar offers Stop for both", Duration.ofSeconds(20),
					() -> toolItemEnabled("Stop") && !toolItemEnabled("Start"));
		} catch (AssertionError e) {
			throw new AssertionError(e.getMessage() + "; " + diagnosis(view), e);
		}
		Screenshots.save(Workbench.sync(() -> window().getShell()), "main-window");
		Screenshots.save(Workbench.sync(() -> namespaces.control()), "namespaces-view");

		// ---- the editor: the command line on the Overview, a limit changed live on Resources
		ContainerEditor editor = Workbench.sync(() -> {
			try {
				return OpenContainerHandler.open(window().getActivePage(), WEB);
			} catch (Exception e) {
				throw new AssertionError(e);
			}
		});
		assertTrue(Workbench.sync(editor::commandLine).contains("--ns uts=share:" + BASE));
		Screenshots.save(Workbench.sync(() -> window().getShell()), "editor-overview");
		Workbench.syncRun(() -> editor.showPage(2));
		Workbench.syncRun(() -> Widgets.type(Widgets.byId(editor.limitsEditor().control(), "limits.memory"), "128"));
		Workbench.syncRun(() -> Widgets.click(Widgets.byId(editor.limitsEditor().control().getParent(),
				"editor.limits.apply")));
		Widgets.awaitJobs(BerthJobs.FAMILY, TIMEOUT);
		assertTrue(editor.lastJob().getResult().isOK(), () -> editor.lastJob().getResult().toString());
		assertEquals(128 * Sizes.MIB, engine.get(WEB).orElseThrow().spec().limits().memoryBytes());
		assertEquals(128 * Sizes.MIB, get(engine.usage(WEB)).memoryLimitBytes(), "the cgroup limit changed live");
		Workbench.waitUntil("the view shows the new memory limit", TIMEOUT,
				() -> Workbench.sync(() -> view.cell(WEB, 6)).endsWith("/ 128 MiB"));
		Screenshots.save(Workbench.sync(() -> window().getShell()), "editor-resources");

		// ---- the editor's Network page: a veth takes a net namespace of its own; a bad address is explained
		Workbench.syncRun(() -> editor.showPage(3));
		Composite net = Workbench.sync(() -> editor.networkEditor().control());
		Workbench.syncRun(() -> Widgets.click(Widgets.byId(net, "network.veth")));
		assertEquals("New", Workbench.sync(() -> ((Combo) Widgets.byId(editor.namespacesEditor().control(),
				"ns.net")).getText()), "the net namespace follows the network mode");
		Workbench.syncRun(() -> Widgets.type(Widgets.byId(net, "network.address"), "10.88.0.0/24"));
		String netProblem = Workbench.sync(() -> ((Label) Widgets.byId(net, "network.problems")).getText());
		assertTrue(netProblem.contains("address of the network itself"), netProblem);
		assertTrue(Workbench.sync(editor::isDirty));
		Screenshots.save(Workbench.sync(() -> window().getShell()), "editor-network");
		Workbench.syncRun(() -> Widgets.click(Widgets.byId(net, "network.none")));
		Workbench.syncRun(() -> Widgets.choose(Widgets.byId(editor.namespacesEditor().control(), "ns.net"), "Host's"));
		assertFalse(Workbench.sync(editor::isDirty), "back to what was saved");

		// ---- the editor's Console log page: the history since the start, then what reaches the console now
		Workbench.syncRun(() -> editor.showPage(editor.consolePageIndex()));
		Workbench.waitUntil("the console log's history", TIMEOUT,
				() -> Workbench.sync(editor::consoleLogText).contains(" is up"));
		ExecResult mark = get(engine.exec(WEB, ExecRequest.of("sh", "-c", "echo console-mark-$((6*7)) >/dev/console")));
		assertEquals(0, mark.exitCode(), mark::stderrText);
		Workbench.waitUntil("a line written to the console after the page opened", TIMEOUT,
				() -> Workbench.sync(editor::consoleLogText).contains("console-mark-42"));
		assertTrue(Workbench.sync(editor::consoleLogStatus).contains("as it writes it"),
				() -> Workbench.sync(editor::consoleLogStatus));
		assertFalse(Workbench.sync(editor::consoleLogText).contains("\u001b"), "no escape sequences shown");
		get(engine.exec(WEB, ExecRequest.of("sh", "-c", "for i in $(seq 1 60); do echo line-$i; done >/dev/console")));
		Workbench.waitUntil("60 more lines", TIMEOUT, () -> Workbench.sync(editor::consoleLogText).contains("line-60"));
		StyledText log = Workbench.sync(() -> Widgets.byId(window().getShell(), "editor.console.text"));
		Workbench.waitUntil("the page follows the end", TIMEOUT, () -> Workbench.sync(() -> log.getTopIndex()
				+ log.getClientArea().height / log.getLineHeight() >= log.getLineCount() - 1));
		Screenshots.save(Workbench.sync(() -> window().getShell()), "editor-console-log");

		// ---- the editor's Namespaces page: uts=new saved while running; the running one drifts from it
		Workbench.syncRun(() -> editor.showPage(1));
		assertTrue(Workbench.sync(() -> ((Label) Widgets.byId(editor.namespacesEditor().control().getParent(),
				"editor.namespaces.note")).getText()).contains("apply at its next start"));
		Workbench.syncRun(() -> Widgets.choose(Widgets.byId(editor.namespacesEditor().control(), "ns.uts"), "New"));
		assertTrue(Workbench.sync(editor::isDirty), "a changed namespace makes the editor dirty");
		Workbench.syncRun(() -> editor.doSave(null));
		Widgets.awaitJobs(BerthJobs.FAMILY, TIMEOUT);
		assertTrue(editor.lastJob().getResult().isOK(), () -> editor.lastJob().getResult().toString());
		assertEquals(NamespaceSpec.ofNew(NamespaceType.UTS),
				engine.get(WEB).orElseThrow().spec().namespace(NamespaceType.UTS));
		Workbench.waitUntil("the Namespaces view marks the drift", TIMEOUT,
				() -> Workbench.sync(() -> namespaces.isDrift(WEB, NamespaceType.UTS)));
		assertEquals("shared with " + BASE + " (configured: new)",
				Workbench.sync(() -> namespaces.cellText(WEB, NamespaceType.UTS)));
		Screenshots.save(Workbench.sync(() -> window().getShell()), "editor-namespaces-drift");
		Workbench.syncRun(() -> window().getActivePage().closeAllEditors(false));

		// ---- freeze and thaw
		activate(ContainersView.ID);
		Workbench.syncRun(() -> view.select(WEB));
		Workbench.execute(BerthCommands.FREEZE);
		Widgets.awaitJobs(BerthJobs.FAMILY, TIMEOUT);
		Workbench.waitUntil(WEB + " frozen", TIMEOUT, () -> "Frozen".equals(Workbench.sync(() -> view.cell(WEB, 1))));
		try {
			Workbench.waitUntil("the toolbar offers Thaw, not Freeze", Duration.ofSeconds(10),
					() -> toolItemEnabled("Thaw") && !toolItemEnabled("Freeze"));
		} catch (AssertionError e) {
			throw new AssertionError(e.getMessage() + "; " + diagnosis(view), e);
		}
		Workbench.execute(BerthCommands.THAW);
		Widgets.awaitJobs(BerthJobs.FAMILY, TIMEOUT);
		Workbench.waitUntil(WEB + " running again", TIMEOUT,
				() -> "Running".equals(Workbench.sync(() -> view.cell(WEB, 1))));

		// ---- stop both: several containers, so the console asks first
		activate(ContainersView.ID);
		Workbench.syncRun(() -> view.select(WEB, BASE));
		assertEquals(2, Workbench.sync(() -> view.viewer().getStructuredSelection().size()));
		assertTrue(enabled(BerthCommands.STOP));
		assertFalse(enabled(BerthCommands.CLONE), "Clone takes one stopped container");
		answer(BerthCommands.STOP, "Stop Containers", "Stop");
		Widgets.awaitJobs(BerthJobs.FAMILY, TIMEOUT);
		Workbench.waitUntil("both stopped", TIMEOUT, () -> Workbench.sync(
				() -> "Stopped".equals(view.cell(WEB, 1)) && "Stopped".equals(view.cell(BASE, 1))));
		assertEquals("", Workbench.sync(() -> view.cell(WEB, 3)), "no PID when stopped");

		// ---- clone the stopped base container under a name given in a dialog
		workbench.track(COPY);
		Workbench.syncRun(() -> view.select(BASE));
		assertTrue(enabled(BerthCommands.CLONE), () -> "Clone of one stopped container; " + diagnosis(view));
		Workbench.display().asyncExec(() -> {
			try {
				window().getService(IHandlerService.class).executeCommand(BerthCommands.CLONE, null);
			} catch (CommandException e) {
				throw new IllegalStateException(e);
			}
		});
		Workbench.waitUntil("the Clone dialog", TIMEOUT,
				() -> Workbench.sync(() -> Widgets.shell("Clone Container") != null));
		Workbench.syncRun(() -> {
			Shell clone = Widgets.shell("Clone Container");
			Text name = (Text) Widgets.all(clone, c -> c instanceof Text).get(0);
			Widgets.type(name, "bad name");
			if (Widgets.button(clone, "OK").isEnabled()) {
				throw new AssertionError("a bad name cannot be confirmed");
			}
			Widgets.type(name, COPY);
			Widgets.click(Widgets.button(clone, "OK"));
		});
		Workbench.syncRun(() -> window().getShell().forceActive());
		activate(ContainersView.ID);
		Widgets.awaitJobs(BerthJobs.FAMILY, TIMEOUT);
		Workbench.waitUntil("the copy in the view", TIMEOUT,
				() -> "Stopped".equals(Workbench.sync(() -> view.cell(COPY, 1))));
		assertEquals(org.berth.core.CommandLines.createCommandLine(engine.get(BASE).orElseThrow().spec())
				.replace(BASE, COPY),
				org.berth.core.CommandLines.createCommandLine(engine.get(COPY).orElseThrow().spec()));

		// ---- destroy the three (the job destroys the sharer first)
		Workbench.syncRun(() -> view.select(BASE, WEB, COPY));
		assertEquals(List.of(BASE, COPY, WEB), Workbench.sync(view::selectedNames));
		assertTrue(enabled(BerthCommands.DESTROY) && enabled(BerthCommands.START), "all stopped");
		answer(BerthCommands.DESTROY, "Destroy Containers", "Destroy");
		Widgets.awaitJobs(BerthJobs.FAMILY, TIMEOUT);
		Workbench.waitUntil("all gone from the view", TIMEOUT, () -> Workbench.sync(
				() -> view.rowTexts(WEB) == null && view.rowTexts(BASE) == null && view.rowTexts(COPY) == null));
		assertTrue(engine.get(WEB).isEmpty() && engine.get(BASE).isEmpty() && engine.get(COPY).isEmpty());
		assertTrue(Workbench.sync(view::emptyText).startsWith("No containers yet"), "the empty view says what to do");
		Screenshots.save(Workbench.sync(() -> window().getShell()), "empty");
	}

	// ---- helpers --------------------------------------------------------------------------------------------

	private static <T> T get(CompletableFuture<T> f) throws Exception {
		return Workbench.get(f);
	}

	private static IWorkbenchWindow window() {
		return Workbench.window();
	}

	private static void activate(String viewId) {
		Workbench.activate(viewId);
	}

	private static NamespacesView namespacesView() {
		return Workbench.showView(NamespacesView.ID, NamespacesView.class);
	}

	private static String statusText() {
		List<org.eclipse.swt.widgets.Control> found = Widgets.all(window().getShell(),
				c -> c instanceof CLabel && "status.engine".equals(c.getData(Widgets.TEST_ID)));
		return found.isEmpty() ? "" : ((CLabel) found.get(0)).getText();
	}

	/** What the console and the engine say, for a failure message. */
	private String diagnosis(ContainersPage view) {
		return "tool items: Start " + toolItemEnabled("Start") + ", Stop " + toolItemEnabled("Stop") + ", Freeze "
				+ toolItemEnabled("Freeze") + ", Thaw " + toolItemEnabled("Thaw") + "; commands: Start "
				+ enabled(BerthCommands.START) + ", Stop " + enabled(BerthCommands.STOP) + ", Thaw "
				+ enabled(BerthCommands.THAW) + "; active part "
				+ Workbench.sync(() -> window().getActivePage().getActivePartReference().getId()) + "; selection "
				+ Workbench.sync(() -> view.viewer().getStructuredSelection().toList()) + "; engine "
				+ engine.list().stream().map(x -> x.name() + "=" + x.state() + "/" + x.initPid()).toList();
	}

	/** Whether the Containers view's tool item whose tooltip starts with {@code verb} is enabled. */
	private static boolean toolItemEnabled(String verb) {
		return Workbench.sync(() -> {
			ToolBar bar = Widgets.byId(window().getShell(), "containers.toolbar");
			for (ToolItem item : bar.getItems()) {
				if (item.getToolTipText() != null && item.getToolTipText().startsWith(verb + " ")) {
					return item.getEnabled();
				}
			}
			throw new AssertionError("no tool item " + verb);
		});
	}

	/** Whether a command is enabled for the current selection, as the menu and toolbar show it. */
	private static boolean enabled(String commandId) {
		return Workbench.sync(() -> {
			IHandlerService handlers = window().getService(IHandlerService.class);
			Command c = window().getService(ICommandService.class).getCommand(commandId);
			c.setEnabled(handlers.getCurrentState());
			return c.isEnabled();
		});
	}

	/** Runs a command that asks first, and answers its question with {@code button}. */
	private static void answer(String commandId, String title, String button) throws InterruptedException {
		Workbench.display().asyncExec(() -> {
			try {
				window().getService(IHandlerService.class).executeCommand(commandId, null);
			} catch (CommandException e) {
				throw new IllegalStateException(e);
			}
		});
		Workbench.waitUntil("the question \"" + title + "\"", TIMEOUT,
				() -> Workbench.sync(() -> Widgets.shell(title) != null));
		try {
			Screenshots.save(Workbench.sync(() -> Widgets.shell(title)), "confirm-" + title.toLowerCase()
					.replace(' ', '-'));
		} catch (IOException e) {
			throw new AssertionError(e);
		}
		Workbench.syncRun(() -> {
			Button b = Widgets.button(Widgets.shell(title), button);
			b.notifyListeners(org.eclipse.swt.SWT.Selection, new org.eclipse.swt.widgets.Event());
		});
		Workbench.waitUntil("the question is answered", TIMEOUT,
				() -> Workbench.sync(() -> Widgets.shell(title) == null));
		// without a window manager (Xvfb) nobody gives the workbench window its activation back
		Workbench.syncRun(() -> window().getShell().forceActive());
		activate(ContainersView.ID);
	}

	private static boolean lxcfsMounted() throws IOException {
		return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
				.anyMatch(l -> l.contains(" /var/lib/lxcfs ") && l.contains(" - fuse.lxcfs "));
	}
}
