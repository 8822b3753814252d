package org.berth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.berth.agent.Agent;
import org.berth.client.AgentEngine;
import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.TerminalRequest;
import org.berth.ui.containers.ContainersView;
import org.berth.ui.handlers.BerthCommands;
import org.berth.ui.internal.Engines;
import org.berth.ui.namespaces.NamespacesView;
import org.berth.ui.terminal.TerminalTab;
import org.berth.ui.terminal.TerminalsView;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;

/**
 * The console as a client of the agent, as it runs for a user other than root: an agent (in this process, on its own
 * socket, over the tests' engine) and the console's engine service replaced by an {@link AgentEngine} on that
 * socket. The Containers view lists a container through it, Start and Stop go through it (the agent's audit trail
 * has them), and a terminal opened in it answers. Screenshot: agent-console.png.
 * <p>
 * What this does not show: the console as an unprivileged user (the test runtime is root's; AgentTest runs the
 * command line as nobody in group berth, and the agent's peer check is the same for both), and the status line,
 * which takes its engine when the window opens.
 */
class AgentConsoleTest {

	@RegisterExtension
	static final Workbench workbench = Workbench.withContainers();

	private static final Duration TIMEOUT = Duration.ofSeconds(60);
	private static final String NAME = "uit-agent";

	@Test
	void theConsoleThroughTheAgentListsStartsStopsAndOpensATerminal() throws Exception {
		ContainerEngine local = workbench.engine();
		Path dir = Files.createTempDirectory("berth-ui-agent");
		Path audit = dir.resolve("audit.jsonl");
		ServiceRegistration<ContainerEngine> registration = null;
		AgentEngine client = null;
		try (Agent agent = Agent.start(Agent.Config.defaults().withSocket(dir.resolve("berth.sock"))
				.withAuditLog(audit), local)) {
			client = AgentEngine.connect(agent.socket());
			Hashtable<String, Object> ranking = new Hashtable<>();
			ranking.put(Constants.SERVICE_RANKING, 1000);
			registration = FrameworkUtil.getBundle(Engines.class).getBundleContext()
					.registerService(ContainerEngine.class, client, ranking);
			AgentEngine through = client;
			assertTrue(Engines.find().orElseThrow() == through, "the console's engine is the agent's client");
			reopenContainersView();

			workbench.define(ContainerSpec.builder(NAME).template("busybox").build());
			ContainersPage view = ContainersPage.open();
			Workbench.waitUntil(NAME + " listed through the agent", TIMEOUT,
					() -> Workbench.sync(() -> view.rowTexts(NAME)) != null);
			Workbench.syncRun(() -> view.select(NAME));
			Workbench.execute(BerthCommands.START);
			Workbench.waitUntil(NAME + " running", TIMEOUT,
					() -> local.get(NAME).map(s -> s.state() == ContainerState.RUNNING).orElse(false));
			Workbench.waitUntil("the view shows it running", TIMEOUT,
					() -> "Running".equals(Workbench.sync(() -> view.cell(NAME, 1))));

			TerminalsView terminals = Workbench.showView(TerminalsView.ID, TerminalsView.class);
			TerminalTab tab = Workbench.sync(() -> terminals.open(NAME, TerminalRequest.shell(80, 24)).orElseThrow());
			awaitText(tab, "# "); // the terminal's widget takes input once it is connected
			Workbench.syncRun(() -> tab.terminal().pasteString("echo via-agent-$((6*7))\r"));
			awaitText(tab, "via-agent-42");
			Workbench.activate(ContainersView.ID);
			Screenshots.save(Workbench.sync(() -> Workbench.window().getShell()), "agent-console");
			Workbench.syncRun(tab::close);

			Workbench.syncRun(() -> view.select(NAME));
			Workbench.execute(BerthCommands.STOP);
			Workbench.waitUntil(NAME + " stopped", TIMEOUT,
					() -> local.get(NAME).map(s -> !s.isActive()).orElse(false));
			String trail = Files.readString(audit);
			assertTrue(trail.contains("\"action\":\"start\"") && trail.contains("\"action\":\"stop\""),
					"start and stop went through the agent: " + trail);
			assertTrue(trail.contains("\"action\":\"terminal\""), "so did the terminal: " + trail);
		} finally {
			if (registration != null) {
				registration.unregister();
			}
			if (client != null) {
				client.close();
			}
			reopenContainersView(); // the other tests' views on the engine of this process
			reopenIfMade(NamespacesView.ID);
			deleteTree(dir);
		}
	}

	private static String text(TerminalTab tab) {
		return Workbench.sync(() -> {
			tab.terminal().selectAll();
			String all = tab.terminal().getSelection();
			return all == null ? "" : all;
		});
	}

	private static void awaitText(TerminalTab tab, String regex) throws InterruptedException {
		Pattern p = Pattern.compile(regex);
		try {
			Workbench.waitUntil("/" + regex + "/ in the terminal", TIMEOUT, () -> p.matcher(text(tab)).find());
		} catch (AssertionError e) {
			throw new AssertionError(e.getMessage() + "; the terminal shows: " + text(tab), e);
		}
	}

	/** The Containers view takes its engine when it is made: closed and shown again, it takes the current one. */
	private static void reopenContainersView() {
		Workbench.syncRun(() -> {
			var page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
			var ref = page.findViewReference(ContainersView.ID);
			if (ref != null) {
				page.hideView(ref);
			}
		});
		Workbench.showView(ContainersView.ID, ContainersView.class);
	}

	/** A view made while the agent's client was the engine holds it: made again, it takes this process's engine. */
	private static void reopenIfMade(String id) {
		Workbench.syncRun(() -> {
			var page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
			var ref = page.findViewReference(id);
			if (ref != null && ref.getPart(false) != null) {
				page.hideView(ref);
				try {
					page.showView(id, null, org.eclipse.ui.IWorkbenchPage.VIEW_CREATE);
				} catch (org.eclipse.ui.PartInitException e) {
					throw new IllegalStateException(e);
				}
			}
		});
	}

	private static void deleteTree(Path root) throws IOException {
		if (!Files.exists(root)) {
			return;
		}
		try (Stream<Path> all = Files.walk(root)) {
			for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		}
	}
}
