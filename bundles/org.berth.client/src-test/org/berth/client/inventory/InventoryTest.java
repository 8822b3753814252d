package org.berth.client.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.berth.core.BerthException;
import org.berth.core.ContainerKind;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.EngineEvent;
import org.berth.core.EngineListener;
import org.berth.core.ImageInfo;
import org.berth.core.Limits;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;
import org.berth.core.NoSuchContainerException;
import org.berth.core.Problem;
import org.berth.core.SpecValidator;
import org.berth.core.TerminalRequest;
import org.berth.core.TerminalSession;
import org.berth.core.remote.Remote;
import org.berth.core.remote.Remotes;
import org.berth.core.testing.FakeEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one inventory over FakeEngines: names with the host's prefix, every operation routed by it, events and shared
 * namespaces renamed, a connection that goes away and comes back, remotes added and removed.
 */
class InventoryTest {

	/** A FakeEngine that tells its listeners what a test says, and that can be away as an agent's client is. */
	static class Host extends FakeEngine {
		final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
		volatile String away;
		/** Its templates; null: FakeEngine's. */
		volatile Set<String> templates;
		/** Its images; null: it keeps none. */
		volatile List<ImageInfo> images;

		void emit(EngineEvent e) {
			listeners.forEach(l -> l.changed(e));
		}

		@Override
		public void addListener(EngineListener listener) {
			listeners.add(listener);
		}

		@Override
		public void removeListener(EngineListener listener) {
			listeners.remove(listener);
		}

		@Override
		public String connection() {
			return away == null ? "Agent as root" : "Agent not connected";
		}

		@Override
		public List<String> limitations() {
			return away == null ? List.of() : List.of(away);
		}

		@Override
		public Set<String> templates() {
			return templates == null ? super.templates() : templates;
		}

		@Override
		public CompletableFuture<List<ImageInfo>> images() {
			return images == null ? super.images() : CompletableFuture.completedFuture(images);
		}
	}

	final Host here = new Host();
	final Host h2 = new Host();
	final Host h3 = new Host();

	Inventory inventory() {
		return Inventory.of(Connection.of(Connection.LOCAL, "unix:///run/berth/berth.sock", here), Connection.of("h2",
				"ssh://root@h2", h2), Connection.of("h3", "ssh://h3", h3));
	}

	static ContainerSpec spec(String name) {
		return ContainerSpec.builder(name).build();
	}

	static <T> T get(CompletableFuture<T> f) {
		return f.join();
	}

	static Throwable failure(CompletableFuture<?> f) {
		CompletionException e = assertThrows(CompletionException.class, f::join);
		return e.getCause();
	}

	@Test
	void aRemotesContainersAreNamedWithItsNameAndTheLocalOnesKeepTheirs() {
		here.add(spec("web"));
		h2.add(spec("web")).add(spec("db"));
		Inventory inventory = inventory();

		assertEquals(List.of("web", "h2:db", "h2:web"), inventory.list().stream().map(ContainerSnapshot::name)
				.toList());
		assertEquals("h2:web", inventory.get("h2:web").orElseThrow().spec().name(), "the spec is renamed too");
		assertEquals("web", inventory.get("web").orElseThrow().name());
		assertTrue(inventory.get("h3:web").isEmpty());
		assertTrue(inventory.get("h9:web").isEmpty(), "no connection h9");
		assertEquals("h2", inventory.hostOf("h2:db"));
		assertEquals(Connection.LOCAL, inventory.hostOf("web"));
		assertNull(inventory.hostOf("h9:web"));
	}

	@Test
	void everyOperationGoesToTheHostItsPrefixNamesWithTheNameKnownThere() {
		here.add(spec("web"));
		h2.add(spec("web"));
		Inventory inventory = inventory();

		ContainerSnapshot started = get(inventory.start("h2:web"));
		assertEquals("h2:web", started.name());
		assertEquals(ContainerState.RUNNING, started.state());
		assertEquals(List.of("start web"), h2.calls);
		assertEquals(List.of(), here.calls, "the local web is another container");

		get(inventory.stop("h2:web", Duration.ofSeconds(3)));
		get(inventory.start("web"));
		assertEquals(List.of("start web", "stop web 3"), h2.calls);
		assertEquals(List.of("start web"), here.calls);

		ContainerSnapshot made = get(inventory.define(spec("h3:x")));
		assertEquals("h3:x", made.name());
		assertEquals(List.of("x"), h3.defined.stream().map(ContainerSpec::name).toList(), "defined there as x");
		get(inventory.update(ContainerSpec.builder("h3:x").description("on h3").build()));
		assertEquals("on h3", h3.get("x").orElseThrow().spec().description());

		get(inventory.destroy("h3:x"));
		assertTrue(h3.get("x").isEmpty());
		assertEquals(List.of("define x", "update x", "destroy x"), h3.calls);

		assertInstanceOf(NoSuchContainerException.class, failure(inventory.start("h9:web")),
				"a host that is not a connection");
		assertInstanceOf(NoSuchContainerException.class, failure(inventory.kill("h2:nothing")),
				"the host's own answer");
	}

	@Test
	void aCloneARenameAndACompareStayOnOneHost() {
		h2.add(spec("web"));
		Inventory inventory = inventory();

		assertEquals("h2:copy", get(inventory.cloneContainer("h2:web", "h2:copy")).name());
		assertEquals("h2:bare", get(inventory.cloneContainer("h2:web", "bare")).name(), "a bare name: the same host");
		assertEquals(List.of("clone web copy", "clone web bare"), h2.calls);

		Throwable across = failure(inventory.cloneContainer("h2:web", "h3:web"));
		assertEquals("h3:web is on h3, not on h2: both must be on the same host", across.getMessage());
		assertTrue(h3.calls.isEmpty());
		assertEquals("h3:web/snap1 is on h3, not on h2: both must be on the same host", failure(inventory.diff(
				"h2:web", "h3:web/snap1")).getMessage());
	}

	@Test
	void sharedNamespacesAreNamedAsTheInventoryNamesThem() {
		Inventory inventory = inventory();
		get(inventory.define(spec("h2:a")));
		get(inventory.start("h2:a"));
		ContainerSnapshot b = get(inventory.define(ContainerSpec.builder("h2:b").share(NamespaceType.IPC, "h2:a")
				.build()));

		assertEquals(NamespaceSpec.share(NamespaceType.IPC, "a"), h2.get("b").orElseThrow().spec().namespace(
				NamespaceType.IPC), "h2 knows a as a");
		assertEquals(NamespaceSpec.share(NamespaceType.IPC, "h2:a"), b.spec().namespace(NamespaceType.IPC));
		ContainerSnapshot running = get(inventory.start("h2:b"));
		assertEquals(NamespaceMode.SHARE, running.namespaces().get(NamespaceType.IPC).actualMode());
		assertEquals("h2:a", running.namespaces().get(NamespaceType.IPC).sharedWith());

		Throwable across = failure(inventory.define(ContainerSpec.builder("h3:c").share(NamespaceType.NET, "h2:a")
				.build()));
		assertEquals("h3:c cannot share its net namespace with h2:a: a container shares namespaces only with"
				+ " containers on its own host (h3)", across.getMessage());
		Throwable local = failure(inventory.define(ContainerSpec.builder("d").share(NamespaceType.NET, "h2:a")
				.build()));
		assertTrue(local.getMessage().endsWith("only with containers on its own host (local)"), local.getMessage());
		assertTrue(h3.defined.isEmpty() && here.defined.isEmpty(), "nothing defined");
	}

	@Test
	void theValidationContextAnswersForEveryHost() {
		here.add(spec("web"));
		h2.addRunning(ContainerSpec.builder("app").kind(ContainerKind.APPLICATION).build());
		var context = inventory().validationContext();

		assertEquals(ContainerKind.APPLICATION, context.kindOf("h2:app").orElseThrow());
		assertTrue(context.isRunning("h2:app"));
		assertFalse(context.isRunning("web"));
		assertTrue(context.exists("web"));
		assertFalse(context.exists("app"), "app is h2's");
		assertEquals("h2:app", context.specOf("h2:app").orElseThrow().name());
	}

	@Test
	void aNewContainerOnAHostIsCheckedAgainstThatHostsTemplatesAndCpus() {
		here.templates = Set.of("busybox", "debian");
		here.hostCpus = 8;
		h2.templates = Set.of("alpine");
		h2.hostCpus = 2;
		h2.addRunning(spec("db"));
		Inventory inventory = inventory();

		assertEquals(Set.of("busybox", "debian"), inventory.templates(), "templates() stays the local host's");
		assertEquals(Set.of("busybox", "debian"), inventory.templates(Connection.LOCAL));
		assertEquals(Set.of("alpine"), inventory.templates("h2"));
		assertEquals(Set.of(), inventory.templates("h9"), "no such connection");
		assertEquals(Set.of("busybox", "debian"), inventory.validationContext().templates());

		// on h2 (the spec under its bare name): h2's templates and CPUs, the others as the inventory names them
		var there = inventory.validationContext("h2");
		assertEquals(Set.of("alpine"), there.templates());
		assertEquals(2, there.hostCpus());
		assertTrue(there.isRunning("h2:db"));
		assertFalse(there.exists("db"), "db is h2's, named h2:db");
		ContainerSpec web = ContainerSpec.builder("web").template("alpine").share(NamespaceType.NET, "h2:db").build();
		assertEquals(List.of(), SpecValidator.errors(SpecValidator.validate(web, there)));
		List<Problem> local = SpecValidator.errors(SpecValidator.validate(web, inventory.validationContext()));
		assertEquals(List.of("template"), local.stream().map(Problem::field).toList(), "not local: " + local);
		ContainerSpec busy = ContainerSpec.builder("web").template("busybox").limits(Limits.NONE.withCpus(4.0))
				.build();
		assertEquals(List.of("template", "limits.cpus"), SpecValidator.errors(SpecValidator.validate(busy, there))
				.stream().map(Problem::field).toList());
		assertEquals(Set.of(), inventory.validationContext("h9").templates(), "no such connection: no templates");
	}

	@Test
	void eachHostsImagesWhereItsEngineKeepsThem() {
		ImageInfo base = new ImageInfo("base", "a base", "busybox", "published from web", Instant.EPOCH, 1024);
		h2.images = List.of(base);
		Inventory inventory = inventory();

		assertEquals(List.of(base), get(inventory.images("h2")));
		assertInstanceOf(UnsupportedOperationException.class, failure(inventory.images("h3")), "h3 keeps none");
		assertInstanceOf(UnsupportedOperationException.class, failure(inventory.images(Connection.LOCAL)));
		assertEquals("there is no connection \"h9\"", failure(inventory.images("h9")).getMessage());
		h2.away = "no agent answers on h2; trying again in 2 s";
		Throwable away = failure(inventory.images("h2"));
		assertInstanceOf(BerthException.class, away);
		assertTrue(away.getMessage().contains("no agent answers on h2"), away.getMessage());
	}

	@Test
	void aNameOnAHostIsPrefixedWithItUnlessItIsTheLocalOne() {
		assertEquals("h2:web", Connections.nameOn("h2", "web"));
		assertEquals("web", Connections.nameOn(Connection.LOCAL, "web"));
		assertEquals("web", Connections.nameOn(null, "web"));
		Inventory inventory = inventory();
		ContainerSnapshot made = get(inventory.define(ContainerSpec.builder(Connections.nameOn("h2", "web"))
				.template("busybox").build()));
		assertEquals("h2:web", made.name());
		assertEquals(List.of("web"), h2.defined.stream().map(ContainerSpec::name).toList(), "defined on h2");
		assertTrue(here.defined.isEmpty(), "nothing here");
	}

	@Test
	void listenersHearEveryHostsEventsUnderTheInventorysNames() {
		h2.add(spec("web"));
		Inventory inventory = inventory();
		List<EngineEvent> heard = new ArrayList<>();
		inventory.addListener(heard::add);

		ContainerSnapshot web = h2.get("web").orElseThrow().withState(ContainerState.RUNNING);
		h2.emit(new EngineEvent(EngineEvent.Kind.STATE_CHANGED, "web", web));
		here.emit(new EngineEvent(EngineEvent.Kind.DESTROYED, "old", null));

		assertEquals(2, heard.size());
		assertEquals("h2:web", heard.get(0).name());
		assertEquals("h2:web", heard.get(0).snapshot().name());
		assertEquals(ContainerState.RUNNING, heard.get(0).snapshot().state());
		assertEquals(new EngineEvent(EngineEvent.Kind.DESTROYED, "old", null), heard.get(1));

		inventory.close();
		h2.emit(new EngineEvent(EngineEvent.Kind.DESTROYED, "web", null));
		assertEquals(2, heard.size(), "a closed inventory listens no more");
		assertTrue(h2.closed && here.closed, "and closed its connections");
	}

	@Test
	void aConnectionThatGoesAwayShowsWhatItLastKnewAndRefusesUntilItIsBack() {
		h2.add(spec("web"));
		Inventory inventory = inventory();
		AtomicInteger told = new AtomicInteger();
		inventory.addConnectionListener(told::incrementAndGet);

		h2.away = "the ssh connection to ssh://root@h2 ended: Connection reset; trying again in 2 s";
		inventory.checkConnections();
		inventory.checkConnections();
		assertEquals(1, told.get(), "told once that h2 went");
		assertEquals(List.of("h2:web"), inventory.list().stream().map(ContainerSnapshot::name).toList(),
				"its last known containers");
		assertTrue(inventory.isAway("h2:web"));
		assertFalse(inventory.isAway("h3:x"));
		Connections.State state = inventory.connections().get(1);
		assertEquals(new Connections.State("h2", "ssh://root@h2", h2.away, true), state);
		assertFalse(state.connected());
		assertTrue(inventory.connections().get(0).connected());
		assertEquals(List.of("h2 (ssh://root@h2): " + h2.away), inventory.limitations());
		assertEquals("reconnecting h2 · Agent as root", inventory.connection());

		Throwable refused = failure(inventory.start("h2:web"));
		assertEquals("cannot start h2:web: h2 is not connected (" + h2.away + ")", refused.getMessage());
		assertTrue(h2.calls.isEmpty(), "not tried");

		h2.away = null;
		inventory.checkConnections();
		assertEquals(2, told.get(), "told that it is back");
		assertFalse(inventory.isAway("h2:web"));
		assertEquals("Agent as root", inventory.connection());
		assertEquals(List.of(), inventory.limitations());
		assertEquals("h2:web", get(inventory.start("h2:web")).name());
	}

	@Test
	void aRemoteAddedIsSavedAndConnectedAndOneRemovedIsGone(@TempDir Path dir) throws Exception {
		Remotes store = new Remotes(dir.resolve("remotes.json"));
		Host h4 = new Host();
		h4.add(spec("db"));
		List<Remote> dialled = new ArrayList<>();
		Inventory inventory = new Inventory(Connection.of(Connection.LOCAL, "local", here), List.of(), store, r -> {
			dialled.add(r);
			return Connection.of(r.name(), r.url(), h4);
		}, null);
		AtomicInteger told = new AtomicInteger();
		inventory.addConnectionListener(told::incrementAndGet);

		Remote remote = Remote.of("h4", "ssh://root@127.0.0.1:2222");
		inventory.addRemote(remote, null);
		assertEquals(List.of(remote), store.list(), "saved");
		assertEquals(List.of(remote), dialled);
		assertEquals(List.of("h4:db"), inventory.list().stream().map(ContainerSnapshot::name).toList());
		assertEquals(List.of("local", "h4"), inventory.connections().stream().map(Connections.State::name).toList());
		assertTrue(told.get() > 0);

		BerthException taken = assertThrows(BerthException.class, () -> inventory.addRemote(Remote.of("h4",
				"ssh://elsewhere"), null));
		assertEquals("there is a connection \"h4\" already; choose another name", taken.getMessage());
		assertThrows(BerthException.class, () -> inventory.addRemote(Remote.of("local", "ssh://elsewhere"), null));
		assertEquals(1, store.list().size(), "nothing else saved");

		inventory.removeRemote("h4");
		assertEquals(List.of(), store.list(), "removed from the file");
		assertTrue(h4.closed, "its connection ended");
		assertEquals(List.of(), inventory.list());
		assertEquals(List.of("local"), inventory.connections().stream().map(Connections.State::name).toList());
		assertTrue(Files.readString(store.file()).strip().length() > 0);
	}

	/** A terminal that says its title and nothing else. */
	static TerminalSession terminal(String title) {
		return new TerminalSession() {
			@Override
			public InputStream output() {
				return InputStream.nullInputStream();
			}

			@Override
			public OutputStream input() {
				return OutputStream.nullOutputStream();
			}

			@Override
			public void resize(int columns, int rows) {
			}

			@Override
			public CompletableFuture<Integer> onExit() {
				return new CompletableFuture<>();
			}

			@Override
			public String title() {
				return title;
			}

			@Override
			public void close() {
			}
		};
	}

	@Test
	void aRemotesTerminalIsTitledWithItsHost() throws Exception {
		Host h4 = new Host() {
			@Override
			public CompletableFuture<TerminalSession> openTerminal(String name, TerminalRequest request) {
				return CompletableFuture.completedFuture(terminal(name + " /bin/sh -l"));
			}
		};
		Host mine = new Host() {
			@Override
			public CompletableFuture<TerminalSession> openTerminal(String name, TerminalRequest request) {
				return CompletableFuture.completedFuture(terminal(name + " /bin/sh -l"));
			}
		};
		Inventory inventory = Inventory.of(Connection.of(Connection.LOCAL, "local", mine), Connection.of("h4",
				"ssh://h4", h4));
		TerminalRequest shell = TerminalRequest.shell(80, 24);
		assertEquals("h4:web /bin/sh -l", inventory.openTerminal("h4:web", shell).get().title());
		assertEquals("web /bin/sh -l", inventory.openTerminal("web", shell).get().title());
	}

	@Test
	void aRemoteChangedIsSavedAndConnectedAnewAndARefusedChangeChangesNothing(@TempDir Path dir) throws Exception {
		Remotes store = new Remotes(dir.resolve("remotes.json"));
		Map<String, Host> hosts = new java.util.HashMap<>();
		List<Remote> dialled = new ArrayList<>();
		Inventory inventory = new Inventory(Connection.of(Connection.LOCAL, "local", here), List.of(), store, r -> {
			if (r.url().contains("unreachable")) {
				throw new IllegalArgumentException("no folder for " + r.name() + "'s socket");
			}
			dialled.add(r);
			Host h = new Host();
			h.add(spec("db"));
			hosts.put(r.url(), h);
			return Connection.of(r.name(), r.url(), h);
		}, null);
		inventory.addRemote(Remote.of("h4", "ssh://root@127.0.0.1:2222"), null);
		inventory.addRemote(Remote.of("h6", "ssh://h6"), null);
		Host first = hosts.get("ssh://root@127.0.0.1:2222");

		Remote moved = Remote.of("h5", "ssh://root@127.0.0.1:2223");
		inventory.editRemote("h4", moved, null);
		assertEquals(List.of("h5", "h6"), store.list().stream().map(Remote::name).toList(), "saved under its name");
		assertEquals(Optional.of(moved), inventory.remote("h5"));
		assertEquals(Optional.empty(), inventory.remote("h4"));
		assertTrue(first.closed, "the old connection ended");
		assertEquals(List.of("h5:db", "h6:db"), inventory.list().stream().map(ContainerSnapshot::name).toList());

		BerthException taken = assertThrows(BerthException.class, () -> inventory.editRemote("h5", Remote.of("h6",
				"ssh://elsewhere"), null));
		assertEquals("there is a connection \"h6\" already; choose another name", taken.getMessage());
		BerthException unreachable = assertThrows(BerthException.class, () -> inventory.editRemote("h5", Remote.of(
				"h5", "ssh://unreachable"), null));
		assertEquals("no folder for h5's socket", unreachable.getMessage());
		assertThrows(BerthException.class, () -> inventory.editRemote("h9", Remote.of("h9", "ssh://h9"), null));
		assertEquals(Optional.of(moved), inventory.remote("h5"), "as it was");
		assertEquals(2, store.list().size());
		assertFalse(hosts.get(moved.url()).closed, "still connected");
		assertEquals(List.of("local", "h5", "h6"), inventory.connections().stream().map(Connections.State::name)
				.toList());
	}

	@Test
	void aRemoteThatCannotBeDialledIsNotSaved(@TempDir Path dir) throws Exception {
		Remotes store = new Remotes(dir.resolve("remotes.json"));
		Inventory inventory = new Inventory(Connection.of(Connection.LOCAL, "local", here), List.of(), store, r -> {
			throw new IllegalArgumentException("no folder for " + r.name() + "'s socket");
		}, null);
		BerthException e = assertThrows(BerthException.class, () -> inventory.addRemote(Remote.of("h9",
				"ssh://h9"), null));
		assertEquals("no folder for h9's socket", e.getMessage());
		assertEquals(List.of(), store.list());

		// an Incus server over HTTPS is contacted before anything is saved: without a pinned certificate, not at all
		e = assertThrows(BerthException.class, () -> inventory.addRemote(Remote.of("inc", "https://127.0.0.1"),
				"token"));
		assertEquals("inc (https://127.0.0.1:8443) has no pinned certificate; remove it and add it again (adding"
				+ " shows the server's certificate)", e.getMessage());
		assertEquals(List.of(), store.list());
	}

	@Test
	void eachContainersHistoryComesFromItsOwnHost() {
		here.running("web");
		var history = h2.running("db");
		Inventory inventory = inventory();
		var monitoring = inventory.monitoring().orElseThrow();

		assertSame(history, monitoring.history("h2:db").orElseThrow());
		assertTrue(monitoring.history("db").isEmpty(), "db is h2's");
		assertTrue(monitoring.history("web").isPresent());
		try (var watch = monitoring.watch(List.of("web", "h2:db"))) {
			assertEquals(java.util.Set.of("db"), h2.monitor().watched());
			assertEquals(java.util.Set.of("web"), here.monitor().watched());
			watch.set(List.of("web"));
			assertEquals(java.util.Set.of(), h2.monitor().watched());
		}
	}

	@Test
	void aSnapshotsRenamedCopyKeepsEverythingElse() {
		ContainerSpec spec = ContainerSpec.builder("web").description("front").tags(List.of("prod")).bootOrder(3)
				.share(NamespaceType.IPC, "db").build();
		ContainerSpec out = Inventory.outward("h2", spec);
		assertEquals("h2:web", out.name());
		assertEquals("h2:db", out.namespace(NamespaceType.IPC).shareWith());
		ContainerSpec back = assertDoesNotThrowInward(out);
		assertEquals(spec, back, "and back again it is the same spec");
	}

	private static ContainerSpec assertDoesNotThrowInward(ContainerSpec out) {
		Inventory inventory = Inventory.of(Connection.of(Connection.LOCAL, "l", new Host()), Connection.of("h2", "u",
				new Host()));
		try {
			return Inventory.inward(inventory.route(out.name()), out);
		} catch (BerthException e) {
			throw new AssertionError(e);
		}
	}
}
