package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.berth.core.Action;
import org.berth.core.BerthException;
import org.berth.core.ContainerExistsException;
import org.berth.core.ContainerKind;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.EngineEvent;
import org.berth.core.EngineListener;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.Limits;
import org.berth.core.NamespaceIdentity;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;
import org.berth.core.NetworkMode;
import org.berth.core.NetworkSpec;
import org.berth.core.NoSuchContainerException;
import org.berth.core.Signals;
import org.berth.core.SpecValidator;
import org.berth.core.StateMachine;
import org.berth.core.Usage;
import org.berth.core.linux.EngineConfig;
import org.berth.core.linux.LocalEngine;
import org.berth.core.linux.internal.cgroup.CgroupDriver;
import org.berth.core.linux.internal.cgroup.CgroupLimits;
import org.berth.core.linux.internal.cgroup.CgroupStats;
import org.berth.core.linux.internal.cgroup.Group;
import org.berth.core.linux.internal.proc.NamespaceInodes;
import org.berth.core.linux.internal.proc.ProcStat;
import org.berth.core.linux.internal.proc.ProcStatus;
import org.berth.core.linux.internal.sys.ExitWatcher;
import org.berth.core.linux.internal.sys.Pidfd;
import org.berth.core.linux.internal.sys.Spawn;
import org.berth.core.linux.internal.sys.SysException;
import org.berth.core.linux.internal.terminal.TerminalTarget;
import org.berth.core.linux.internal.terminal.Terminals;

/**
 * The engine on this host. Containers are started by the native helper, which stays as each container's
 * monitor; this class keeps an immutable snapshot per container that getters hand out without blocking, runs
 * every operation on its own threads (one at a time per container), and tells listeners on an event thread.
 */
public final class LinuxEngine implements LocalEngine {

	private static final Path PROC = Path.of("/proc");
	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
	private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
	private static final long CONSOLE_MAX_BYTES = 1 << 20;
	private static final long HALT_RESEND_MILLIS = 500;

	private final EngineConfig config;
	private final ConfigStore store;
	private final Templates templates;
	private final VethNetwork network;
	private final Map<String, ContainerSnapshot> cache = new ConcurrentHashMap<>();
	private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
	private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
	private final ExecutorService workers = Executors.newCachedThreadPool(daemon("berth-engine"));
	private final ExecutorService events = Executors.newSingleThreadExecutor(daemon("berth-engine-events"));
	private ExitWatcher exitWatcher; // made on first use
	private RootWatcher rootWatcher; // made with the first listener
	private final List<ConfigStore.Broken> broken = new ArrayList<>();
	private final Set<String> only; // null: every container is loaded
	private volatile CgroupDriver driver;
	private volatile Path helper;

	public LinuxEngine(EngineConfig config) throws BerthException {
		this(config, null);
	}

	/**
	 * @param only the containers to load, or null for all (see {@link org.berth.core.linux.LinuxEngines#openOnly})
	 */
	public LinuxEngine(EngineConfig config, Set<String> only) throws BerthException {
		this.config = config;
		this.only = only;
		this.store = new ConfigStore(config.configRoot());
		this.templates = new Templates(config.busybox(), config.configRoot().resolve(".cache"));
		this.network = new VethNetwork(config.bridge(), config.bridgeNetns(), config.subnet());
		try {
			for (ContainerSpec spec : only == null ? store.loadAll(broken) : store.loadSome(only, broken)) {
				cache.put(spec.name(), rediscover(spec));
			}
		} catch (IOException e) {
			throw new BerthException("open", config.configRoot().toString(), "could not read the containers in "
					+ config.configRoot() + ": " + e.getMessage(), e);
		}
		refreshNamespaces();
	}

	/** An engine opened for some containers cannot do what needs to know the others. */
	private void requireWhole(String what) {
		if (only != null) {
			throw new IllegalStateException("this engine was opened for " + String.join(", ", new TreeSet<>(only))
					+ " only and cannot " + what + "; open it for all containers");
		}
	}

	private static ThreadFactory daemon(String prefix) {
		AtomicInteger n = new AtomicInteger();
		return r -> {
			Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
			t.setDaemon(true);
			return t;
		};
	}

	// ---- getters: snapshots, never blocking -------------------------------------------------------------

	@Override
	public List<ContainerSnapshot> list() {
		requireWhole("list the containers");
		return cache.values().stream().sorted(Comparator.comparing(ContainerSnapshot::name)).toList();
	}

	@Override
	public Optional<ContainerSnapshot> get(String name) {
		return Optional.ofNullable(cache.get(name));
	}

	@Override
	public Set<String> templates() {
		return Templates.NAMES;
	}

	@Override
	public SpecValidator.ValidationContext validationContext() {
		requireWhole("check a container's settings against the others");
		return new SpecValidator.ValidationContext() {
			@Override
			public boolean exists(String name) {
				return cache.containsKey(name);
			}

			@Override
			public Optional<ContainerKind> kindOf(String name) {
				return get(name).map(s -> s.spec().kind());
			}

			@Override
			public Set<String> templates() {
				return Templates.NAMES;
			}

			@Override
			public boolean isRunning(String name) {
				return get(name).map(ContainerSnapshot::isActive).orElse(false);
			}
		};
	}

	@Override
	public Path consoleLog(String name) {
		return runDir(name).file(RunDir.CONSOLE_LOG);
	}

	@Override
	public List<String> limitations() {
		List<String> all = new ArrayList<>();
		if (!isRoot()) {
			all.add("Berth is not running as root: it shows containers but needs root to create, start or stop"
					+ " them (start it with sudo).");
		}
		for (ConfigStore.Broken b : broken) {
			all.add("The config " + b.file() + " could not be read and is left as it is: " + b.reason());
		}
		return all;
	}

	private static boolean isRoot() {
		try {
			return ProcStatus.read(PROC, ProcessHandle.current().pid()).field("Uid")
					.map(uid -> uid.split("\\s+")[1].equals("0")).orElse(false);
		} catch (IOException | RuntimeException e) {
			return false;
		}
	}

	@Override
	public void addListener(EngineListener listener) {
		listeners.add(listener);
		watchFoundMonitors(); // someone wants to hear when a container ends
		watchRoots(); // and of what other processes do
	}

	@Override
	public void removeListener(EngineListener listener) {
		listeners.remove(listener);
	}

	@Override
	public void close() {
		closeMonitoring();
		// the parent group stays while the engine runs (making and removing it cost every start and stop)
		removeParentIfEmpty();
		synchronized (this) {
			if (exitWatcher != null) {
				exitWatcher.close();
			}
			if (rootWatcher != null) {
				rootWatcher.close();
			}
		}
		workers.shutdown();
		events.shutdown();
	}

	// ---- monitoring (issue 5): one sampler for all running containers, started on first use ------------------

	private org.berth.core.linux.internal.metrics.Sampler sampler;

	@Override
	public synchronized Optional<org.berth.core.Monitoring> monitoring() {
		watchFoundMonitors();
		if (sampler == null) {
			sampler = new org.berth.core.linux.internal.metrics.Sampler(
					new org.berth.core.linux.internal.metrics.Sampler.Source() {
						@Override
						public java.util.Collection<ContainerSnapshot> containers() {
							return cache.values();
						}

						@Override
						public Group group(ContainerSnapshot active) throws IOException {
							RunDir.State state = runDir(active.name()).readState()
									.filter(s -> s.initPid() == active.initPid())
									.orElseThrow(() -> new IOException(active.name() + " is not running"));
							try {
								return driver().open(state.cgroup());
							} catch (BerthException e) {
								throw new IOException(e.getMessage(), e);
							}
						}
					}, org.berth.core.linux.internal.metrics.Sampler.DEFAULT_INTERVAL,
					org.berth.core.Tier.DEFAULTS).start();
		}
		return Optional.of(sampler);
	}

	private synchronized void closeMonitoring() {
		if (sampler != null) {
			sampler.close();
		}
	}

	// ---- operations ---------------------------------------------------------------------------------------

	@FunctionalInterface
	private interface Work<T> {
		T run() throws BerthException;
	}

	/** Runs {@code work} on an engine thread while holding {@code name}'s lock. */
	private <T> CompletableFuture<T> async(String name, Work<T> work) {
		CompletableFuture<T> result = new CompletableFuture<>();
		if (workers.isShutdown()) {
			result.completeExceptionally(new BerthException("engine", name, "the engine is closed"));
			return result;
		}
		workers.execute(() -> {
			ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
			lock.lock();
			try {
				result.complete(work.run());
			} catch (BerthException e) {
				result.completeExceptionally(e);
			} catch (RuntimeException e) {
				result.completeExceptionally(new BerthException("engine", name, "internal error while working on \""
						+ name + "\": " + e, e));
			} finally {
				lock.unlock();
			}
		});
		return result;
	}

	@Override
	public CompletableFuture<ContainerSnapshot> define(ContainerSpec spec) {
		return async(spec.name(), () -> {
			if (cache.containsKey(spec.name()) || store.exists(spec.name())) {
				throw new ContainerExistsException("create", spec.name());
			}
			ContainerSpec complete = withAddress(spec);
			SpecValidator.requireValid(complete, validationContext());
			boolean madeRootfs = false;
			try {
				if (complete.rootfs() == null) {
					templates.create(complete, store.rootfs(complete.name()));
					madeRootfs = true;
				} else if (!Files.isDirectory(Path.of(complete.rootfs()))) {
					throw new BerthException("create", complete.name(), "the root file system " + complete.rootfs()
							+ " is not a directory");
				}
				store.save(complete);
			} catch (IOException | BerthException e) {
				forget(complete.name(), madeRootfs || complete.rootfs() == null);
				if (e instanceof BerthException b) {
					throw b;
				}
				throw new BerthException("create", complete.name(), "could not save the config of \""
						+ complete.name() + "\": " + e.getMessage(), e);
			}
			ContainerSnapshot snap = ContainerSnapshot.stopped(complete);
			publish(EngineEvent.Kind.DEFINED, snap);
			return snap;
		});
	}

	/** Undoes a half-made definition: nothing of it may stay behind. */
	private void forget(String name, boolean ownDirectory) {
		if (!ownDirectory) {
			return;
		}
		try {
			store.delete(name);
		} catch (IOException e) {
			// best effort: the definition failed already and says why
		}
	}

	/** A veth container without an address gets the first free one of the range, kept in its spec. */
	private ContainerSpec withAddress(ContainerSpec spec) throws BerthException {
		NetworkSpec net = spec.network();
		if (net.mode() != NetworkMode.VETH || net.address() != null) {
			return spec;
		}
		List<String> used = cache.values().stream().map(s -> s.spec().network())
				.filter(n -> n.mode() == NetworkMode.VETH).map(NetworkSpec::address).toList();
		String address = network.allocate(used);
		return spec.toBuilder().network(NetworkSpec.veth(net.bridge(), address)).build();
	}

	@Override
	public CompletableFuture<ContainerSnapshot> update(ContainerSpec spec) {
		return async(spec.name(), () -> {
			ContainerSnapshot current = require(spec.name());
			ContainerSpec complete = withAddress(spec);
			SpecValidator.requireValid(complete, validationContext());
			if (!java.util.Objects.equals(complete.rootfs(), current.spec().rootfs())
					|| !java.util.Objects.equals(complete.template(), current.spec().template())) {
				throw new BerthException("update", spec.name(), "the root file system of \"" + spec.name()
						+ "\" cannot change after it was created; clone it or create a new container");
			}
			save(complete);
			ContainerSnapshot snap = current.withSpec(complete);
			publish(EngineEvent.Kind.UPDATED, snap);
			return snap;
		});
	}

	private void save(ContainerSpec spec) throws BerthException {
		try {
			store.save(spec);
		} catch (IOException e) {
			throw new BerthException("save", spec.name(), "could not save the config of \"" + spec.name() + "\": "
					+ e.getMessage(), e);
		}
	}

	@Override
	public CompletableFuture<ContainerSnapshot> start(String name) {
		return async(name, () -> doStart(name));
	}

	private ContainerSnapshot doStart(String name) throws BerthException {
		ContainerSnapshot snap = require(name);
		ContainerState transitional = StateMachine.transitional(name, snap.state(), Action.START);
		ContainerSpec spec = snap.spec();
		SpecValidator.requireValid(spec, validationContext());
		publish(EngineEvent.Kind.STATE_CHANGED, snap.withState(transitional));
		try {
			RunDir.State state = launch(spec);
			ContainerSnapshot running = new ContainerSnapshot(spec, ContainerState.RUNNING, state.initPid(),
					state.startedAt(), snap.lastExit(), Map.of());
			publish(EngineEvent.Kind.STATE_CHANGED, running);
			watchFoundMonitors();
			watch(name, state);
			refreshNamespaces();
			return cache.get(name);
		} catch (BerthException e) {
			publish(EngineEvent.Kind.STATE_CHANGED, snap.withState(ContainerState.STOPPED));
			throw e;
		}
	}

	/**
	 * Starts the container through the helper; on failure leaves no cgroup, no state and no process. The cgroups
	 * are made first; on a host where init is moved into them by writes, the kernel's wait that comes with the
	 * first such move after an idle moment ({@link CgroupDriver#primeMoves()}) is started at once, so it passes while
	 * the helper starts, clones and mounts the container's root, instead of after. The state is recorded while
	 * the container's process sets up its mounts.
	 */
	private RunDir.State launch(ContainerSpec spec) throws BerthException {
		String name = spec.name();
		Path rootfs = rootfsOf(spec);
		if (!Files.isDirectory(rootfs)) {
			throw new BerthException("start", name, "the root file system of \"" + name + "\" (" + rootfs
					+ ") is missing");
		}
		Map<NamespaceType, Path> joins = joins(spec);
		Path helperPath = helper();
		long startId = System.currentTimeMillis();
		String rel = config.cgroupParent() + "/" + name + "-" + startId;
		Group group = driver().open(rel); // the paths; made below
		RunDir run = runDir(name);
		String hostVeth = spec.network().mode() == NetworkMode.VETH ? VethNetwork.hostVethName(name, startId) : null;
		RunDir.State[] recorded = new RunDir.State[1];
		boolean started = false;
		try {
			makeGroup(name, rel, limitsOf(spec.limits()));
			Path cloneInto = group.cloneIntoDir().orElse(null);
			if (cloneInto == null) {
				primeMovesNow(); // init is moved by writes: their wait starts now
			}
			run.prepareForStart();
			HelperCommand.StartPlan plan = new HelperCommand.StartPlan(helperPath, rootfs, run.path(),
					Templates.init(spec), joins, group.procsFiles(), cloneInto, group.dirs(),
					Templates.binds(spec, helperPath), Signals.signalNumber(Templates.haltSignal(spec)),
					CONSOLE_MAX_BYTES, hostVeth != null);
			// the helper brings lo up itself; only a veth needs the window between clone and init (--sync)
			HelperProcess.Ready ready = HelperProcess.start(name, HelperCommand.start(spec, plan),
					run.file(RunDir.HELPER_LOG), plan.sync(), (child, monitor) -> {
						if (hostVeth != null) {
							network.attach(name, child, spec.network().address(), hostVeth);
						}
						try {
							recorded[0] = new RunDir.State(child, ProcStat.read(PROC, child).startTimeTicks(),
									monitor, rel, startId, hostVeth);
							run.writeState(recorded[0]);
						} catch (IOException e) {
							throw translate("start", name, e);
						}
					}, START_TIMEOUT);
			if (recorded[0] == null || recorded[0].initPid() != ready.initPid()
					|| recorded[0].monitorPid() != ready.monitorPid()) {
				throw new BerthException("start", name, "the helper reported init " + ready.initPid()
						+ " and monitor " + ready.monitorPid() + ", not the process it announced; see "
						+ run.file(RunDir.HELPER_LOG));
			}
			started = true;
			return recorded[0];
		} catch (IOException e) {
			throw translate("start", name, e);
		} finally {
			if (!started) {
				quietly(() -> group.killAll());
				quietly(() -> group.remove());
				quietly(run::clearState);
				network.detach(name, hostVeth);
			}
		}
	}

	private Path rootfsOf(ContainerSpec spec) {
		return spec.rootfs() != null ? Path.of(spec.rootfs()) : store.rootfs(spec.name());
	}

	/** The namespace files of the containers this one shares namespaces with; they must be running. */
	private Map<NamespaceType, Path> joins(ContainerSpec spec) throws BerthException {
		Map<NamespaceType, Path> joins = new EnumMap<>(NamespaceType.class);
		for (NamespaceSpec ns : spec.namespaces().values()) {
			if (ns.mode() != NamespaceMode.SHARE) {
				continue;
			}
			ContainerSnapshot other = cache.get(ns.shareWith());
			if (other == null) {
				throw new NoSuchContainerException("start", ns.shareWith());
			}
			if (!other.isActive() || other.initPid() <= 0) {
				throw new BerthException("start", spec.name(), "cannot start \"" + spec.name() + "\": it shares its "
						+ ns.type().procName() + " namespace with \"" + other.name()
						+ "\", which is not running; start \"" + other.name() + "\" first");
			}
			joins.put(ns.type(), PROC.resolve(Long.toString(other.initPid())).resolve("ns")
					.resolve(ns.type().procName()));
		}
		return joins;
	}

	/** {@link CgroupDriver#primeMoves()} on a worker, beside the caller's work. */
	private void primeMovesNow() throws BerthException {
		CgroupDriver d = driver();
		try {
			workers.execute(d::primeMoves);
		} catch (RejectedExecutionException e) {
			// the engine is closing: the move then waits itself
		}
	}

	/** A fresh group with the container's limits (a fresh group is unlimited already). */
	private void makeGroup(String name, String rel, CgroupLimits limits) throws BerthException {
		try {
			Group made = driver().create(rel);
			if (!limits.equals(CgroupLimits.NONE)) {
				made.apply(limits);
			}
		} catch (IOException e) {
			throw translate("start", name, e);
		}
	}

	static CgroupLimits limitsOf(Limits limits) {
		Long quota = limits.cpus() == null ? null
				: Math.max(1000L, Math.round(limits.cpus() * CgroupLimits.DEFAULT_CPU_PERIOD_MICROS));
		return new CgroupLimits(limits.memoryBytes(), limits.memorySwapBytes(), quota,
				quota == null ? null : CgroupLimits.DEFAULT_CPU_PERIOD_MICROS, limits.cpuWeight(), limits.cpuset(),
				limits.pids());
	}

	/**
	 * Monitors of containers found running at open, watched only once someone can care: a listener, a start, the
	 * sampler. A one-shot use such as {@code berth list} then neither loads JNA nor starts a thread.
	 */
	private final Map<String, RunDir.State> foundNotWatched = new ConcurrentHashMap<>();
	private volatile boolean watchingFound;

	private void watchLater(String name, RunDir.State state) {
		if (watchingFound) {
			watch(name, state);
		} else {
			foundNotWatched.put(name, state);
		}
	}

	private void watchFoundMonitors() {
		synchronized (foundNotWatched) {
			if (watchingFound) {
				return;
			}
			watchingFound = true;
		}
		foundNotWatched.forEach(this::watch);
		foundNotWatched.clear();
	}

	/** Learns of a container's end from its monitor's exit, whoever caused it (see {@link ExitWatcher}). */
	private void watch(String name, RunDir.State state) {
		foundNotWatched.remove(name);
		Runnable ended = () -> {
			try {
				workers.execute(() -> ended(name, state));
			} catch (RejectedExecutionException e) {
				// the engine was closed meanwhile
			}
		};
		try {
			exitWatcher().watch(state.monitorPid(), ended);
		} catch (SysException e) {
			// cannot watch it: /proc tells whether it runs, on the next look
			ProcessHandle.of(state.monitorPid()).ifPresentOrElse(h -> h.onExit().thenRun(ended), ended);
		}
	}

	// ---- what other processes do: the berth command line, a second console ---------------------------------

	/** From the first listener on, containers made, changed, started or destroyed elsewhere reach the listeners. */
	private synchronized void watchRoots() {
		if (rootWatcher != null || only != null || workers.isShutdown()) {
			return;
		}
		try {
			rootWatcher = new RootWatcher(config.configRoot(), config.runRoot(), this::changedElsewhere);
		} catch (IOException e) {
			// no inotify to be had: the listeners then hear of what this engine does, and of ends
		}
	}

	/** Another process may have changed these containers (null: any of them): each is looked at again. */
	private void changedElsewhere(Set<String> names) {
		Set<String> all = new TreeSet<>(names != null ? names : cache.keySet());
		if (names == null) {
			List<ConfigStore.Broken> ignored = new ArrayList<>();
			try {
				store.loadAll(ignored).forEach(spec -> all.add(spec.name()));
			} catch (IOException e) {
				// the ones known stay as they are
			}
		}
		for (String name : all) {
			try {
				workers.execute(() -> recheck(name));
			} catch (RejectedExecutionException e) {
				return; // closed meanwhile
			}
		}
	}

	/**
	 * Brings one container's snapshot up to date with its config and run folder, under its lock (so after any
	 * operation of this engine on it, which then has published its result already): made, changed or destroyed by
	 * another process, or started by one (its end then comes from its monitor, as for a start of our own).
	 */
	private void recheck(String name) {
		ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
		lock.lock();
		try {
			List<ConfigStore.Broken> bad = new ArrayList<>();
			ContainerSpec spec = store.loadSome(List.of(name), bad).stream().findFirst().orElse(null);
			ContainerSnapshot cached = cache.get(name);
			if (spec == null) {
				if (cached != null && bad.isEmpty() && !store.exists(name)) {
					cache.remove(name);
					inodeCache.remove(name);
					dispatch(new EngineEvent(EngineEvent.Kind.DESTROYED, name, cached));
				}
				return; // a config half written or unreadable: what was known stays
			}
			if (cached == null) {
				publish(EngineEvent.Kind.DEFINED, rediscover(spec));
				refreshNamespaces();
				return;
			}
			ContainerSnapshot now = cached;
			if (!spec.equals(cached.spec())) {
				now = cached.withSpec(spec);
				publish(EngineEvent.Kind.UPDATED, now);
			}
			Optional<RunDir.State> run = runDir(name).readState();
			if (run.isPresent() && (!now.isActive() || now.initPid() != run.get().initPid()) && isAlive(run.get())) {
				RunDir.State state = run.get();
				publish(EngineEvent.Kind.STATE_CHANGED, new ContainerSnapshot(now.spec(), ContainerState.RUNNING,
						state.initPid(), state.startedAt(), now.lastExit(), Map.of()));
				watch(name, state);
				refreshNamespaces();
			} else if (run.isPresent() && (now.state() == ContainerState.RUNNING
					|| now.state() == ContainerState.FROZEN)) {
				// frozen or thawed elsewhere (the record is written again then)
				ContainerState actual = driver().open(run.get().cgroup()).frozen() ? ContainerState.FROZEN
						: ContainerState.RUNNING;
				if (actual != now.state()) {
					publish(EngineEvent.Kind.STATE_CHANGED, now.withState(actual));
				}
			}
		} catch (IOException | BerthException e) {
			// the cgroup could not be read: what was known stays
		} finally {
			lock.unlock();
		}
	}

	private synchronized ExitWatcher exitWatcher() throws SysException {
		if (exitWatcher == null) {
			exitWatcher = new ExitWatcher("berth-engine-exits");
		}
		return exitWatcher;
	}

	/** The monitor of one run of {@code name} ended: settle the container as stopped unless that is done. */
	private void ended(String name, RunDir.State state) {
		ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
		lock.lock();
		try {
			ContainerSnapshot snap = cache.get(name);
			if (snap == null || snap.initPid() != state.initPid() || snap.state() == ContainerState.STOPPED) {
				return; // already settled by stop/kill, or a newer run
			}
			settleStopped(snap, state);
		} finally {
			lock.unlock();
		}
	}

	/** Cleans up after a run and publishes the container as stopped with how it ended. */
	private ContainerSnapshot settleStopped(ContainerSnapshot snap, RunDir.State state) {
		String name = snap.name();
		RunDir run = runDir(name);
		if (state != null) {
			awaitMonitor(state.monitorPid(), KILL_TIMEOUT);
			quietly(() -> {
				Group g = driver().open(state.cgroup());
				if (g.exists()) {
					g.killAll();
					g.remove();
				}
			});
			network.detach(name, state.hostVeth());
		}
		String exit = run.exitRecord().map(RunDir::describeExit).orElse(snap.lastExit());
		// the record of this run only: another process may have started the container again meanwhile
		if (state == null || run.readState().map(s -> s.initPid() == state.initPid()).orElse(false)) {
			quietly(run::clearState);
		}
		ContainerSnapshot stopped = new ContainerSnapshot(snap.spec(), ContainerState.STOPPED, 0, null, exit,
				Map.of());
		publish(EngineEvent.Kind.STATE_CHANGED, stopped);
		refreshNamespaces();
		return stopped;
	}

	@Override
	public CompletableFuture<ContainerSnapshot> stop(String name, Duration timeout) {
		return async(name, () -> doStop(name, timeout, Action.STOP));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> kill(String name) {
		return async(name, () -> doStop(name, Duration.ZERO, Action.KILL));
	}

	private ContainerSnapshot doStop(String name, Duration timeout, Action action) throws BerthException {
		ContainerSnapshot snap = require(name);
		ContainerState transitional = StateMachine.transitional(name, snap.state(), action);
		RunDir.State state = runDir(name).readState().orElse(null);
		publish(EngineEvent.Kind.STATE_CHANGED, snap.withState(transitional));
		if (state == null) {
			return settleStopped(snap, null);
		}
		try {
			Group group = driver().open(state.cgroup());
			thawIfFrozen(group);
			boolean ended = false;
			if (action == Action.STOP && !timeout.isZero()) {
				ended = haltAndAwait(state, Signals.signalNumber(Templates.haltSignal(snap.spec())), timeout);
			}
			if (!ended) {
				ended = killAndAwait(group, state, snap.spec());
			}
			if (!ended && group.exists()) {
				group.killAll(KILL_TIMEOUT);
			}
		} catch (IOException e) {
			if (isAlive(state)) {
				throw translate(action == Action.KILL ? "kill" : "stop", name, e);
			}
			// it ended while we were at it (its monitor tears the cgroups down): that is what was asked
		}
		return settleStopped(snap, state);
	}

	/** A frozen init can act neither on its halt signal nor on SIGKILL: thaw first. */
	private static void thawIfFrozen(Group group) throws IOException {
		try {
			if (group.exists() && group.frozen()) {
				group.thaw();
			}
		} catch (IOException e) {
			if (group.exists()) {
				throw e;
			}
			// the group went away meanwhile: the container has ended
		}
	}

	/**
	 * Asks init to shut down with its halt signal and waits for the end, sending the signal again every
	 * {@value #HALT_RESEND_MILLIS} ms: the kernel drops a signal from outside the container's pid namespace that
	 * its init does not wait for at that moment (busybox init, just started, is still setting up), and an init
	 * that is already shutting down ignores the repeats.
	 *
	 * @return whether the container ended within {@code timeout}
	 */
	private static boolean haltAndAwait(RunDir.State state, int signal, Duration timeout) throws IOException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (isAlive(state)) {
			try (Pidfd pidfd = Pidfd.open(state.initPid())) {
				pidfd.sendSignal(signal);
			} catch (SysException e) {
				if (!isAlive(state)) {
					break;
				}
				throw e;
			}
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			if (awaitMonitor(state.monitorPid(), Duration.ofNanos(Math.min(left,
					TimeUnit.MILLISECONDS.toNanos(HALT_RESEND_MILLIS))))) {
				return true;
			}
		}
		return awaitMonitor(state.monitorPid(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
	}

	/**
	 * SIGKILLs the whole container at once and waits for its monitor, which reaps init and removes the cgroups:
	 * no polling of the cgroups. Everything dies at once when the kernel has {@code cgroup.kill}, or when init is
	 * PID 1 of a pid namespace of its own (the kernel then kills the rest of the namespace).
	 *
	 * @return whether the monitor ended in time; false also when neither way kills everything (then the caller
	 *         kills process by process)
	 */
	private static boolean killAndAwait(Group group, RunDir.State state, ContainerSpec spec) throws IOException {
		boolean all = group.exists() && group.killAtOnce();
		if (spec.namespaces().get(NamespaceType.PID).mode() == NamespaceMode.NEW && isAlive(state)) {
			try (Pidfd pidfd = Pidfd.open(state.initPid())) {
				pidfd.sendSignal(org.berth.core.linux.internal.sys.Signals.SIGKILL);
				all = true;
			} catch (SysException e) {
				if (isAlive(state)) {
					throw e;
				}
				all = true; // it ended meanwhile
			}
		}
		return all && awaitMonitor(state.monitorPid(), KILL_TIMEOUT);
	}

	/** Whether init of that run still runs: same PID and the same start time (a reused PID is not it). */
	private static boolean isAlive(RunDir.State state) {
		try {
			return ProcStat.readIfAlive(PROC, state.initPid())
					.map(s -> s.startTimeTicks() == state.initStartTicks() && !s.exited()).orElse(false);
		} catch (IOException e) {
			return false;
		}
	}

	/**
	 * Waits until the monitor process is gone (it has then removed the cgroups and written the exit record). A
	 * pidfd tells at once, also when the monitor is not our child (the JDK polls those with growing pauses).
	 */
	private static boolean awaitMonitor(long monitorPid, Duration timeout) {
		try (Pidfd pidfd = Pidfd.open(monitorPid)) {
			return pidfd.awaitExit(timeout.isZero() ? Duration.ofMillis(1) : timeout);
		} catch (SysException e) {
			if (e.errno() == 3) { // ESRCH: already gone
				return true;
			}
			return ProcessHandle.of(monitorPid).map(h -> !h.isAlive()).orElse(true);
		}
	}

	@Override
	public CompletableFuture<ContainerSnapshot> restart(String name, Duration timeout) {
		return async(name, () -> {
			ContainerSnapshot snap = require(name);
			if (snap.isActive()) {
				doStop(name, timeout, Action.STOP);
			}
			return doStart(name);
		});
	}

	@Override
	public CompletableFuture<ContainerSnapshot> freeze(String name) {
		return async(name, () -> changeFreezer(name, Action.FREEZE));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> thaw(String name) {
		return async(name, () -> changeFreezer(name, Action.THAW));
	}

	private ContainerSnapshot changeFreezer(String name, Action action) throws BerthException {
		ContainerSnapshot snap = require(name);
		ContainerState transitional = StateMachine.transitional(name, snap.state(), action);
		RunDir.State state = requireRunning(snap);
		publish(EngineEvent.Kind.STATE_CHANGED, snap.withState(transitional));
		boolean ok = false;
		try {
			Group group = driver().open(state.cgroup());
			if (action == Action.FREEZE) {
				group.freeze();
			} else {
				group.thaw();
			}
			ok = true;
			quietly(() -> runDir(name).writeState(state)); // the same record again: watching engines look again
		} catch (IOException e) {
			throw translate(action == Action.FREEZE ? "freeze" : "thaw", name, e);
		} finally {
			ContainerState settled = StateMachine.settled(action, ok, snap.state());
			publish(EngineEvent.Kind.STATE_CHANGED, snap.withState(settled));
		}
		return cache.get(name);
	}

	@Override
	public CompletableFuture<ContainerSnapshot> setLimits(String name, Limits limits) {
		return async(name, () -> {
			ContainerSnapshot snap = require(name);
			ContainerSpec spec = snap.spec().toBuilder().limits(limits).build();
			SpecValidator.requireValid(spec, validationContext());
			if (snap.isActive()) {
				StateMachine.transitional(name, snap.state(), Action.UPDATE_LIVE);
				RunDir.State state = requireRunning(snap);
				try {
					driver().open(state.cgroup()).apply(limitsOf(limits));
				} catch (IOException e) {
					throw translate("set limits", name, e);
				}
			}
			save(spec);
			ContainerSnapshot updated = snap.withSpec(spec);
			publish(EngineEvent.Kind.UPDATED, updated);
			return updated;
		});
	}

	@Override
	public CompletableFuture<ContainerSnapshot> cloneContainer(String source, String newName) {
		return async(newName, () -> {
			ContainerSnapshot src = require(source);
			if (src.isActive()) {
				throw new BerthException("clone", source, "stop \"" + source + "\" before cloning it: a running"
						+ " container's files change while they are copied");
			}
			if (cache.containsKey(newName) || store.exists(newName)) {
				throw new ContainerExistsException("clone", newName);
			}
			ContainerSpec.Builder b = src.spec().toBuilder().name(newName);
			if (src.spec().network().mode() == NetworkMode.VETH) {
				b.network(NetworkSpec.veth(src.spec().network().bridge(), null));
			}
			ContainerSpec spec = withAddress(b.build());
			SpecValidator.requireValid(spec, validationContext());
			try {
				if (src.spec().rootfs() == null) {
					Path from = store.rootfs(source);
					Path to = store.rootfs(newName);
					Files.createDirectories(to.getParent());
					Process p = new ProcessBuilder("cp", "-a", "--reflink=auto", from.toString(), to.toString())
							.redirectErrorStream(true).start();
					String out = new String(p.getInputStream().readAllBytes()).trim();
					if (p.waitFor() != 0) {
						throw new IOException("cp failed: " + out);
					}
				}
				store.save(spec);
			} catch (IOException e) {
				forget(newName, true);
				throw new BerthException("clone", source, "could not clone \"" + source + "\" as \"" + newName
						+ "\": " + e.getMessage(), e);
			} catch (InterruptedException e) {
				forget(newName, true);
				Thread.currentThread().interrupt();
				throw new BerthException("clone", source, "interrupted while cloning \"" + source + "\"");
			}
			ContainerSnapshot snap = ContainerSnapshot.stopped(spec);
			publish(EngineEvent.Kind.DEFINED, snap);
			return snap;
		});
	}

	@Override
	public CompletableFuture<Void> destroy(String name) {
		requireWhole("destroy a container (others may share its namespaces)");
		return async(name, () -> {
			ContainerSnapshot snap = require(name);
			StateMachine.transitional(name, snap.state(), Action.DESTROY);
			for (ContainerSnapshot other : cache.values()) {
				for (NamespaceSpec ns : other.spec().namespaces().values()) {
					if (ns.mode() == NamespaceMode.SHARE && name.equals(ns.shareWith())) {
						throw new BerthException("destroy", name, "\"" + other.name() + "\" shares its "
								+ ns.type().procName() + " namespace with \"" + name
								+ "\"; change or destroy \"" + other.name() + "\" first");
					}
				}
			}
			try {
				if (snap.spec().rootfs() == null) {
					store.delete(name);
				} else {
					Files.deleteIfExists(store.dir(name).resolve(ConfigStore.CONFIG));
					Files2.deleteTree(store.dir(name));
				}
				runDir(name).delete();
			} catch (IOException e) {
				throw new BerthException("destroy", name, "could not remove \"" + name + "\": " + e.getMessage(), e);
			}
			cache.remove(name);
			removeParentIfEmpty(); // kept through stops and starts; gone with the last group
			dispatch(new EngineEvent(EngineEvent.Kind.DESTROYED, name, snap));
			return null;
		});
	}

	@Override
	public CompletableFuture<ExecResult> exec(String name, ExecRequest request) {
		return async(name, () -> {
			List<String> argv = execArgs(name, request);
			RunDir run = runDir(name);
			Path out = null;
			Path err = null;
			try {
				out = Files.createTempFile(run.path(), "exec", ".out");
				err = Files.createTempFile(run.path(), "exec", ".err");
				// files, not pipes: a command that leaves children behind would keep a pipe open forever
				// the monitor runs it when it can (no helper process per command), else the helper does
				OptionalInt served = ExecService.run(run.path(), argv.subList(2, argv.size()), out, err);
				int code = served.isPresent() ? served.getAsInt()
						: runToEnd(name, argv, Spawn.Stdio.NULL, Spawn.Stdio.file(out, false),
								Spawn.Stdio.file(err, false));
				return new ExecResult(code, Files.readAllBytes(out), Files.readAllBytes(err));
			} catch (IOException e) {
				throw new BerthException("exec", name, "could not run a command in \"" + name + "\": "
						+ e.getMessage(), e);
			} finally {
				deleteQuietly(out);
				deleteQuietly(err);
			}
		});
	}

	/**
	 * For the CLI: one command per JVM, where loading JNA (for {@link Spawn}) would cost more than the JDK's
	 * jspawnhelper saves, so this one goes through ProcessBuilder.
	 */
	@Override
	public int execInheritingIo(String name, ExecRequest request) throws BerthException {
		List<String> argv = execArgs(name, request);
		try {
			Process p = new ProcessBuilder(argv).inheritIO().start();
			return p.waitFor();
		} catch (IOException e) {
			throw new BerthException("exec", name, "could not run a command in \"" + name + "\": " + e.getMessage(),
					e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new BerthException("exec", name, "interrupted while running a command in \"" + name + "\"");
		}
	}

	/**
	 * Runs the helper straight from the JVM ({@link Spawn}) and waits for its end; an interrupt ends it.
	 *
	 * @return the exit code, or 128 + the signal that ended it
	 */
	private static int runToEnd(String name, List<String> argv, Spawn.Stdio in, Spawn.Stdio out, Spawn.Stdio err)
			throws SysException, BerthException {
		try (Spawn p = Spawn.start(argv, in, out, err)) {
			while (true) {
				OptionalInt code = p.waitFor(Duration.ofMillis(250));
				if (code.isPresent()) {
					return code.getAsInt();
				}
				if (Thread.interrupted()) {
					p.kill();
					p.waitFor(KILL_TIMEOUT);
					Thread.currentThread().interrupt();
					throw new BerthException("exec", name, "interrupted while running a command in \"" + name
							+ "\"");
				}
			}
		}
	}

	private List<String> execArgs(String name, ExecRequest request) throws BerthException {
		ContainerSnapshot snap = require(name);
		StateMachine.transitional(name, snap.state(), Action.EXEC);
		RunDir.State state = requireRunning(snap);
		Group group = driver().open(state.cgroup());
		return HelperCommand.exec(helper(), state.initPid(), group.procsFiles(), snap.spec(), request.env(),
				request.cwd(), null, request.command());
	}

	// ---- terminals: the sessions live in internal.terminal; the engine only says where the container is ------

	@Override
	public CompletableFuture<org.berth.core.TerminalSession> openTerminal(String name,
			org.berth.core.TerminalRequest request) {
		return async(name, () -> {
			ContainerSnapshot snap = require(name);
			if (request.console()) {
				return consoleTarget(snap);
			}
			StateMachine.transitional(name, snap.state(), Action.EXEC);
			RunDir.State state = requireRunning(snap);
			return new TerminalTarget(name, helper(), state.initPid(), state.monitorPid(),
					driver().open(state.cgroup()).procsFiles(), List.copyOf(snap.spec().dropCapabilities()),
					consoleLog(name));
		}).thenCompose(target -> Terminals.open(target, request));
	}

	@Override
	public CompletableFuture<org.berth.core.TerminalSession> watchConsole(String name) {
		return async(name, () -> consoleTarget(require(name))).thenCompose(Terminals::watchConsole);
	}

	/** Where a console is, in any state: the history, and what follows while it runs. */
	private TerminalTarget consoleTarget(ContainerSnapshot snap) {
		String name = snap.name();
		return (snap.isActive() ? runDir(name).readState() : Optional.<RunDir.State>empty())
				.map(st -> new TerminalTarget(name, null, st.initPid(), st.monitorPid(), List.of(), List.of(),
						consoleLog(name)))
				.orElse(TerminalTarget.stopped(name, consoleLog(name)));
	}

	@Override
	public CompletableFuture<Usage> usage(String name) {
		return CompletableFuture.supplyAsync(() -> {
			try {
				return sample(name);
			} catch (BerthException e) {
				throw new java.util.concurrent.CompletionException(e);
			}
		}, workers);
	}

	/** One file read in the calling thread: {@code berth list} asks this of every running container. */
	@Override
	public CompletableFuture<Long> memoryInUse(String name) {
		ContainerSnapshot snap = cache.get(name);
		if (snap == null || !snap.isActive()) {
			return CompletableFuture.completedFuture(null);
		}
		try {
			Optional<RunDir.State> state = runDir(name).readState().filter(st -> st.initPid() == snap.initPid());
			long bytes = state.isEmpty() ? -1 : driver().open(state.get().cgroup()).memoryCurrent();
			return CompletableFuture.completedFuture(bytes < 0 ? null : Long.valueOf(bytes));
		} catch (IOException | BerthException e) {
			return CompletableFuture.completedFuture(null);
		}
	}

	private Usage sample(String name) throws BerthException {
		ContainerSnapshot snap = require(name);
		RunDir.State state = requireRunning(snap);
		try {
			CgroupStats s = driver().open(state.cgroup()).stats();
			return org.berth.core.linux.internal.metrics.Sampler.usage(s, PROC, snap.spec(), state.initPid(),
					Instant.now());
		} catch (IOException e) {
			throw translate("usage", name, e);
		}
	}

	// ---- rediscovery and namespaces -------------------------------------------------------------------------

	/** The snapshot of a container found on disk: running when its recorded init still lives. */
	private ContainerSnapshot rediscover(ContainerSpec spec) {
		RunDir run = runDir(spec.name());
		String lastExit = run.exitRecord().map(RunDir::describeExit).orElse(null);
		Optional<RunDir.State> recorded = run.readState();
		if (recorded.isEmpty()) {
			return new ContainerSnapshot(spec, ContainerState.STOPPED, 0, null, lastExit, Map.of());
		}
		RunDir.State state = recorded.get();
		if (!isAlive(state)) {
			// it ended while no Berth was watching: clean up what its monitor may have left
			quietly(() -> {
				Group g = driver().open(state.cgroup());
				if (g.exists()) {
					g.killAll();
					g.remove();
				}
			});
			network.detach(spec.name(), state.hostVeth());
			quietly(run::clearState);
			return new ContainerSnapshot(spec, ContainerState.STOPPED, 0, null, lastExit, Map.of());
		}
		ContainerState st = ContainerState.RUNNING;
		try {
			if (driver().open(state.cgroup()).frozen()) {
				st = ContainerState.FROZEN;
			}
		} catch (IOException | BerthException e) {
			// shown as running; freeze/thaw will say what is wrong
		}
		watchLater(spec.name(), state);
		return new ContainerSnapshot(spec, st, state.initPid(), state.startedAt(), lastExit, Map.of());
	}

	/**
	 * Reads the namespace inodes of every running container and classifies each as new, the host's, or shared
	 * with a container started earlier (the one that made it); republishes snapshots whose picture changed.
	 */
	/** The namespaces of one run's init, read once: they stay the same as long as that init lives. */
	private record RunInodes(long initPid, Instant startedAt, NamespaceInodes inodes) {
	}

	private final Map<String, RunInodes> inodeCache = new ConcurrentHashMap<>();
	private volatile NamespaceInodes hostInodes; // the engine's own process never changes its namespaces

	private NamespaceInodes inodesOf(ContainerSnapshot s) throws IOException {
		RunInodes cached = inodeCache.get(s.name());
		if (cached != null && cached.initPid() == s.initPid() && Objects.equals(cached.startedAt(), s.startedAt())) {
			return cached.inodes();
		}
		NamespaceInodes read = NamespaceInodes.read(PROC, s.initPid());
		inodeCache.put(s.name(), new RunInodes(s.initPid(), s.startedAt(), read));
		return read;
	}

	private void refreshNamespaces() {
		if (only != null) {
			return; // sharing is between containers: an engine that knows only some cannot tell
		}
		Map<String, NamespaceInodes> inodes = new HashMap<>();
		List<ContainerSnapshot> running = new ArrayList<>();
		for (ContainerSnapshot s : cache.values()) {
			if (s.isActive() && s.initPid() > 0) {
				try {
					inodes.put(s.name(), inodesOf(s));
					running.add(s);
				} catch (IOException e) {
					// it just ended; its monitor's exit settles it
				}
			}
		}
		inodeCache.keySet().retainAll(inodes.keySet());
		NamespaceInodes host = hostInodes;
		if (host == null) {
			try {
				host = hostInodes = NamespaceInodes.read(PROC, ProcessHandle.current().pid());
			} catch (IOException e) {
				return;
			}
		}
		running.sort(Comparator.comparing(ContainerSnapshot::startedAt, Comparator.nullsLast(Comparator.naturalOrder()))
				.thenComparing(ContainerSnapshot::name));
		for (int i = 0; i < running.size(); i++) {
			ContainerSnapshot s = running.get(i);
			Map<NamespaceType, NamespaceIdentity> ids = new EnumMap<>(NamespaceType.class);
			for (NamespaceType type : NamespaceType.values()) {
				long own = inode(inodes.get(s.name()), type);
				if (own < 0) {
					continue;
				}
				Map<String, Long> earlier = new HashMap<>();
				for (int j = 0; j < i; j++) {
					String other = running.get(j).name();
					earlier.put(other, inode(inodes.get(other), type));
				}
				ids.put(type, NamespaceIdentity.classify(type, own, inode(host, type), earlier));
			}
			if (!ids.equals(s.namespaces())) {
				ContainerSnapshot updated = new ContainerSnapshot(s.spec(), s.state(), s.initPid(), s.startedAt(),
						s.lastExit(), ids);
				cache.computeIfPresent(s.name(), (n, current) -> current.initPid() == s.initPid() ? updated : current);
				dispatch(new EngineEvent(EngineEvent.Kind.UPDATED, s.name(), updated));
			}
		}
	}

	private static long inode(NamespaceInodes inodes, NamespaceType type) {
		if (inodes == null) {
			return -1;
		}
		return inodes.inode(type).orElse(-1);
	}

	// ---- small helpers --------------------------------------------------------------------------------------

	private ContainerSnapshot require(String name) throws NoSuchContainerException {
		ContainerSnapshot snap = cache.get(name);
		if (snap == null) {
			throw new NoSuchContainerException(name);
		}
		return snap;
	}

	private RunDir.State requireRunning(ContainerSnapshot snap) throws BerthException {
		Optional<RunDir.State> state = runDir(snap.name()).readState();
		if (state.isEmpty() || !isAlive(state.get())) {
			throw new BerthException("state", snap.name(), "\"" + snap.name() + "\" is not running");
		}
		return state.get();
	}

	private RunDir runDir(String name) {
		return new RunDir(config.runRoot().resolve(name));
	}

	private CgroupDriver driver() throws BerthException {
		CgroupDriver d = driver;
		if (d == null) {
			try {
				d = CgroupDriver.detect();
			} catch (IOException e) {
				throw new BerthException("cgroups", "/sys/fs/cgroup", "no usable cgroup file system was found: "
						+ e.getMessage(), e);
			}
			driver = d;
		}
		return d;
	}

	private Path helper() throws BerthException {
		Path h = helper;
		if (h == null) {
			h = HelperBinary.locate(config.helper(), config.runRoot());
			helper = h;
		}
		return h;
	}

	/** Removes the parent cgroup of all containers when no container group is left under it. */
	private void removeParentIfEmpty() {
		quietly(() -> {
			CgroupDriver d = driver();
			if (d.listGroups(config.cgroupParent()).isEmpty()) {
				Group parent = d.open(config.cgroupParent());
				if (parent.exists() && parent.pids().isEmpty()) {
					parent.remove();
				}
			}
		});
	}

	private void publish(EngineEvent.Kind kind, ContainerSnapshot snap) {
		cache.put(snap.name(), snap);
		dispatch(new EngineEvent(kind, snap.name(), snap));
	}

	private void dispatch(EngineEvent event) {
		if (listeners.isEmpty() || events.isShutdown()) {
			return;
		}
		events.execute(() -> {
			for (EngineListener l : listeners) {
				try {
					l.changed(event);
				} catch (RuntimeException e) {
					// one listener's failure must not stop the others
				}
			}
		});
	}

	static BerthException translate(String operation, String target, IOException e) {
		if (e instanceof SysException se) {
			String message = se.getMessage();
			if (se.errno() == 1 || se.errno() == 13) {
				message = message.contains("root") ? message : message + "; this needs root";
			}
			return new BerthException(operation, target, OptionalInt.of(se.errno()), message, e);
		}
		return new BerthException(operation, target, OptionalInt.empty(), operation + " " + target + ": "
				+ e.getMessage(), e);
	}

	@FunctionalInterface
	private interface Step {
		void run() throws IOException, BerthException;
	}

	private static void quietly(Step step) {
		try {
			step.run();
		} catch (IOException | BerthException | RuntimeException e) {
			// clean-up after a failure or an end: the operation's own outcome is what the user sees
		}
	}

	private static void deleteQuietly(Path p) {
		if (p != null) {
			try {
				Files.deleteIfExists(p);
			} catch (IOException e) {
				// a temp file in /run; it goes with the run directory
			}
		}
	}
}
