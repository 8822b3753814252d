package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.berth.core.BerthException;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.EngineEvent;
import org.berth.core.linux.internal.cgroup.Group;
import org.berth.core.linux.internal.sys.EngineLog;

/**
 * Keeps the snapshots true to what is on the host when this engine did not cause it: the containers found at open
 * (running when their recorded init still lives), the ends of runs (from their monitors' exits, see
 * {@link org.berth.core.linux.internal.proc.Processes#onExit}), and what other processes do in the config and
 * run folders ({@link RootWatcher}). {@link #settle} is the one clean-up of a finished run, whoever noticed the end.
 */
final class Reconciler {

	/** How long a clean-up waits for a monitor that was told to end, or whose container was killed. */
	static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

	private final EngineContext ctx;
	private final Operations ops;
	private final Snapshots snapshots;
	private final NamespaceTracker namespaces;
	private final List<ConfigStore.Broken> broken = new ArrayList<>();
	/**
	 * Monitors of containers found running at open, watched only once someone can care: a listener, a start, the
	 * sampler. A one-shot use such as {@code berth list} then neither loads JNA nor starts a thread.
	 */
	private final Map<String, RunDir.State> foundNotWatched = new ConcurrentHashMap<>();
	private volatile boolean watchingFound; // set under the engine lock
	private RootWatcher rootWatcher; // under the engine lock; made with the first listener

	Reconciler(EngineContext ctx, Operations ops, Snapshots snapshots, NamespaceTracker namespaces) {
		this.ctx = ctx;
		this.ops = ops;
		this.snapshots = snapshots;
		this.namespaces = namespaces;
	}

	/** Finds the containers on disk (all, or those the engine was opened for) and how each is. */
	void open() throws BerthException {
		try {
			for (ContainerSpec spec : ctx.only == null ? ctx.store.loadAll(broken)
					: ctx.store.loadSome(ctx.only, broken)) {
				if (ctx.runDir(spec.name()).pendingStart().isPresent()) {
					ops.lockedAcrossProcesses(spec.name(), () -> sweepHalfStart(spec.name())); // after a start runs
				}
				snapshots.found(rediscover(spec));
			}
		} catch (IOException e) {
			throw new BerthException("open", ctx.config.configRoot().toString(), "could not read the containers in "
					+ ctx.config.configRoot() + ": " + e.getMessage(), e);
		}
		namespaces.refresh();
	}

	/**
	 * What a start killed half-way left (its process was killed between marking the start and clearing that mark): the
	 * cgroup with whatever runs in it, the host end of the veth and the run record it wrote. Even when that record
	 * names a living init, the start is taken back: its init may be waiting for the dead start to let it run, and ends
	 * as soon as it notices (a reopened engine then showed it running, and an exec found it gone). Under the
	 * container's lock, so never a start still in progress in another process.
	 */
	private void sweepHalfStart(String name) {
		RunDir run = ctx.runDir(name);
		Optional<RunDir.Pending> pending = run.pendingStart();
		if (pending.isEmpty()) {
			return; // the start that was in progress finished
		}
		RunDir.Pending p = pending.get();
		EngineLog.log(Level.INFO, "\"" + name + "\": sweeping what a start killed half-way left: cgroup " + p.cgroup()
				+ (p.hostVeth() == null ? "" : ", veth " + p.hostVeth()));
		removeGroup("remove the cgroup of a half-made start of", name, p.cgroup());
		ctx.network.detach(name, p.hostVeth());
		if (run.readState().map(s -> s.cgroup().equals(p.cgroup())).orElse(false)) {
			EngineContext.quietly("clear the run record of a half-made start of", name, run::clearState);
		}
		EngineContext.quietly("clear the start record of", name, run::clearPending);
	}

	/** The configs found at open that could not be read. */
	List<ConfigStore.Broken> broken() {
		return broken;
	}

	/** The snapshot of a container found on disk: running when its recorded init still lives. */
	private ContainerSnapshot rediscover(ContainerSpec spec) {
		RunDir run = ctx.runDir(spec.name());
		String lastExit = run.exitRecord().map(RunDir::describeExit).orElse(null);
		Optional<RunDir.State> recorded = run.readState();
		if (recorded.isEmpty()) {
			return new ContainerSnapshot(spec, ContainerState.STOPPED, 0, null, lastExit, Map.of());
		}
		RunDir.State state = recorded.get();
		if (!ctx.isAlive(state)) {
			cleanUp(spec.name(), run, state); // it ended while no Berth was watching
			return new ContainerSnapshot(spec, ContainerState.STOPPED, 0, null, lastExit, Map.of());
		}
		ContainerState st = ContainerState.RUNNING;
		try {
			if (ctx.driver().open(state.cgroup()).frozen()) {
				st = ContainerState.FROZEN;
			}
		} catch (IOException | BerthException e) {
			// shown as running; freeze/thaw will say what is wrong
			EngineLog.log(Level.WARNING, "could not tell whether \"" + spec.name() + "\" is frozen: "
					+ e.getMessage());
		}
		watchLater(spec.name(), state);
		return new ContainerSnapshot(spec, st, state.initPid(), state.startedAt(), lastExit, Map.of());
	}

	// ---- the ends of runs ------------------------------------------------------------------------------------

	private void watchLater(String name, RunDir.State state) {
		if (watchingFound) {
			watch(name, state);
		} else {
			foundNotWatched.put(name, state);
		}
	}

	/** From now on, the monitors of containers found at open are watched too. */
	void watchFoundMonitors() {
		if (watchingFound) {
			return;
		}
		boolean first = ops.engineWide(() -> {
			if (watchingFound) {
				return false;
			}
			watchingFound = true;
			return true;
		});
		if (first) {
			foundNotWatched.forEach(this::watch);
			foundNotWatched.clear();
		}
	}

	/** Learns of a container's end from its monitor's exit, whoever caused it. */
	void watch(String name, RunDir.State state) {
		foundNotWatched.remove(name);
		// dropped when the engine was closed meanwhile
		ctx.processes.onExit(state.monitorPid(), () -> ops.execute(() -> ops.locked(name, () -> ended(name, state))));
	}

	/** The monitor of one run of {@code name} ended (under its lock): settle it as stopped unless that is done. */
	private void ended(String name, RunDir.State state) {
		ContainerSnapshot snap = snapshots.peek(name);
		if (snap == null || snap.initPid() != state.initPid() || snap.state() == ContainerState.STOPPED) {
			return; // already settled by stop/kill, or a newer run
		}
		settle(snap, state);
	}

	/**
	 * Cleans up after a run (none recorded: {@code state} null) and publishes the container as stopped with how it
	 * ended. Called under the container's lock.
	 */
	ContainerSnapshot settle(ContainerSnapshot snap, RunDir.State state) {
		String name = snap.name();
		RunDir run = ctx.runDir(name);
		if (state != null) {
			ctx.processes.awaitExit(state.monitorPid(), KILL_TIMEOUT);
			cleanUp(name, run, state);
		} else {
			EngineContext.quietly("clear the run record of", name, run::clearState);
		}
		String exit = run.exitRecord().map(RunDir::describeExit).orElse(snap.lastExit());
		ContainerSnapshot stopped = new ContainerSnapshot(snap.spec(), ContainerState.STOPPED, 0, null, exit,
				Map.of());
		snapshots.publish(EngineEvent.Kind.STATE_CHANGED, stopped);
		namespaces.refresh();
		return stopped;
	}

	/**
	 * The clean-up of a finished run: what its monitor may have left (the cgroup, the host end of a veth), and the
	 * record of this run only (another process may have started the container again meanwhile).
	 */
	private void cleanUp(String name, RunDir run, RunDir.State state) {
		removeGroup("remove the cgroup of", name, state.cgroup());
		ctx.network.detach(name, state.hostVeth());
		if (run.readState().map(s -> s.initPid() == state.initPid()).orElse(false)) {
			EngineContext.quietly("clear the run record of", name, run::clearState);
		}
	}

	/** Kills what runs in cgroup {@code path} and removes it, when it exists; a failure is logged as {@code what}. */
	private void removeGroup(String what, String name, String path) {
		EngineContext.quietly(what, name, () -> {
			Group g = ctx.driver().open(path);
			if (g.exists()) {
				g.killAll();
				g.remove();
			}
		});
	}

	// ---- what other processes do: the berth command line, a second console ---------------------------------

	/** From the first listener on, containers made, changed, started or destroyed elsewhere reach the listeners. */
	void watchRoots() {
		ops.engineWide(() -> {
			if (rootWatcher != null || ctx.only != null || ops.isClosed()) {
				return null;
			}
			try {
				rootWatcher = new RootWatcher(ctx.config.configRoot(), ctx.config.runRoot(), this::changedElsewhere);
			} catch (IOException e) {
				// the listeners then hear of what this engine does, and of ends
				EngineLog.log(Level.WARNING, "could not watch " + ctx.config.configRoot() + " and "
						+ ctx.config.runRoot() + " for changes by other processes: " + e.getMessage(), e);
			}
			return null;
		});
	}

	/** Another process may have changed these containers (null: any of them): each is looked at again. */
	private void changedElsewhere(Set<String> names) {
		Set<String> all = new TreeSet<>(names != null ? names : snapshots.names());
		if (names == null) {
			List<ConfigStore.Broken> ignored = new ArrayList<>();
			try {
				ctx.store.loadAll(ignored).forEach(spec -> all.add(spec.name()));
			} catch (IOException e) {
				EngineLog.log(Level.WARNING, "could not list the containers in " + ctx.config.configRoot()
						+ " after lost change events; the known ones are looked at: " + e.getMessage(), e);
			}
		}
		for (String name : all) {
			if (!ops.execute(() -> ops.locked(name, () -> recheck(name)))) {
				return; // closed meanwhile
			}
		}
	}

	/**
	 * Brings one container's snapshot up to date with its config and run folder, under its lock (so after any
	 * operation of this engine on it, which then has published its result already): made, changed or destroyed by
	 * another process, or started by one (its end then comes from its monitor, as for a start of our own).
	 */
	void recheck(String name) {
		try {
			List<ConfigStore.Broken> bad = new ArrayList<>();
			ContainerSpec spec = ctx.store.loadSome(List.of(name), bad).stream().findFirst().orElse(null);
			ContainerSnapshot cached = snapshots.peek(name);
			if (spec == null) {
				if (cached != null && bad.isEmpty() && !ctx.store.exists(name)) {
					namespaces.forget(name);
					snapshots.publishDestroyed(name, cached);
				}
				return; // a config half written or unreadable: what was known stays
			}
			if (cached == null) {
				snapshots.publish(EngineEvent.Kind.DEFINED, rediscover(spec));
				namespaces.refresh();
				return;
			}
			ContainerSnapshot now = cached;
			if (!spec.equals(cached.spec())) {
				now = cached.withSpec(spec);
				snapshots.publish(EngineEvent.Kind.UPDATED, now);
			}
			Optional<RunDir.State> run = ctx.runDir(name).readState();
			if (run.isPresent() && (!now.isActive() || now.initPid() != run.get().initPid())
					&& ctx.isAlive(run.get())) {
				RunDir.State state = run.get();
				snapshots.publish(EngineEvent.Kind.STATE_CHANGED, new ContainerSnapshot(now.spec(),
						ContainerState.RUNNING, state.initPid(), state.startedAt(), now.lastExit(), Map.of()));
				watch(name, state);
				namespaces.refresh();
			} else if (run.isPresent() && (now.state() == ContainerState.RUNNING
					|| now.state() == ContainerState.FROZEN)) {
				// frozen or thawed elsewhere (the record is written again then)
				ContainerState actual = ctx.driver().open(run.get().cgroup()).frozen() ? ContainerState.FROZEN
						: ContainerState.RUNNING;
				if (actual != now.state()) {
					snapshots.publish(EngineEvent.Kind.STATE_CHANGED, now.withState(actual));
				}
			}
		} catch (IOException | BerthException e) {
			// what was known stays (the cgroup of a run that just ended is gone: its monitor's exit settles it)
			EngineLog.log(Level.DEBUG, "could not look again at \"" + name + "\" after a change by another"
					+ " process: " + e.getMessage(), e);
		}
	}

	/** Stops watching the folders (the ends of runs stop with the processes' watcher). */
	void close() {
		ops.engineWide(() -> {
			if (rootWatcher != null) {
				rootWatcher.close();
			}
			return null;
		});
	}
}
