package org.berth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.stream.Stream;

import org.berth.agent.Agent;
import org.berth.client.IncusConnection;
import org.berth.client.RemoteAgents;
import org.berth.client.inventory.Connection;
import org.berth.client.inventory.Connections;
import org.berth.client.inventory.Inventory;
import org.berth.core.BerthException;
import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.incus.IncusEngine;
import org.berth.core.incus.IncusRemote;
import org.berth.core.remote.Remote;
import org.berth.core.remote.Remotes;
import org.berth.core.testing.FakeEngine;
import org.berth.core.testing.IncusHost;
import org.berth.core.testing.LoopbackSshd;
import org.berth.ui.connections.AddConnectionDialog;
import org.berth.ui.connections.ConnectionsView;
import org.berth.ui.containers.ContainersView;
import org.berth.ui.editor.ContainerEditor;
import org.berth.ui.handlers.BerthCommands;
import org.berth.ui.handlers.OpenContainerHandler;
import org.berth.ui.internal.Engines;
import org.berth.ui.jobs.BerthJobs;
import org.berth.ui.namespaces.NamespacesView;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;

/**
 * The one inventory: the console's engine service replaced by an {@link Inventory} of this process's engine (a real
 * container, uit-web) and, added through the Connections view, a second Berth agent (in this process, on its own
 * socket, over a FakeEngine with db running and cache stopped) reached through a real sshd on 127.0.0.1 with the
 * user's kind of ssh command ({@link LoopbackSshd#sshCommand()}, as BERTH_SSH gives it). The Containers view shows
 * the containers of both in one table with their Host, filters by host, starts h2:cache through ssh; when the
 * remote agent goes away its rows stay, greyed, "reconnecting", and come back by themselves when an agent answers
 * there again; Remove forgets the host. Where Incus runs (root, releng/setup-incus) a real incusd of the test's own
 * ({@link IncusHost}) is added too, over HTTPS with its certificate pinned and a trust token: its instances show in
 * the same table under its name, and the console starts one there. Screenshot: connections.png.
 */
class ConnectionsTest {

	@RegisterExtension
	static final Workbench workbench = Workbench.withContainers();

	private static final Duration TIMEOUT = Duration.ofSeconds(60);
	private static final String LOCAL = "uit-web";
	private static final int STATE = 1;
	private static final int MEMORY = 6;
	private static final int PIDS = 7;
	private static final int HOST = 9;

	@Test
	void theContainersOfThisHostAndOfABerthHostOverSshShowInOneTable() throws Exception {
		assumeTrue(LoopbackSshd.available(), "needs OpenSSH's server and client");
		ContainerEngine local = workbench.engine();
		Path dir = Files.createTempDirectory("berth-ui-connections");
		Path socket = dir.resolve("agent/berth.sock");
		FakeEngine there = new FakeEngine();
		there.addRunning(ContainerSpec.builder("db").description("postgres on h2").build());
		there.add(ContainerSpec.builder("cache").build());
		Agent.Config config = Agent.Config.defaults().withSocket(socket).withAuditLog(dir.resolve("audit.jsonl"));
		Agent agent = Agent.start(config, there);
		LoopbackSshd sshd = new LoopbackSshd(dir.resolve("sshd"));
		Remotes store = new Remotes(dir.resolve("remotes.json"));
		Inventory inventory = new Inventory(Connection.borrowing(Connection.LOCAL, "this console's own engine",
				local), List.of(), store, r -> {
					try {
						return r.kind() == Remote.Kind.INCUS ? IncusConnection.keep(r, store)
								: RemoteAgents.keep(r, sshd.sshCommand());
					} catch (BerthException e) {
						throw new IllegalStateException(e.getMessage(), e);
					}
				}, Duration.ofMillis(200));
		ServiceRegistration<?> registration = null;
		IncusHost incus = null;
		try {
			workbench.run(ContainerSpec.builder(LOCAL).template("busybox").build());
			if (IncusHost.available()) {
				incus = new IncusHost();
				incus.incus("launch", "busybox", "web");
				incus.incus("init", "busybox", "backup");
			}
			Hashtable<String, Object> ranking = new Hashtable<>();
			ranking.put(Constants.SERVICE_RANKING, 1000);
			registration = FrameworkUtil.getBundle(Engines.class).getBundleContext().registerService(new String[]{
					ContainerEngine.class.getName(), Connections.class.getName()}, inventory, ranking);
			assertTrue(Engines.find().orElseThrow() == inventory, "the console's engine is the inventory");
			reopen(ContainersView.ID);
			ContainersPage view = ContainersPage.open();
			ConnectionsView connections = Workbench.showView(ConnectionsView.ID, ConnectionsView.class);

			// the Add dialog's checks, as the user types
			AddConnectionDialog dialog = Workbench.sync(() -> new AddConnectionDialog(null, inventory));
			assertEquals("\"H2\" is not a remote's name: " + Remote.NAME_RULE, problem(dialog, "H2", "ssh://h"));
			assertTrue(problem(dialog, "h2", "ftp://h").startsWith("\"ftp://h\" is not a host Berth knows"));
			assertEquals("There is a connection \"local\" already; choose another name.", problem(dialog, "local",
					"ssh://h"));
			assertEquals(null, problem(dialog, "h2", sshd.url() + socket));

			Job add = Workbench.sync(() -> connections.add(Remote.of("h2", sshd.url() + socket), null));
			add.join();
			assertTrue(add.getResult().isOK(), add.getResult().getMessage());
			assertEquals(List.of("h2"), store.list().stream().map(Remote::name).toList(), "saved");
			AddConnectionDialog editing = Workbench.sync(() -> new AddConnectionDialog(null, inventory, inventory
					.remote("h2").orElseThrow()));
			assertEquals(null, problem(editing, "h2", sshd.url() + socket), "its own name is no clash when editing");
			assertEquals("There is a connection \"local\" already; choose another name.", problem(editing, "local",
					"ssh://h"));

			Workbench.waitUntil("h2's containers listed", TIMEOUT,
					() -> Workbench.sync(() -> view.rowTexts("h2:db")) != null);
			Workbench.waitUntil("uit-web running", TIMEOUT,
					() -> "Running".equals(Workbench.sync(() -> view.cell(LOCAL, STATE))));
			assertEquals("local", Workbench.sync(() -> view.cell(LOCAL, HOST)));
			assertEquals("h2", Workbench.sync(() -> view.cell("h2:db", HOST)));
			assertEquals("Running", Workbench.sync(() -> view.cell("h2:db", STATE)));
			assertEquals("Stopped", Workbench.sync(() -> view.cell("h2:cache", STATE)));
			Workbench.waitUntil("h2 connected in the Connections view", TIMEOUT,
					() -> "Connected".equals(Workbench.sync(() -> cell(connections, "h2", 2))));
			assertEquals(sshd.url() + socket, Workbench.sync(() -> cell(connections, "h2", 1)));

			ContainersView containers = Workbench.showView(ContainersView.ID, ContainersView.class);
			Workbench.syncRun(() -> containers.showHost("h2"));
			assertEquals(List.of("h2:cache", "h2:db"), Workbench.sync(view::shownNames), "h2's alone");
			Workbench.syncRun(() -> containers.showHost(null));
			assertTrue(Workbench.sync(view::shownNames).containsAll(List.of(LOCAL, "h2:cache", "h2:db")));

			// a command of the console goes to h2 through ssh
			Workbench.syncRun(() -> view.select("h2:cache"));
			Workbench.execute(BerthCommands.START);
			Workbench.waitUntil("cache started on h2", TIMEOUT,
					() -> there.get("cache").map(s -> s.state() == ContainerState.RUNNING).orElse(false));
			assertEquals(ContainerState.STOPPED, local.get("cache").map(s -> s.state()).orElse(ContainerState.STOPPED),
					"nothing of the kind here");
			Workbench.waitUntil("the view shows h2:cache running", TIMEOUT,
					() -> "Running".equals(Workbench.sync(() -> view.cell("h2:cache", STATE))));
			if (incus != null) {
				// an Incus server over HTTPS: its certificate as the user confirms it, pinned; enrolled with a token
				assertEquals(null, problem(dialog, "inc", incus.address()));
				String fingerprint = IncusEngine.serverFingerprint(incus.address());
				Remote inc = Remote.of("inc", incus.address());
				assertTrue(
						ConnectionsView.certificateQuestion(inc, fingerprint).contains(Remote.readable(fingerprint)));
				String token = incus.trustToken(IncusRemote.clientName());
				Job addIncus = Workbench.sync(() -> connections.add(inc.withFingerprint(fingerprint), token));
				addIncus.join();
				assertTrue(addIncus.getResult().isOK(), addIncus.getResult().getMessage());
				Workbench.waitUntil("inc's instances listed", TIMEOUT,
						() -> "Running".equals(Workbench.sync(() -> view.cell("inc:web", STATE))));
				Workbench.waitUntil("inc connected (its events followed)", TIMEOUT,
						() -> "inc".equals(Workbench.sync(() -> view.cell("inc:web", HOST))));
				assertEquals("Stopped", Workbench.sync(() -> view.cell("inc:backup", STATE)));
				Workbench.waitUntil("inc connected in the Connections view", TIMEOUT,
						() -> "Connected".equals(Workbench.sync(() -> cell(connections, "inc", 2))));
				Workbench.syncRun(() -> view.select("inc:backup"));
				Workbench.execute(BerthCommands.START);
				Workbench.waitUntil("backup started on inc (its events tell)", TIMEOUT,
						() -> "Running".equals(Workbench.sync(() -> view.cell("inc:backup", STATE))));
				List<String> listed = incus.incus("list", "backup", "--format", "csv", "--columns", "s");
				assertEquals(List.of("RUNNING"), listed, "Incus says so too");
				// the editor saves an Incus instance's description there: validated against inc's own templates,
				// and its namespaces and id maps (Incus's, shown as they are) go back unchanged
				ContainerEditor editor = Workbench.sync(() -> {
					try {
						return OpenContainerHandler.open(Workbench.window().getActivePage(), "inc:web");
					} catch (Exception e) {
						throw new AssertionError(e);
					}
				});
				Workbench.syncRun(() -> editor.showPage(0));
				Text description = Workbench.sync(() -> Widgets.byId(Workbench.window().getShell(),
						"editor.description"));
				Workbench.syncRun(() -> Widgets.type(description, "front end on Incus"));
				Workbench.syncRun(() -> editor.doSave(null));
				Widgets.awaitJobs(BerthJobs.FAMILY, TIMEOUT);
				assertEquals(List.of("front end on Incus"), incus.incus("list", "web", "--format", "csv", "--columns",
						"d"), "saved there");
				// its namespaces are Incus's: read-only, with the reason
				Workbench.syncRun(() -> editor.showPage(1));
				Composite nsPage = Workbench.sync(() -> editor.namespacesEditor().control());
				assertFalse(Workbench.sync(() -> ((Combo) Widgets.byId(nsPage, "ns.net"))
						.isEnabled()), "the net namespace choice is read-only");
				String fixed = Workbench.sync(() -> ((Label) Widgets.byId(Workbench.window().getShell(),
						"editor.namespaces.note")).getText());
				assertTrue(fixed.startsWith("Incus gives an instance its namespaces"), fixed);
				Screenshots.save(Workbench.window().getShell(), "incus-namespaces");
				Workbench.syncRun(() -> Workbench.window().getActivePage().closeEditor(editor, false));
				org.berth.core.Monitoring monitoring = inventory.monitoring().orElseThrow();
				Workbench.waitUntil("inc:web's history for the graphs, from its state", TIMEOUT,
						() -> monitoring.latest("inc:web").isPresent());
				Workbench.waitUntil("inc:web's memory and processes, from Incus's state", TIMEOUT,
						() -> Workbench.sync(() -> view.cell("inc:web", MEMORY)).endsWith("/ no limit")
								&& !Workbench.sync(() -> view.cell("inc:web", PIDS)).isEmpty());
			}
			Workbench.syncRun(() -> view.select("h2:db"));
			Screenshots.save(Workbench.sync(() -> Workbench.window().getShell()), "connections");

			// the agent there goes away: its rows stay, greyed and reconnecting; an agent there again: back
			agent.close();
			Workbench.waitUntil("h2:db reconnecting", TIMEOUT,
					() -> "h2 (reconnecting)".equals(Workbench.sync(() -> view.cell("h2:db", HOST))));
			assertEquals("Running", Workbench.sync(() -> view.cell("h2:db", STATE)), "what it last knew");
			assertEquals(Workbench.sync(() -> Workbench.display().getSystemColor(SWT.COLOR_DARK_GRAY)),
					Workbench.sync(() -> foreground(view, "h2:db")), "greyed");
			assertEquals("local", Workbench.sync(() -> view.cell(LOCAL, HOST)));
			Workbench.waitUntil("h2 reconnecting in the Connections view", TIMEOUT,
					() -> "Reconnecting".equals(Workbench.sync(() -> cell(connections, "h2", 2))));
			Workbench.waitUntil("why, in the Connections view", TIMEOUT, () -> Workbench.sync(() -> cell(connections,
					"h2", 3)).startsWith("no Berth agent answers at " + socket + " on " + sshd.url()));
			Workbench.syncRun(() -> view.select(LOCAL));
			Screenshots.save(Workbench.sync(() -> Workbench.window().getShell()), "connections-reconnecting");
			agent = Agent.start(config, there);
			Workbench.waitUntil("h2:db back", TIMEOUT,
					() -> "h2".equals(Workbench.sync(() -> view.cell("h2:db", HOST))));
			Workbench.waitUntil("h2 connected again", TIMEOUT,
					() -> "Connected".equals(Workbench.sync(() -> cell(connections, "h2", 2))));

			// ssh ends (the network dropped): it is started again by itself, after a second
			List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
			Runnable recorder = () -> inventory.connections().stream().filter(c -> c.name().equals("h2")).findFirst()
					.ifPresent(c -> heard.add(c.connected() ? "connected" : c.problem()));
			inventory.addConnectionListener(recorder);
			ProcessHandle ssh = tunnel(socket);
			ssh.destroy(); // SIGTERM to the ssh this test's inventory started, by its PID
			Workbench.waitUntil("another ssh forwarding to h2's agent", TIMEOUT,
					() -> {
						ProcessHandle now = tunnelOrNull(socket);
						return now != null && now.pid() != ssh.pid();
					});
			Workbench.waitUntil("h2 connected through it", TIMEOUT,
					() -> "Connected".equals(Workbench.sync(() -> cell(connections, "h2", 2))));
			// the view may show it before the recorder, a later listener of the same change, has heard it
			Workbench.waitUntil("the recorder heard it back", TIMEOUT,
					() -> !heard.isEmpty() && "connected".equals(heard.get(heard.size() - 1)));
			inventory.removeConnectionListener(recorder);
			assertTrue(heard.stream().anyMatch(h -> h.startsWith("the ssh connection to " + sshd.url() + " ended")
					&& h.endsWith("; trying again in 1 s")), "heard why meanwhile: " + heard);
			assertEquals("connected", heard.get(heard.size() - 1), "and that it is back: " + heard);
			assertTrue(Workbench.sync(() -> view.rowTexts("h2:db")) != null);

			Job remove = Workbench.sync(() -> connections.remove("h2"));
			remove.join();
			assertTrue(remove.getResult().isOK(), remove.getResult().getMessage());
			Workbench.waitUntil("h2's containers gone", TIMEOUT,
					() -> Workbench.sync(() -> view.rowTexts("h2:db")) == null);
			assertTrue(Workbench.sync(() -> view.rowTexts(LOCAL)) != null, "the local container stays");
			assertEquals(null, tunnelOrNull(socket), "its ssh ended");
			if (incus != null) {
				Job removeIncus = Workbench.sync(() -> connections.remove("inc"));
				removeIncus.join();
				assertTrue(removeIncus.getResult().isOK(), removeIncus.getResult().getMessage());
				Workbench.waitUntil("inc's instances gone", TIMEOUT,
						() -> Workbench.sync(() -> view.rowTexts("inc:web")) == null);
				assertEquals(List.of("RUNNING"), incus.incus("list", "web", "--format", "csv", "--columns", "s"),
						"its instances go on there");
			}
			assertEquals(List.of(), store.list(), "forgotten");
		} finally {
			if (registration != null) {
				registration.unregister();
			}
			inventory.close(); // h2's ssh ends; this process's engine is the workbench's
			agent.close();
			if (incus != null) {
				incus.close(); // its instances deleted, the daemon stopped, nothing of it left (or it fails)
			}
			sshd.close();
			reopen(ContainersView.ID); // the other tests' views on the engine of this process
			reopen(NamespacesView.ID);
			deleteTree(dir);
		}
	}

	private static String problem(AddConnectionDialog dialog, String name, String url) {
		return dialog.problemOf(name, url);
	}

	/** The ssh of this process's that forwards a socket to {@code remote}. */
	private static ProcessHandle tunnel(Path remote) {
		ProcessHandle p = tunnelOrNull(remote);
		assertTrue(p != null, "no ssh forwards to " + remote);
		return p;
	}

	private static ProcessHandle tunnelOrNull(Path remote) {
		return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).filter(p -> p.info().commandLine()
				.orElse("").contains(":" + remote + " ")).findFirst().orElse(null);
	}

	/** The colour of the text of container {@code name}'s row. UI thread. */
	private static org.eclipse.swt.graphics.Color foreground(ContainersPage page, String name) {
		Table t = page.viewer().getTable();
		for (int i = 0; i < t.getItemCount(); i++) {
			if (name.equals(t.getItem(i).getText(0))) {
				return t.getItem(i).getForeground(0);
			}
		}
		return null;
	}

	/** The text of column {@code column} of connection {@code name}'s row; null when not listed. UI thread. */
	private static String cell(ConnectionsView view, String name, int column) {
		Table t = view.viewer().getTable();
		for (int i = 0; i < t.getItemCount(); i++) {
			if (name.equals(t.getItem(i).getText(0))) {
				return t.getItem(i).getText(column);
			}
		}
		return null;
	}

	/** A view made on the engine before takes the current one when it is made again. */
	private static void reopen(String id) {
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
