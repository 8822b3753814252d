package org.berth.client.inventory;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

import org.berth.core.BerthException;
import org.berth.core.CheckpointInfo;
import org.berth.core.CheckpointRequest;
import org.berth.core.ContainerDiff;
import org.berth.core.ContainerEngine;
import org.berth.core.ContainerKind;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.EngineEvent;
import org.berth.core.EngineListener;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.ExecSession;
import org.berth.core.FileEntry;
import org.berth.core.ImageInfo;
import org.berth.core.Limits;
import org.berth.core.MigrationProgress;
import org.berth.core.MigrationRequest;
import org.berth.core.MigrationResult;
import org.berth.core.Monitoring;
import org.berth.core.NamespaceIdentity;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;
import org.berth.core.NoSuchContainerException;
import org.berth.core.SnapshotInfo;
import org.berth.core.SnapshotSchedule;
import org.berth.core.SpecValidator;
import org.berth.core.TerminalRequest;
import org.berth.core.TerminalSession;
import org.berth.core.Usage;
import org.berth.core.incus.IncusRemote;
import org.berth.core.remote.Remote;
import org.berth.core.remote.Remotes;
import org.berth.core.wire.AuditTrail;

/**
 * The console's one inventory: a {@link ContainerEngine} over several {@link Connection}s, the local one and the
 * user's remotes. The local connection's containers keep their names; a remote's are named {@code REMOTE:name}, as
 * the command line names them, and every operation goes to the connection its name's prefix names, with the name
 * that connection knows (a define of {@code h2:web} defines {@code web} on h2). Snapshots, specs (their shared
 * namespaces too) and events come back under the inventory's names. {@link #list()} is the local containers, then
 * each remote's. A connection that is away keeps showing what it last knew ({@link #isAway}); operations on its
 * containers are refused with its sentence until it is back, and its engine reconnects by itself. Listeners hear every
 * connection's events; {@linkplain #addConnectionListener connection listeners} hear connections come, go, drop and
 * come back (checked every {@code checkEvery}).
 */
public final class Inventory implements ContainerEngine, Connections {

	private final Connection local;
	private final List<Connection> remotes = new CopyOnWriteArrayList<>();
	private final Map<Connection, EngineListener> forwarders = new HashMap<>();
	private final Map<String, String> problems = new HashMap<>();
	private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
	private final List<Runnable> connectionListeners = new CopyOnWriteArrayList<>();
	private final Remotes store;
	private final Function<Remote, Connection> dial;
	private final ScheduledExecutorService watcher;
	private final InventoryMonitoring monitoring = new InventoryMonitoring(this);

	/**
	 * @param local      this host's engine
	 * @param remotes    the remotes' connections, already open
	 * @param store      where {@link #addRemote}/{@link #removeRemote} save the user's remotes; null: nowhere
	 * @param dial       opens the connection to a remote the user adds; null: adding is refused
	 * @param checkEvery how often to look whether a connection dropped or came back; null: only when
	 *                   {@link #checkConnections()} is called
	 */
	public Inventory(Connection local, List<Connection> remotes, Remotes store, Function<Remote, Connection> dial,
			Duration checkEvery) {
		this.local = Objects.requireNonNull(local, "local");
		this.store = store;
		this.dial = dial;
		attach(local);
		for (Connection c : remotes) {
			attach(c);
			this.remotes.add(c);
		}
		sortRemotes();
		checkConnections();
		if (checkEvery != null) {
			watcher = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
					.name("berth-inventory").unstarted(r));
			watcher.scheduleWithFixedDelay(this::checkConnections, checkEvery.toMillis(), checkEvery.toMillis(),
					TimeUnit.MILLISECONDS);
		} else {
			watcher = null;
		}
	}

	/** An inventory of fixed connections, looked at only when {@link #checkConnections()} is called (tests). */
	public static Inventory of(Connection local, Connection... remotes) {
		return new Inventory(local, List.of(remotes), null, null, null);
	}

	// ---- names ---------------------------------------------------------------------------------------------------

	/** Where a name of the inventory's goes: the connection and the name it knows there. */
	record Route(Connection connection, String name) {
		String prefix() {
			return connection.name().equals(Connection.LOCAL) ? null : connection.name();
		}
	}

	/** The connection named {@code host}, if any. */
	Optional<Connection> connection(String host) {
		if (Connection.LOCAL.equals(host)) {
			return Optional.of(local);
		}
		return remotes.stream().filter(c -> c.name().equals(host)).findFirst();
	}

	/** The route of {@code name}: {@code REMOTE:container} to that remote, any other name to the local engine. */
	Route route(String name) throws NoSuchContainerException {
		Objects.requireNonNull(name, "name");
		int colon = name.indexOf(':');
		if (colon < 0) {
			return new Route(local, name);
		}
		String host = name.substring(0, colon);
		Connection c = connection(host).orElseThrow(() -> new NoSuchContainerException(name));
		return new Route(c, name.substring(colon + 1));
	}

	private static String named(String prefix, String name) {
		return prefix == null || name == null ? name : prefix + ":" + name;
	}

	/** A spec as the inventory names it: its name and the containers it shares namespaces with prefixed. */
	static ContainerSpec outward(String prefix, ContainerSpec s) {
		if (prefix == null) {
			return s;
		}
		return renamed(s, named(prefix, s.name()), other -> named(prefix, other));
	}

	/** A snapshot as the inventory names it (its spec, and whom its running namespaces are shared with). */
	static ContainerSnapshot outward(String prefix, ContainerSnapshot s) {
		if (prefix == null || s == null) {
			return s;
		}
		Map<NamespaceType, NamespaceIdentity> ids = new EnumMap<>(NamespaceType.class);
		for (NamespaceIdentity id : s.namespaces().values()) {
			ids.put(id.type(), id.sharedWith() == null ? id
					: new NamespaceIdentity(id.type(), id.inode(), id.actualMode(), named(prefix, id.sharedWith())));
		}
		return new ContainerSnapshot(outward(prefix, s.spec()), s.state(), s.initPid(), s.startedAt(), s.lastExit(),
				ids);
	}

	/**
	 * A spec of the inventory's as connection {@code r} knows it: the name without its prefix, and the containers it
	 * shares with likewise; refused with a sentence when it would share a namespace with a container on another host.
	 */
	static ContainerSpec inward(Route r, ContainerSpec s) throws BerthException {
		String prefix = r.prefix();
		Map<NamespaceType, NamespaceSpec> namespaces = new EnumMap<>(NamespaceType.class);
		for (NamespaceSpec ns : s.namespaces().values()) {
			if (ns.mode() == NamespaceMode.SHARE) {
				String other = ns.shareWith();
				int colon = other.indexOf(':');
				String host = colon < 0 ? null : other.substring(0, colon);
				if (!Objects.equals(host, prefix)) {
					throw new BerthException("define", s.name(), s.name() + " cannot share its " + ns.type().procName()
							+ " namespace with " + other + ": a container shares namespaces only with containers on"
							+ " its own host (" + (prefix == null ? Connection.LOCAL : prefix) + ")");
				}
				namespaces.put(ns.type(), NamespaceSpec.share(ns.type(), colon < 0 ? other
						: other.substring(colon + 1)));
			} else {
				namespaces.put(ns.type(), ns);
			}
		}
		return copy(s, r.name(), namespaces);
	}

	private static ContainerSpec renamed(ContainerSpec s, String name, Function<String, String> shares) {
		Map<NamespaceType, NamespaceSpec> namespaces = new EnumMap<>(NamespaceType.class);
		for (NamespaceSpec ns : s.namespaces().values()) {
			namespaces.put(ns.type(), shares != null && ns.mode() == NamespaceMode.SHARE
					? NamespaceSpec.share(ns.type(), shares.apply(ns.shareWith()))
					: ns);
		}
		return copy(s, name, namespaces);
	}

	/** {@code s} under another name with other namespace choices, everything else kept. */
	private static ContainerSpec copy(ContainerSpec s, String name, Map<NamespaceType, NamespaceSpec> namespaces) {
		return new ContainerSpec(name, s.kind(), s.template(), s.rootfs(), s.init(), namespaces, s.uidMaps(),
				s.gidMaps(), s.monotonicOffsetSeconds(), s.boottimeOffsetSeconds(), s.limits(), s.network(),
				s.dropCapabilities(), s.haltSignal(), s.autostart(), s.seccomp(), s.description(), s.tags(),
				s.bootOrder(), s.bootDelaySeconds());
	}

	/** A container's name as the inventory names it, for a connection's name of it. */
	public static String nameOn(Connection c, String name) {
		return c.name().equals(Connection.LOCAL) ? name : named(c.name(), name);
	}

	// ---- connections ---------------------------------------------------------------------------------------------

	private void attach(Connection c) {
		String prefix = c == local ? null : c.name();
		EngineListener forward = e -> fire(new EngineEvent(e.kind(), named(prefix, e.name()),
				outward(prefix, e.snapshot())));
		synchronized (forwarders) {
			forwarders.put(c, forward);
		}
		c.engine().addListener(forward);
	}

	private void detach(Connection c) {
		EngineListener forward;
		synchronized (forwarders) {
			forward = forwarders.remove(c);
		}
		if (forward != null) {
			c.engine().removeListener(forward);
		}
	}

	private void sortRemotes() {
		List<Connection> sorted = new ArrayList<>(remotes);
		sorted.sort((a, b) -> a.name().compareTo(b.name()));
		remotes.clear();
		remotes.addAll(sorted);
	}

	/** The local connection, then the remotes by name. */
	public List<Connection> all() {
		List<Connection> all = new ArrayList<>();
		all.add(local);
		all.addAll(remotes);
		return all;
	}

	/**
	 * Looks whether a connection dropped or came back since the last look, and tells the connection listeners when one
	 * did (the inventory's watcher calls this every {@code checkEvery}).
	 */
	public void checkConnections() {
		boolean changed = false;
		synchronized (problems) {
			for (Connection c : all()) {
				String now = c.problem();
				if (!problems.containsKey(c.name()) || !Objects.equals(problems.get(c.name()), now)) {
					problems.put(c.name(), now);
					changed = true;
				}
			}
		}
		if (changed) {
			fireConnections();
		}
	}

	private void fireConnections() {
		for (Runnable l : connectionListeners) {
			try {
				l.run();
			} catch (RuntimeException x) {
				System.err.println("berth-inventory: a connection listener failed: " + x);
			}
		}
	}

	@Override
	public List<State> connections() {
		List<State> states = new ArrayList<>();
		for (Connection c : all()) {
			states.add(new State(c.name(), c.url(), c.problem(), c != local));
		}
		return states;
	}

	@Override
	public String hostOf(String name) {
		try {
			return route(name).connection().name();
		} catch (NoSuchContainerException e) {
			return null;
		}
	}

	@Override
	public boolean isAway(String name) {
		try {
			return route(name).connection().problem() != null;
		} catch (NoSuchContainerException e) {
			return false;
		}
	}

	@Override
	public void addRemote(Remote remote, String token) throws BerthException {
		if (dial == null) {
			throw new BerthException("remote", remote.name(), "this console cannot add connections");
		}
		synchronized (remotes) {
			if (remote.name().equals(Connection.LOCAL) || connection(remote.name()).isPresent()) {
				throw new BerthException("remote", remote.name(), "there is a connection \"" + remote.name()
						+ "\" already; choose another name");
			}
			if (store != null) {
				store.requireFree(remote.name());
				if (remote.kind() == Remote.Kind.INCUS && remote.incus().getScheme().equals("https")) {
					IncusRemote.firstContact(remote, store, token); // enrolled and trusted, or nothing saved
				}
				store.add(remote);
			}
			Connection c;
			try {
				c = dial.apply(remote);
			} catch (RuntimeException e) {
				if (store != null) {
					store.remove(remote.name());
				}
				throw new BerthException("remote", remote.name(), e.getMessage(), e);
			}
			attach(c);
			remotes.add(c);
			sortRemotes();
		}
		checkConnections();
		fireConnections();
	}

	@Override
	public void editRemote(String name, Remote remote, String token) throws BerthException {
		if (dial == null) {
			throw new BerthException("remote", name, "this console cannot change connections");
		}
		Connection old;
		synchronized (remotes) {
			old = remotes.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
			if (old == null) {
				throw new BerthException("remote", name, "there is no connection \"" + name + "\"");
			}
			boolean renamed = !remote.name().equals(name);
			if (renamed && (remote.name().equals(Connection.LOCAL) || connection(remote.name()).isPresent())) {
				throw new BerthException("remote", remote.name(), "there is a connection \"" + remote.name()
						+ "\" already; choose another name");
			}
			Remote before = store == null ? null : store.find(name).orElse(null);
			if (store != null) {
				if (renamed) {
					store.requireFree(remote.name());
				}
				if (remote.kind() == Remote.Kind.INCUS && remote.incus().getScheme().equals("https")
						&& (token != null || before == null || !before.url().equals(remote.url()))) {
					IncusRemote.firstContact(remote, store, token); // enrolled and trusted, or nothing changed
				}
				save(before, name, remote);
			}
			Connection c;
			try {
				c = dial.apply(remote);
			} catch (RuntimeException e) {
				if (store != null) {
					save(remote, remote.name(), before); // as it was
				}
				throw new BerthException("remote", remote.name(), e.getMessage(), e);
			}
			remotes.remove(old);
			attach(c);
			remotes.add(c);
			sortRemotes();
		}
		detach(old);
		old.close();
		synchronized (problems) {
			problems.remove(name);
		}
		checkConnections();
		fireConnections();
	}

	/** In the store, remote {@code name} ({@code before}; null: none) becomes {@code after} (null: none). */
	private void save(Remote before, String name, Remote after) throws BerthException {
		if (after != null && after.name().equals(name) && before != null) {
			store.replace(after);
			return;
		}
		if (before != null) {
			store.remove(name);
		}
		if (after != null) {
			store.add(after);
		}
	}

	@Override
	public Optional<Remote> remote(String name) {
		if (store == null) {
			return Optional.empty();
		}
		try {
			return store.find(name);
		} catch (BerthException e) {
			return Optional.empty();
		}
	}

	@Override
	public void removeRemote(String name) throws BerthException {
		Connection c;
		synchronized (remotes) {
			c = remotes.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
			if (c == null && store == null) {
				throw new BerthException("remote", name, "there is no connection \"" + name + "\"");
			}
			if (store != null && store.find(name).isPresent()) {
				store.remove(name);
			}
			if (c != null) {
				remotes.remove(c);
			}
		}
		if (c != null) {
			detach(c);
			c.close();
			synchronized (problems) {
				problems.remove(name);
			}
		}
		fireConnections();
	}

	@Override
	public void addConnectionListener(Runnable listener) {
		connectionListeners.add(listener);
	}

	@Override
	public void removeConnectionListener(Runnable listener) {
		connectionListeners.remove(listener);
	}

	// ---- getters -------------------------------------------------------------------------------------------------

	@Override
	public List<ContainerSnapshot> list() {
		List<ContainerSnapshot> all = new ArrayList<>(local.engine().list());
		for (Connection c : remotes) {
			for (ContainerSnapshot s : c.engine().list()) {
				all.add(outward(c.name(), s));
			}
		}
		return List.copyOf(all);
	}

	@Override
	public Optional<ContainerSnapshot> get(String name) {
		try {
			Route r = route(name);
			return r.connection().engine().get(r.name()).map(s -> outward(r.prefix(), s));
		} catch (NoSuchContainerException e) {
			return Optional.empty();
		}
	}

	/** The local engine's templates; {@link #templates(String)} gives another connection's. */
	@Override
	public Set<String> templates() {
		return local.engine().templates();
	}

	@Override
	public Set<String> templates(String host) {
		return connection(host).map(c -> c.engine().templates()).orElse(Set.of());
	}

	@Override
	public CompletableFuture<List<ImageInfo>> images(String host) {
		Connection c = connection(host).orElse(null);
		if (c == null) {
			return CompletableFuture.failedFuture(new BerthException("list the images of", host,
					"there is no connection \"" + host + "\""));
		}
		String problem = c.problem();
		if (problem != null && c != local) {
			return CompletableFuture.failedFuture(new BerthException("list the images of", host, "cannot list the"
					+ " images of " + host + ": it is not connected (" + problem + ")"));
		}
		try {
			return c.engine().images();
		} catch (RuntimeException e) {
			return CompletableFuture.failedFuture(e);
		}
	}

	/** The validation context of a new container on the local host. */
	@Override
	public SpecValidator.ValidationContext validationContext() {
		return validationContext(Connection.LOCAL);
	}

	@Override
	public SpecValidator.ValidationContext validationContext(String host) {
		Map<Connection, SpecValidator.ValidationContext> contexts = new LinkedHashMap<>();
		for (Connection c : all()) {
			contexts.put(c, c.engine().validationContext());
		}
		SpecValidator.ValidationContext home = connection(host).map(contexts::get).orElse(null);
		return new SpecValidator.ValidationContext() {
			@Override
			public Optional<ContainerKind> kindOf(String name) {
				return at(name).flatMap(r -> contexts.get(r.connection()).kindOf(r.name()));
			}

			@Override
			public Set<String> templates() {
				return home == null ? Set.of() : home.templates();
			}

			@Override
			public boolean isRunning(String name) {
				return at(name).map(r -> contexts.get(r.connection()).isRunning(r.name())).orElse(false);
			}

			@Override
			public Optional<ContainerSpec> specOf(String name) {
				return at(name).flatMap(r -> contexts.get(r.connection()).specOf(r.name())
						.map(s -> outward(r.prefix(), s)));
			}

			@Override
			public int hostCpus() {
				return home == null ? 0 : home.hostCpus();
			}

			private Optional<Route> at(String name) {
				try {
					Route r = route(name);
					return contexts.containsKey(r.connection()) ? Optional.of(r) : Optional.empty();
				} catch (NoSuchContainerException e) {
					return Optional.empty();
				}
			}
		};
	}

	/**
	 * Sentences about what the inventory cannot do: the local engine's, each remote's own prefixed with its name, and
	 * why each connection that is away is.
	 */
	@Override
	public List<String> limitations() {
		List<String> all = new ArrayList<>(local.engine().limitations());
		for (Connection c : remotes) {
			String problem = c.problem();
			if (problem != null) {
				all.add(c.name() + " (" + c.url() + "): " + problem);
			} else {
				c.engine().limitations().forEach(l -> all.add(c.name() + ": " + l));
			}
		}
		return all;
	}

	/** The local engine's connection, and which remotes are away. */
	@Override
	public String connection() {
		List<String> away = remotes.stream().filter(c -> c.problem() != null).map(Connection::name).toList();
		String here = local.engine().connection();
		return away.isEmpty() ? here : "reconnecting " + String.join(", ", away) + " · " + here;
	}

	@Override
	public Optional<Monitoring> monitoring() {
		return local.engine().monitoring().isPresent() || remotes.stream().anyMatch(c -> c.engine().monitoring()
				.isPresent()) ? Optional.of(monitoring) : Optional.empty();
	}

	/** The monitoring of connection {@code c}'s engine, if it keeps one. */
	Optional<Monitoring> monitoringOf(Connection c) {
		return c.engine().monitoring();
	}

	Connection local() {
		return local;
	}

	// ---- operations ----------------------------------------------------------------------------------------------

	private <T> CompletableFuture<T> at(String operation, String name,
			BiFunction<Route, ContainerEngine, CompletableFuture<T>> op) {
		Route r;
		try {
			r = route(name);
		} catch (NoSuchContainerException e) {
			return CompletableFuture.failedFuture(new NoSuchContainerException(operation, name));
		}
		String problem = r.connection().problem();
		if (problem != null && r.connection() != local) {
			return CompletableFuture.failedFuture(new BerthException(operation, name, "cannot " + operation + " "
					+ name + ": " + r.connection().name() + " is not connected (" + problem + ")"));
		}
		try {
			return op.apply(r, r.connection().engine());
		} catch (RuntimeException e) {
			return CompletableFuture.failedFuture(e);
		}
	}

	private CompletableFuture<ContainerSnapshot> snapshot(String operation, String name,
			BiFunction<ContainerEngine, String, CompletableFuture<ContainerSnapshot>> op) {
		return at(operation, name, (r, e) -> op.apply(e, r.name()).thenApply(s -> outward(r.prefix(), s)));
	}

	/** The name {@code other} on the host of route {@code r}: bare, or prefixed with the same host. */
	private static String sameHost(String operation, Route r, String other) throws BerthException {
		if (other == null) {
			return null;
		}
		int colon = other.indexOf(':');
		if (colon < 0) {
			return other;
		}
		String host = other.substring(0, colon);
		if (!host.equals(r.connection().name())) {
			throw new BerthException(operation, other, other + " is on " + host + ", not on "
					+ r.connection().name() + ": both must be on the same host");
		}
		return other.substring(colon + 1);
	}

	private CompletableFuture<ContainerSnapshot> withSpec(String operation, ContainerSpec spec,
			BiFunction<ContainerEngine, ContainerSpec, CompletableFuture<ContainerSnapshot>> op) {
		return at(operation, spec.name(), (r, e) -> {
			ContainerSpec inner;
			try {
				inner = inward(r, spec);
			} catch (BerthException x) {
				return CompletableFuture.failedFuture(x);
			}
			return op.apply(e, inner).thenApply(s -> outward(r.prefix(), s));
		});
	}

	@Override
	public CompletableFuture<ContainerSnapshot> define(ContainerSpec spec) {
		return withSpec("define", spec, ContainerEngine::define);
	}

	@Override
	public CompletableFuture<ContainerSnapshot> update(ContainerSpec spec) {
		return withSpec("update", spec, ContainerEngine::update);
	}

	@Override
	public CompletableFuture<ContainerSnapshot> createFromImage(ContainerSpec spec, String alias) {
		return withSpec("create", spec, (e, s) -> e.createFromImage(s, alias));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> start(String name) {
		return snapshot("start", name, ContainerEngine::start);
	}

	@Override
	public CompletableFuture<ContainerSnapshot> stop(String name, Duration timeout) {
		return snapshot("stop", name, (e, n) -> e.stop(n, timeout));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> kill(String name) {
		return snapshot("kill", name, ContainerEngine::kill);
	}

	@Override
	public CompletableFuture<ContainerSnapshot> restart(String name, Duration timeout) {
		return snapshot("restart", name, (e, n) -> e.restart(n, timeout));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> freeze(String name) {
		return snapshot("freeze", name, ContainerEngine::freeze);
	}

	@Override
	public CompletableFuture<ContainerSnapshot> thaw(String name) {
		return snapshot("thaw", name, ContainerEngine::thaw);
	}

	@Override
	public CompletableFuture<ContainerSnapshot> setLimits(String name, Limits limits) {
		return snapshot("set the limits of", name, (e, n) -> e.setLimits(n, limits));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> cloneContainer(String source, String newName) {
		return at("clone", source, (r, e) -> {
			try {
				return e.cloneContainer(r.name(), sameHost("clone", r, newName)).thenApply(s -> outward(r.prefix(),
						s));
			} catch (BerthException x) {
				return CompletableFuture.failedFuture(x);
			}
		});
	}

	@Override
	public CompletableFuture<ContainerSnapshot> rename(String name, String newName) {
		return at("rename", name, (r, e) -> {
			try {
				return e.rename(r.name(), sameHost("rename", r, newName)).thenApply(s -> outward(r.prefix(), s));
			} catch (BerthException x) {
				return CompletableFuture.failedFuture(x);
			}
		});
	}

	@Override
	public CompletableFuture<Void> destroy(String name) {
		return at("destroy", name, (r, e) -> e.destroy(r.name()));
	}

	@Override
	public CompletableFuture<ExecResult> exec(String name, ExecRequest request) {
		return at("exec in", name, (r, e) -> e.exec(r.name(), request));
	}

	@Override
	public CompletableFuture<ExecSession> openExec(String name, ExecRequest request) {
		return at("exec in", name, (r, e) -> e.openExec(r.name(), request));
	}

	@Override
	public CompletableFuture<TerminalSession> openTerminal(String name, TerminalRequest request) {
		return at("open a terminal in", name, (r, e) -> e.openTerminal(r.name(), request).thenApply(t -> titled(r,
				t)));
	}

	@Override
	public CompletableFuture<TerminalSession> watchConsole(String name) {
		return at("watch the console of", name, (r, e) -> e.watchConsole(r.name()).thenApply(t -> titled(r, t)));
	}

	/**
	 * A remote's terminal whose title names its container as the inventory does ({@code h2:web /bin/sh}, not
	 * {@code web /bin/sh}, which could be this host's web).
	 */
	static TerminalSession titled(Route r, TerminalSession t) {
		String prefix = r.prefix();
		if (prefix == null || t.title() == null || t.title().startsWith(prefix + ":")) {
			return t;
		}
		return new TerminalSession() {
			@Override
			public InputStream output() {
				return t.output();
			}

			@Override
			public OutputStream input() {
				return t.input();
			}

			@Override
			public void resize(int columns, int rows) throws java.io.IOException {
				t.resize(columns, rows);
			}

			@Override
			public CompletableFuture<Integer> onExit() {
				return t.onExit();
			}

			@Override
			public boolean isInteractive() {
				return t.isInteractive();
			}

			@Override
			public String title() {
				return prefix + ":" + t.title();
			}

			@Override
			public void close() {
				t.close();
			}
		};
	}

	@Override
	public CompletableFuture<CheckpointInfo> checkpoint(String name, CheckpointRequest request) {
		return at("checkpoint", name, (r, e) -> e.checkpoint(r.name(), request));
	}

	@Override
	public CompletableFuture<List<CheckpointInfo>> checkpoints(String name) {
		return at("list the checkpoints of", name, (r, e) -> e.checkpoints(r.name()));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> restoreCheckpoint(String name, String checkpoint) {
		return snapshot("restore", name, (e, n) -> e.restoreCheckpoint(n, checkpoint));
	}

	@Override
	public CompletableFuture<Void> deleteCheckpoint(String name, String checkpoint) {
		return at("delete a checkpoint of", name, (r, e) -> e.deleteCheckpoint(r.name(), checkpoint));
	}

	@Override
	public CompletableFuture<MigrationResult> migrate(String name, MigrationRequest request,
			Consumer<MigrationProgress> progress) {
		return at("migrate", name, (r, e) -> e.migrate(r.name(), request, progress));
	}

	@Override
	public CompletableFuture<SnapshotInfo> createSnapshot(String name, String snapshot) {
		return at("snapshot", name, (r, e) -> e.createSnapshot(r.name(), snapshot));
	}

	@Override
	public CompletableFuture<List<SnapshotInfo>> snapshots(String name) {
		return at("list the snapshots of", name, (r, e) -> e.snapshots(r.name()));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> restoreSnapshot(String name, String snapshot) {
		return snapshot("restore", name, (e, n) -> e.restoreSnapshot(n, snapshot));
	}

	@Override
	public CompletableFuture<Void> deleteSnapshot(String name, String snapshot) {
		return at("delete a snapshot of", name, (r, e) -> e.deleteSnapshot(r.name(), snapshot));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> createFromSnapshot(String name, String snapshot, String newName) {
		return at("copy a snapshot of", name, (r, e) -> {
			try {
				return e.createFromSnapshot(r.name(), snapshot, sameHost("copy", r, newName)).thenApply(
						s -> outward(r.prefix(), s));
			} catch (BerthException x) {
				return CompletableFuture.failedFuture(x);
			}
		});
	}

	@Override
	public CompletableFuture<Void> exportContainer(String name, OutputStream out) {
		return at("export", name, (r, e) -> e.exportContainer(r.name(), out));
	}

	@Override
	public CompletableFuture<Void> exportContainer(String name, OutputStream out, boolean withSnapshots) {
		return at("export", name, (r, e) -> e.exportContainer(r.name(), out, withSnapshots));
	}

	/** Imports on the host {@code newName} names ({@code h2:web}); the local one without a new name. */
	@Override
	public CompletableFuture<ContainerSnapshot> importContainer(InputStream in, String newName) {
		if (newName == null) {
			return local.engine().importContainer(in, null);
		}
		return snapshot("import", newName, (e, n) -> e.importContainer(in, n));
	}

	@Override
	public CompletableFuture<SnapshotSchedule> snapshotSchedule(String name) {
		return at("read the schedule of", name, (r, e) -> e.snapshotSchedule(r.name()));
	}

	@Override
	public CompletableFuture<Void> setSnapshotSchedule(String name, SnapshotSchedule schedule) {
		return at("schedule", name, (r, e) -> e.setSnapshotSchedule(r.name(), schedule));
	}

	/** The local engine's schedules (each agent runs its own host's). */
	@Override
	public CompletableFuture<List<String>> runSchedules(Instant now) {
		return local.engine().runSchedules(now);
	}

	/** The local engine's images. */
	@Override
	public CompletableFuture<List<ImageInfo>> images() {
		return local.engine().images();
	}

	@Override
	public CompletableFuture<ImageInfo> publishImage(String name, String alias, String description) {
		return at("publish", name, (r, e) -> e.publishImage(r.name(), alias, description));
	}

	@Override
	public CompletableFuture<ImageInfo> importImage(InputStream tarball, String alias, String description,
			String origin) {
		return local.engine().importImage(tarball, alias, description, origin);
	}

	@Override
	public CompletableFuture<Void> deleteImage(String alias) {
		return local.engine().deleteImage(alias);
	}

	/** Compares two containers or snapshots ("NAME" or "NAME/SNAP") of the same host. */
	@Override
	public CompletableFuture<ContainerDiff> diff(String a, String b) {
		return at("compare", a, (r, e) -> {
			try {
				return e.diff(r.name(), sameHost("compare", r, b));
			} catch (BerthException x) {
				return CompletableFuture.failedFuture(x);
			}
		});
	}

	@Override
	public CompletableFuture<Usage> usage(String name) {
		return at("sample", name, (r, e) -> e.usage(r.name()));
	}

	@Override
	public Optional<String> namespacesFixed(String name) {
		try {
			Route r = route(name);
			return r.connection().engine().namespacesFixed(r.name());
		} catch (NoSuchContainerException e) {
			return Optional.empty();
		}
	}

	@Override
	public CompletableFuture<Long> memoryInUse(String name) {
		return at("sample", name, (r, e) -> e.memoryInUse(r.name()));
	}

	@Override
	public CompletableFuture<List<FileEntry>> listFiles(String name, String dir) {
		return at("list the files of", name, (r, e) -> e.listFiles(r.name(), dir));
	}

	@Override
	public CompletableFuture<byte[]> readFile(String name, String path, int maxBytes) {
		return at("read a file of", name, (r, e) -> e.readFile(r.name(), path, maxBytes));
	}

	@Override
	public CompletableFuture<Void> writeFile(String name, String path, byte[] content) {
		return at("write a file of", name, (r, e) -> e.writeFile(r.name(), path, content));
	}

	@Override
	public CompletableFuture<Void> pullArchive(String name, String inside, OutputStream out) {
		return at("copy from", name, (r, e) -> e.pullArchive(r.name(), inside, out));
	}

	@Override
	public CompletableFuture<Integer> pushArchive(String name, InputStream in, String inside) {
		return at("copy into", name, (r, e) -> e.pushArchive(r.name(), in, inside));
	}

	/** The audit trail of the host {@code container} is on; the local one's for all containers (null). */
	@Override
	public CompletableFuture<List<AuditTrail.Entry>> auditTrail(String container, String user, int limit) {
		if (container == null) {
			return local.engine().auditTrail(null, user, limit);
		}
		return at("read the audit trail of", container, (r, e) -> e.auditTrail(r.name(), user, limit));
	}

	// ---- listeners -----------------------------------------------------------------------------------------------

	@Override
	public void addListener(EngineListener listener) {
		listeners.add(listener);
	}

	@Override
	public void removeListener(EngineListener listener) {
		listeners.remove(listener);
	}

	private void fire(EngineEvent e) {
		for (EngineListener l : listeners) {
			try {
				l.changed(e);
			} catch (RuntimeException x) {
				System.err.println("berth-inventory: a listener failed: " + x);
			}
		}
	}

	/** Ends every connection (the local engine's too) and the watcher. Containers go on. */
	@Override
	public void close() {
		if (watcher != null) {
			watcher.shutdownNow();
		}
		for (Connection c : all()) {
			detach(c);
			c.close();
		}
	}

	@Override
	public String toString() {
		return "Inventory" + all();
	}

	/** The monitoring of every connection, each container's history from its own host's. */
	static final class InventoryMonitoring implements Monitoring {
		private final Inventory inventory;

		InventoryMonitoring(Inventory inventory) {
			this.inventory = inventory;
		}

		private Optional<Monitoring> home() {
			Optional<Monitoring> m = inventory.local().engine().monitoring();
			if (m.isPresent()) {
				return m;
			}
			return inventory.all().stream().map(c -> c.engine().monitoring()).flatMap(Optional::stream)
					.findFirst();
		}

		@Override
		public Duration interval() {
			return home().map(Monitoring::interval).orElse(Duration.ofSeconds(1));
		}

		@Override
		public void setInterval(Duration interval) {
			home().ifPresent(m -> m.setInterval(interval));
		}

		@Override
		public List<org.berth.core.Tier> tiers() {
			return home().map(Monitoring::tiers).orElse(List.of());
		}

		@Override
		public Optional<org.berth.core.UsageHistory> history(String name) {
			try {
				Route r = inventory.route(name);
				return r.connection().engine().monitoring().flatMap(m -> m.history(r.name()));
			} catch (NoSuchContainerException e) {
				return Optional.empty();
			}
		}

		@Override
		public long sweeps() {
			return home().map(Monitoring::sweeps).orElse(0L);
		}

		@Override
		public Duration backgroundInterval() {
			return home().map(Monitoring::backgroundInterval).orElse(interval());
		}

		@Override
		public void setBackgroundInterval(Duration interval) {
			home().ifPresent(m -> m.setBackgroundInterval(interval));
		}

		@Override
		public Watch watch(Collection<String> names) {
			Map<Connection, Watch> watches = new HashMap<>();
			Watch all = new Watch() {
				@Override
				public synchronized void set(Collection<String> newNames) {
					Map<Connection, List<String>> byHost = new HashMap<>();
					for (Connection c : inventory.all()) {
						byHost.put(c, new ArrayList<>());
					}
					for (String n : newNames) {
						try {
							Route r = inventory.route(n);
							byHost.computeIfAbsent(r.connection(), c -> new ArrayList<>()).add(r.name());
						} catch (NoSuchContainerException e) {
							// a container of a connection that went: nothing to sample
						}
					}
					for (Map.Entry<Connection, List<String>> e : byHost.entrySet()) {
						Watch w = watches.get(e.getKey());
						if (w != null) {
							w.set(e.getValue());
						} else if (!e.getValue().isEmpty()) {
							e.getKey().engine().monitoring().ifPresent(m -> watches.put(e.getKey(), m.watch(e
									.getValue())));
						}
					}
				}

				@Override
				public synchronized void close() {
					watches.values().forEach(Watch::close);
					watches.clear();
				}
			};
			all.set(names);
			return all;
		}
	}
}
