package org.berth.core.linux.internal.engine;

import static org.berth.core.linux.internal.sys.Signals.SIGKILL;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.berth.core.Action;
import org.berth.core.BerthException;
import org.berth.core.IdMap;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.EngineEvent;
import org.berth.core.Limits;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;
import org.berth.core.NetworkMode;
import org.berth.core.NoSuchContainerException;
import org.berth.core.Signals;
import org.berth.core.SpecValidator;
import org.berth.core.StateMachine;
import org.berth.core.linux.internal.cgroup.CgroupDriver;
import org.berth.core.linux.internal.cgroup.CgroupLimits;
import org.berth.core.linux.internal.cgroup.Group;
import org.berth.core.linux.internal.proc.Processes;
import org.berth.core.linux.internal.sys.EngineLog;
import org.berth.core.linux.internal.sys.SysException;

/**
 * Runs of containers: start (the helper's launch with its joins, the cgroups and the priming of their moves), stop
 * and kill (halt signal, resent; then SIGKILL), restart, freeze and thaw. Called under the container's lock; the end
 * of a run is settled by {@link Reconciler#settle}.
 */
final class RunControl {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
	/** CRIU writes back all the memory of the container first. */
	private static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(10);
	private static final long CONSOLE_MAX_BYTES = 1 << 20;
	private static final long HALT_RESEND_MILLIS = 500;

	private final EngineContext ctx;
	private final Operations ops;
	private final Snapshots snapshots;
	private final NamespaceTracker namespaces;
	private final Reconciler reconciler;
	private final Definitions definitions;
	private final Processes processes;

	RunControl(EngineContext ctx, Operations ops, Snapshots snapshots, NamespaceTracker namespaces,
			Reconciler reconciler, Definitions definitions) {
		this.ctx = ctx;
		this.ops = ops;
		this.snapshots = snapshots;
		this.namespaces = namespaces;
		this.reconciler = reconciler;
		this.definitions = definitions;
		this.processes = ctx.processes;
	}

	ContainerSnapshot start(String name) throws BerthException {
		ContainerSnapshot snap = snapshots.require(name);
		ContainerState transitional = StateMachine.transitional(name, snap.state(), Action.START);
		ContainerSpec spec = snap.spec();
		SpecValidator.requireValid(spec, definitions.validationContext());
		snapshots.publish(EngineEvent.Kind.STATE_CHANGED, snap.withState(transitional));
		try {
			RunDir.State state = launch(spec);
			ContainerSnapshot running = new ContainerSnapshot(spec, ContainerState.RUNNING, state.initPid(),
					state.startedAt(), snap.lastExit(), Map.of());
			snapshots.publish(EngineEvent.Kind.STATE_CHANGED, running);
			reconciler.watchFoundMonitors();
			reconciler.watch(name, state);
			namespaces.refresh();
			return snapshots.peek(name);
		} catch (BerthException e) {
			snapshots.publish(EngineEvent.Kind.STATE_CHANGED, snap.withState(ContainerState.STOPPED));
			throw e;
		}
	}

	/**
	 * The LXCFS mount point for the container, when lxcfs is mounted and the container gets a mount namespace of its
	 * own (one that joins another's sees what that one's start bound).
	 */
	private Path lxcfsFor(ContainerSpec spec) {
		if (spec.namespaces().get(NamespaceType.MNT).mode() != NamespaceMode.NEW) {
			return null;
		}
		return ctx.lxcfs.forStart().orElse(null);
	}

	/**
	 * Starts the container through the helper; on failure leaves no cgroup, no state and no process. The cgroups
	 * are made first (the helper places init in them without moving it by its pid, see {@link Group#procsFiles()});
	 * the state is recorded while the container's process sets up its mounts.
	 */
	private static int ownerOf(Path rootfs) throws BerthException {
		try {
			return Files2.ownerUid(rootfs);
		} catch (IOException e) {
			throw new BerthException("start", null, "could not read the owner of " + rootfs + ": " + e.getMessage(), e);
		}
	}

	private RunDir.State launch(ContainerSpec spec) throws BerthException {
		return launch(spec, null, (plan, hostVeth) -> HelperCommand.start(spec, plan));
	}

	/** The helper's command line for a run of the container, given what {@link #launch} prepared. */
	@FunctionalInterface
	interface HelperArgs {
		List<String> of(HelperCommand.StartPlan plan, String hostVeth) throws BerthException;
	}

	/**
	 * Launches the helper for a run: a fresh start ({@code cgroup} null: a new group) or, with the cgroup path of a
	 * checkpointed run, a restore (whose {@code helperArgs} makes the veth pair for CRIU, see
	 * {@link VethNetwork#precreate}).
	 */
	RunDir.State launch(ContainerSpec spec, String cgroup, HelperArgs helperArgs) throws BerthException {
		String name = spec.name();
		boolean restoring = cgroup != null;
		Path rootfs = spec.rootfs() != null ? Path.of(spec.rootfs()) : ctx.store.rootfs(spec.name());
		if (!Files.isDirectory(rootfs)) {
			throw new BerthException("start", name, "the root file system of \"" + name + "\" (" + rootfs
					+ ") is missing");
		}
		Map<NamespaceType, Path> joins = joins(spec);
		Path helperPath = ctx.helper();
		long startId = System.currentTimeMillis();
		String rel = restoring ? cgroup : ctx.config.cgroupParent() + "/" + name + "-" + startId;
		Group group = ctx.driver().open(rel); // the paths; made below
		RunDir run = ctx.runDir(name);
		String hostVeth = spec.network().mode() == NetworkMode.VETH ? VethNetwork.hostVethName(name, startId) : null;
		RunDir.State[] recorded = new RunDir.State[1];
		boolean started = false;
		try {
			run.prepareForStart();
			run.markStarting(new RunDir.Pending(rel, hostVeth)); // a start killed half-way is swept by the next engine
			Path cloneInto = group.cloneIntoDir().orElse(null);
			makeGroup(name, rel, limitsOf(CpuPlacement.placed(name, spec.limits(), snapshots.values(), ctx)));
			delegate(spec, group);
			HelperCommand.StartPlan plan = new HelperCommand.StartPlan(helperPath, rootfs, run.path(),
					Templates.init(spec), joins, group.procsFiles(), cloneInto, group.dirs(),
					Templates.binds(spec, helperPath), lxcfsFor(spec), Signals.signalNumber(Templates.haltSignal(spec)),
					CONSOLE_MAX_BYTES, hostVeth != null,
					HelperCommand.idmapsRootfs(spec, ctx.rootfsIds.prepare(spec, rootfs, ownerOf(rootfs), helperPath)),
					group.deviceProgramDir().orElse(null));
			// the helper brings lo up itself; only a veth needs the window between clone and init (--sync)
			HelperProcess.Ready ready = ctx.launcher.start(name, helperArgs.of(plan, hostVeth),
					run.file(RunDir.HELPER_LOG), plan.sync() && !restoring, (child, monitor) -> {
						if (hostVeth != null && !restoring) {
							ctx.network.attach(name, child, spec.network().address(), hostVeth);
						}
						try {
							recorded[0] = new RunDir.State(child, processes.startTime(child), monitor, rel, startId,
									hostVeth);
							run.writeState(recorded[0]);
						} catch (IOException e) {
							throw EngineContext.translate("start", name, e);
						}
					}, restoring ? RESTORE_TIMEOUT : START_TIMEOUT);
			if (recorded[0] == null || recorded[0].initPid() != ready.initPid()
					|| recorded[0].monitorPid() != ready.monitorPid()) {
				throw new BerthException("start", name, "the helper reported init " + ready.initPid()
						+ " and monitor " + ready.monitorPid() + ", not the process it announced; see "
						+ run.file(RunDir.HELPER_LOG));
			}
			started = true;
			EngineContext.quietly("clear the start record of", name, run::clearPending);
			return recorded[0];
		} catch (IOException e) {
			throw EngineContext.translate("start", name, e);
		} finally {
			if (!started) {
				EngineContext.quietly("kill the processes left in the cgroup of", name, () -> group.killAll());
				EngineContext.quietly("remove the cgroup of", name, () -> group.remove());
				EngineContext.quietly("clear the run record of", name, run::clearState);
				ctx.network.detach(name, hostVeth);
				EngineContext.quietly("clear the start record of", name, run::clearPending);
			}
		}
	}

	/** The namespace files of the containers this one shares namespaces with; they must be running. */
	private Map<NamespaceType, Path> joins(ContainerSpec spec) throws BerthException {
		Map<NamespaceType, Path> joins = new EnumMap<>(NamespaceType.class);
		for (NamespaceSpec ns : spec.namespaces().values()) {
			if (ns.mode() != NamespaceMode.SHARE) {
				continue;
			}
			ContainerSnapshot other = snapshots.peek(ns.shareWith());
			if (other == null) {
				throw new NoSuchContainerException("start", ns.shareWith());
			}
			if (!other.isActive() || other.initPid() <= 0) {
				throw new BerthException("start", spec.name(), "cannot start \"" + spec.name() + "\": it shares its "
						+ ns.type().procName() + " namespace with \"" + other.name()
						+ "\", which is not running; start \"" + other.name() + "\" first");
			}
			// the pid must still be that container's init (same start time), not a process that reused it
			Optional<RunDir.State> run = ctx.runDir(other.name()).readState();
			if (run.isEmpty() || run.get().initPid() != other.initPid() || !ctx.isAlive(run.get())) {
				throw new BerthException("start", spec.name(), "cannot start \"" + spec.name() + "\": it shares its "
						+ ns.type().procName() + " namespace with \"" + other.name() + "\", whose init (pid "
						+ other.initPid() + ") has ended; start \"" + other.name() + "\" again first");
			}
			joins.put(ns.type(), processes.procRoot().resolve(Long.toString(other.initPid())).resolve("ns")
					.resolve(ns.type().procName()));
		}
		return joins;
	}

	/**
	 * A container with a user namespace of its own gets its cgroup2 folder delegated, as the kernel's cgroup-v2
	 * document describes it: the folder and its cgroup.procs, cgroup.threads and cgroup.subtree_control belong to the
	 * container's root, so its init (systemd) can make groups below it and move its own processes, and nothing else
	 * (its limits' files stay root's).
	 */
	private void delegate(ContainerSpec spec, Group group) {
		Optional<Path> dir = group.deviceProgramDir(); // the container's cgroup2 folder (v2, or a hybrid's unified)
		if (spec.mode(NamespaceType.USER) != NamespaceMode.NEW || dir.isEmpty()) {
			return;
		}
		Optional<Long> uid = rootOutside(spec.uidMaps());
		Optional<Long> gid = rootOutside(spec.gidMaps());
		if (uid.isEmpty() || gid.isEmpty()) {
			return;
		}
		try {
			for (Path p : List.of(dir.get(), dir.get().resolve("cgroup.procs"), dir.get().resolve("cgroup.threads"),
					dir.get().resolve("cgroup.subtree_control"))) {
				if (Files.exists(p)) {
					Files.setAttribute(p, "unix:gid", gid.get().intValue());
					Files.setAttribute(p, "unix:uid", uid.get().intValue());
				}
			}
		} catch (IOException e) {
			// not fatal: a container whose init makes no groups of its own runs all the same
			EngineLog.log(System.Logger.Level.WARNING,
					"could not delegate the cgroup " + dir.get() + " to the root of \""
							+ spec.name() + "\" (an init such as systemd then cannot make its groups): "
							+ e.getMessage());
		}
	}

	/** The host id that id 0 inside maps to, if 0 is mapped. */
	private static Optional<Long> rootOutside(List<IdMap> maps) {
		return maps.stream().filter(m -> m.insideId() == 0).map(IdMap::outsideId).findFirst();
	}

	/** A fresh group with the container's limits (a fresh group is unlimited already). */
	private void makeGroup(String name, String rel, CgroupLimits limits) throws BerthException {
		try {
			Group made = ctx.driver().create(rel);
			if (!limits.equals(CgroupLimits.NONE)) {
				made.apply(limits);
			}
		} catch (IOException e) {
			throw EngineContext.translate("start", name, e);
		}
	}

	static CgroupLimits limitsOf(Limits limits) {
		Long quota = limits.cpus() == null ? null
				: Math.max(1000L, Math.round(limits.cpus() * CgroupLimits.DEFAULT_CPU_PERIOD_MICROS));
		return new CgroupLimits(limits.memoryBytes(), limits.memorySwapBytes(), quota,
				quota == null ? null : CgroupLimits.DEFAULT_CPU_PERIOD_MICROS, limits.cpuWeight(), limits.cpuset(),
				limits.pids());
	}

	/** Stop ({@link Action#STOP}: halt signal, then SIGKILL after {@code timeout}) or kill ({@link Action#KILL}). */
	ContainerSnapshot stop(String name, Duration timeout, Action action) throws BerthException {
		ContainerSnapshot snap = snapshots.require(name);
		ContainerState transitional = StateMachine.transitional(name, snap.state(), action);
		RunDir.State state = ctx.runDir(name).readState().orElse(null);
		snapshots.publish(EngineEvent.Kind.STATE_CHANGED, snap.withState(transitional));
		if (state == null) {
			return reconciler.settle(snap, null);
		}
		try {
			Group group = ctx.driver().open(state.cgroup());
			thawIfFrozen(group);
			boolean ended = false;
			if (action == Action.STOP && !timeout.isZero()) {
				ended = haltAndAwait(state, Signals.signalNumber(Templates.haltSignal(snap.spec())), timeout);
			}
			if (!ended) {
				ended = killAndAwait(group, state, snap.spec());
			}
			if (!ended && group.exists()) {
				group.killAll(Reconciler.KILL_TIMEOUT);
			}
		} catch (IOException e) {
			if (ctx.isAlive(state)) {
				throw EngineContext.translate(action == Action.KILL ? "kill" : "stop", name, e);
			}
			// it ended while we were at it (its monitor tears the cgroups down): that is what was asked
		}
		return reconciler.settle(snap, state);
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
	private boolean haltAndAwait(RunDir.State state, int signal, Duration timeout) throws IOException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (ctx.isAlive(state)) {
			try {
				processes.signal(state.initPid(), signal);
			} catch (SysException e) {
				if (!ctx.isAlive(state)) {
					break;
				}
				throw e;
			}
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			if (processes.awaitExit(state.monitorPid(), Duration.ofNanos(Math.min(left,
					TimeUnit.MILLISECONDS.toNanos(HALT_RESEND_MILLIS))))) {
				return true;
			}
		}
		return processes.awaitExit(state.monitorPid(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
	}

	/**
	 * SIGKILLs the whole container at once and waits for its monitor, which reaps init and removes the cgroups:
	 * no polling of the cgroups. Everything dies at once when the kernel has {@code cgroup.kill}, or when init is
	 * PID 1 of a pid namespace of its own (the kernel then kills the rest of the namespace).
	 *
	 * @return whether the monitor ended in time; false also when neither way kills everything (then the caller
	 *         kills process by process)
	 */
	private boolean killAndAwait(Group group, RunDir.State state, ContainerSpec spec) throws IOException {
		boolean all = group.exists() && group.killAtOnce();
		if (spec.namespaces().get(NamespaceType.PID).mode() == NamespaceMode.NEW && ctx.isAlive(state)) {
			try {
				processes.signal(state.initPid(), SIGKILL);
				all = true;
			} catch (SysException e) {
				if (ctx.isAlive(state)) {
					throw e;
				}
				all = true; // it ended meanwhile
			}
		}
		return all && processes.awaitExit(state.monitorPid(), Reconciler.KILL_TIMEOUT);
	}

	ContainerSnapshot restart(String name, Duration timeout) throws BerthException {
		ContainerSnapshot snap = snapshots.require(name);
		if (snap.isActive()) {
			stop(name, timeout, Action.STOP);
		}
		return start(name);
	}

	/** Freeze ({@link Action#FREEZE}) or thaw ({@link Action#THAW}). */
	ContainerSnapshot changeFreezer(String name, Action action) throws BerthException {
		ContainerSnapshot snap = snapshots.require(name);
		ContainerState transitional = StateMachine.transitional(name, snap.state(), action);
		RunDir.State state = ctx.requireRunning(snap);
		snapshots.publish(EngineEvent.Kind.STATE_CHANGED, snap.withState(transitional));
		boolean ok = false;
		try {
			Group group = ctx.driver().open(state.cgroup());
			if (action == Action.FREEZE) {
				group.freeze();
			} else {
				group.thaw();
			}
			ok = true;
			// the same record again: watching engines look again
			EngineContext.quietly("rewrite the run record of", name, () -> ctx.runDir(name).writeState(state));
		} catch (IOException e) {
			throw EngineContext.translate(action == Action.FREEZE ? "freeze" : "thaw", name, e);
		} finally {
			ContainerState settled = StateMachine.settled(action, ok, snap.state());
			snapshots.publish(EngineEvent.Kind.STATE_CHANGED, snap.withState(settled));
		}
		return snapshots.peek(name);
	}
}
