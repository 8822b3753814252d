package org.berth.core.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

import org.berth.core.Action;
import org.berth.core.BerthException;
import org.berth.core.ContainerDiff;
import org.berth.core.ContainerEngine;
import org.berth.core.ContainerExistsException;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.EngineListener;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.Limits;
import org.berth.core.Monitoring;
import org.berth.core.NamespaceIdentity;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;
import org.berth.core.NoSuchContainerException;
import org.berth.core.Sizes;
import org.berth.core.SnapshotInfo;
import org.berth.core.SpecDiff;
import org.berth.core.SpecValidator;
import org.berth.core.StateMachine;
import org.berth.core.TreeDiff;
import org.berth.core.Usage;

/**
 * An engine in memory for tests: it keeps snapshots in a map, asks {@link StateMachine} whether an action is allowed
 * and {@link SpecValidator} whether a spec is valid, and gives namespaces inodes the way the kernel would (new: a
 * fresh inode, host: the host's, share: the other container's). It records what it was asked to do. It keeps no
 * usage history until a test asks for its {@link #monitor()}, whose histories the test then fills.
 */
public class FakeEngine implements ContainerEngine {

	/** The inode of the host's namespace of type {@code t} is {@code HOST_INODE + t.ordinal()}. */
	public static final long HOST_INODE = 4026531834L;

	private final Map<String, ContainerSnapshot> containers = new TreeMap<>();
	private final Map<String, Usage> usages = new HashMap<>();
	private long nextPid = 4000;
	private long nextInode = 4026532100L;

	/** What was asked, e.g. "define c1", "start c1", "setLimits c1". */
	public final List<String> calls = new ArrayList<>();
	/** The specs that were defined. */
	public final List<ContainerSpec> defined = new ArrayList<>();
	/** The exit code a command run by exec returns. */
	public ToIntFunction<ExecRequest> exitCode = r -> 0;
	/** How long define takes (as a template that downloads would); null = at once. */
	public Duration slowDefine;
	/** Whether {@link #close()} was called. */
	public boolean closed;
	/** The host's CPUs the validator bounds a CPU limit by; 0 = not known. */
	public int hostCpus;
	/** The snapshots of each container, oldest first. */
	private final Map<String, List<SnapshotInfo>> savedSnapshots = new HashMap<>();
	/** When the first snapshot is taken; each later one a minute later. */
	public Instant snapshotTime = Instant.parse("2025-01-01T10:00:00Z");
	/** What {@link #diff} answers. */
	public List<SpecDiff.Change> diffSpec = List.of();
	public List<TreeDiff.Change> diffFiles = List.of();
	/** The sampler, once a test asked for one; null = the engine keeps no history. */
	private volatile FakeMonitoring monitoring;

	// ---- set-up -------------------------------------------------------------------------------------------------

	/** Adds a stopped container. */
	public FakeEngine add(ContainerSpec spec) {
		containers.put(spec.name(), ContainerSnapshot.stopped(spec));
		return this;
	}

	/** Adds a container and starts it. */
	public FakeEngine addRunning(ContainerSpec spec) {
		add(spec);
		try {
			doStart(spec.name());
		} catch (BerthException e) {
			throw new IllegalStateException(e);
		}
		return this;
	}

	/** Sets a running container's start time. */
	public FakeEngine startedAt(String name, Instant when) {
		ContainerSnapshot s = containers.get(name);
		containers.put(name, new ContainerSnapshot(s.spec(), s.state(), s.initPid(), when, s.lastExit(),
				s.namespaces()));
		return this;
	}

	/** What {@link #usage(String)} answers for {@code name}. */
	public FakeEngine usage(String name, Usage u) {
		usages.put(name, u);
		return this;
	}

	/** A usage with this memory in use and otherwise plausible values. */
	public static Usage usageWithMemory(long memoryBytes) {
		return new Usage(Instant.parse("2025-01-01T00:00:00Z"), 2_500_000_000L, memoryBytes, memoryBytes * 2, -1, 3,
				-1, 0, 0, 1536, 300, 0, 4096, 0, 0);
	}

	public ContainerSnapshot snapshot(String name) {
		return containers.get(name);
	}

	/** The engine's sampler, made on first use: from then on the engine keeps a history per container. */
	public FakeMonitoring monitor() {
		if (monitoring == null) {
			monitoring = new FakeMonitoring();
		}
		return monitoring;
	}

	/** Adds a running container with a default spec and returns its (empty) history. */
	public ListHistory running(String name) {
		addRunning(ContainerSpec.builder(name).build());
		return monitor().of(name);
	}

	// ---- getters ------------------------------------------------------------------------------------------------

	@Override
	public List<ContainerSnapshot> list() {
		return List.copyOf(containers.values());
	}

	@Override
	public Optional<ContainerSnapshot> get(String name) {
		return Optional.ofNullable(containers.get(name));
	}

	@Override
	public Set<String> templates() {
		return Set.of("busybox", "alpine");
	}

	@Override
	public SpecValidator.ValidationContext validationContext() {
		List<ContainerSpec> specs = new ArrayList<>();
		Set<String> running = new HashSet<>();
		for (ContainerSnapshot s : containers.values()) {
			specs.add(s.spec());
			if (s.isActive()) {
				running.add(s.name());
			}
		}
		return SpecValidator.ValidationContext.ofSpecs(specs, running, templates(), hostCpus);
	}

	// ---- operations ---------------------------------------------------------------------------------------------

	@Override
	public CompletableFuture<ContainerSnapshot> define(ContainerSpec spec) {
		if (slowDefine != null) {
			CompletableFuture<ContainerSnapshot> later = new CompletableFuture<>();
			CompletableFuture.delayedExecutor(slowDefine.toMillis(), TimeUnit.MILLISECONDS)
					.execute(() -> later.complete(defineNow(spec).join()));
			return later;
		}
		return defineNow(spec);
	}

	private synchronized CompletableFuture<ContainerSnapshot> defineNow(ContainerSpec spec) {
		return op("define " + spec.name(), () -> {
			if (containers.containsKey(spec.name())) {
				throw new ContainerExistsException("create", spec.name());
			}
			SpecValidator.requireValid(spec, validationContext());
			defined.add(spec);
			add(spec);
			return containers.get(spec.name());
		});
	}

	@Override
	public CompletableFuture<ContainerSnapshot> update(ContainerSpec spec) {
		return op("update " + spec.name(), () -> {
			ContainerSnapshot s = require(spec.name());
			SpecValidator.requireValid(spec, validationContext());
			return put(s.withSpec(spec));
		});
	}

	@Override
	public CompletableFuture<ContainerSnapshot> start(String name) {
		return op("start " + name, () -> doStart(name));
	}

	private ContainerSnapshot doStart(String name) throws BerthException {
		ContainerSnapshot s = require(name);
		StateMachine.transitional(name, s.state(), Action.START);
		ContainerSpec spec = s.spec();
		Map<NamespaceType, NamespaceIdentity> ids = new EnumMap<>(NamespaceType.class);
		for (NamespaceSpec ns : spec.namespaces().values()) {
			long inode;
			if (ns.mode() == NamespaceMode.SHARE) {
				ContainerSnapshot other = containers.get(ns.shareWith());
				if (other == null) {
					throw new NoSuchContainerException("start", ns.shareWith());
				}
				if (!other.isActive()) {
					throw new BerthException("start", name, "cannot start \"" + name + "\": it shares its "
							+ ns.type().procName() + " namespace with \"" + other.name() + "\", which is not running");
				}
				inode = other.namespaces().get(ns.type()).inode();
			} else if (ns.mode() == NamespaceMode.HOST) {
				inode = HOST_INODE + ns.type().ordinal();
			} else {
				inode = nextInode++;
			}
			Map<String, Long> others = new HashMap<>();
			for (ContainerSnapshot o : containers.values()) {
				if (o.isActive() && !o.name().equals(name)) {
					others.put(o.name(), o.namespaces().get(ns.type()).inode());
				}
			}
			ids.put(ns.type(), NamespaceIdentity.classify(ns.type(), inode, HOST_INODE + ns.type().ordinal(), others));
		}
		return put(new ContainerSnapshot(spec, ContainerState.RUNNING, nextPid++, Instant.now(), s.lastExit(), ids));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> stop(String name, Duration timeout) {
		return op("stop " + name + " " + timeout.toSeconds(), () -> settle(name, Action.STOP));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> kill(String name) {
		return op("kill " + name, () -> settle(name, Action.KILL));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> restart(String name, Duration timeout) {
		return op("restart " + name + " " + timeout.toSeconds(), () -> {
			ContainerSnapshot s = require(name);
			StateMachine.transitional(name, s.state(), Action.RESTART);
			put(new ContainerSnapshot(s.spec(), ContainerState.STOPPED, 0, null, "exited with 0", Map.of()));
			return doStart(name);
		});
	}

	@Override
	public CompletableFuture<ContainerSnapshot> freeze(String name) {
		return op("freeze " + name, () -> settle(name, Action.FREEZE));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> thaw(String name) {
		return op("thaw " + name, () -> settle(name, Action.THAW));
	}

	private ContainerSnapshot settle(String name, Action action) throws BerthException {
		ContainerSnapshot s = require(name);
		StateMachine.transitional(name, s.state(), action);
		ContainerState to = StateMachine.settled(action, true, s.state());
		if (to == ContainerState.STOPPED) {
			return put(new ContainerSnapshot(s.spec(), to, 0, null, "killed by SIGKILL", Map.of()));
		}
		return put(s.withState(to));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> setLimits(String name, Limits limits) {
		return op("setLimits " + name, () -> {
			ContainerSnapshot s = require(name);
			StateMachine.transitional(name, s.state(), Action.UPDATE_LIVE);
			SpecValidator.requireValid(s.spec().withLimits(limits), validationContext());
			Usage u = usages.get(name);
			if (u != null && limits.memoryBytes() != null && limits.memoryBytes() < u.memoryBytes()) {
				throw new BerthException("set limits", name, "cannot lower the memory limit of \"" + name + "\" to "
						+ Sizes.formatBytes(limits.memoryBytes()) + ": it uses " + Sizes.formatBytes(u.memoryBytes())
						+ " now");
			}
			return put(s.withSpec(s.spec().withLimits(limits)));
		});
	}

	@Override
	public CompletableFuture<ContainerSnapshot> cloneContainer(String source, String newName) {
		return op("clone " + source + " " + newName, () -> {
			ContainerSnapshot s = require(source);
			if (containers.containsKey(newName)) {
				throw new ContainerExistsException("clone", newName);
			}
			add(s.spec().withName(newName));
			return containers.get(newName);
		});
	}

	@Override
	public CompletableFuture<Void> destroy(String name) {
		return op("destroy " + name, () -> {
			ContainerSnapshot s = require(name);
			StateMachine.transitional(name, s.state(), Action.DESTROY);
			containers.remove(name);
			return null;
		});
	}

	@Override
	public CompletableFuture<SnapshotInfo> createSnapshot(String name, String snapshot) {
		return op("createSnapshot " + name + " " + snapshot, () -> {
			ContainerSnapshot s = require(name);
			List<SnapshotInfo> list = savedSnapshots.computeIfAbsent(name, n -> new ArrayList<>());
			String snap = snapshot != null ? snapshot : "snap" + list.size();
			if (list.stream().anyMatch(i -> i.name().equals(snap))) {
				throw new BerthException("snapshot", name, "\"" + name + "\" has a snapshot \"" + snap
						+ "\" already; delete it first or choose another name");
			}
			SnapshotInfo info = new SnapshotInfo(name, snap, snapshotTime.plusSeconds(list.size() * 60L),
					3 * Sizes.MIB, false, s.spec());
			list.add(info);
			return info;
		});
	}

	@Override
	public CompletableFuture<List<SnapshotInfo>> snapshots(String name) {
		return op("snapshots " + name, () -> {
			require(name);
			return List.copyOf(savedSnapshots.getOrDefault(name, List.of()));
		});
	}

	private SnapshotInfo requireSnapshot(String name, String snapshot) throws BerthException {
		require(name);
		return savedSnapshots.getOrDefault(name, List.of()).stream().filter(i -> i.name().equals(snapshot))
				.findFirst().orElseThrow(() -> new BerthException("snapshot", name + "/" + snapshot, "\"" + name
						+ "\" has no snapshot \"" + snapshot + "\""));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> restoreSnapshot(String name, String snapshot) {
		return op("restoreSnapshot " + name + " " + snapshot, () -> {
			SnapshotInfo info = requireSnapshot(name, snapshot);
			ContainerSnapshot s = require(name);
			if (s.isActive()) {
				throw new BerthException("restore", name, "stop \"" + name + "\" before restoring a snapshot: its"
						+ " files are replaced");
			}
			return put(s.withSpec(info.spec()));
		});
	}

	@Override
	public CompletableFuture<Void> deleteSnapshot(String name, String snapshot) {
		return op("deleteSnapshot " + name + " " + snapshot, () -> {
			savedSnapshots.get(name).remove(requireSnapshot(name, snapshot));
			return null;
		});
	}

	@Override
	public CompletableFuture<ContainerSnapshot> createFromSnapshot(String name, String snapshot, String newName) {
		return op("createFromSnapshot " + name + " " + snapshot + " " + newName, () -> {
			SnapshotInfo info = requireSnapshot(name, snapshot);
			if (containers.containsKey(newName)) {
				throw new ContainerExistsException("create", newName);
			}
			add(info.spec().withName(newName));
			return containers.get(newName);
		});
	}

	@Override
	public CompletableFuture<ContainerDiff> diff(String a, String b) {
		return op("diff " + a + " " + b, () -> {
			require(a.contains("/") ? a.substring(0, a.indexOf('/')) : a);
			require(b.contains("/") ? b.substring(0, b.indexOf('/')) : b);
			return new ContainerDiff(a, b, diffSpec, diffFiles);
		});
	}

	@Override
	public CompletableFuture<ExecResult> exec(String name, ExecRequest request) {
		return op("exec " + name, () -> {
			ContainerSnapshot s = require(name);
			StateMachine.transitional(name, s.state(), Action.EXEC);
			return new ExecResult(exitCode.applyAsInt(request), new byte[0], new byte[0]);
		});
	}

	@Override
	public CompletableFuture<Usage> usage(String name) {
		return op("usage " + name, () -> {
			ContainerSnapshot s = require(name);
			if (!s.isActive()) {
				throw new BerthException("usage", name, "\"" + name + "\" is not running");
			}
			return usages.getOrDefault(name, usageWithMemory(8 * Sizes.MIB));
		});
	}

	@Override
	public Optional<Monitoring> monitoring() {
		return Optional.ofNullable(monitoring);
	}

	@Override
	public void addListener(EngineListener listener) {
	}

	@Override
	public void removeListener(EngineListener listener) {
	}

	@Override
	public void close() {
		closed = true;
	}

	// ---- helpers ------------------------------------------------------------------------------------------------

	/** The snapshot of {@code name}, or the engine's exception when there is none. */
	protected ContainerSnapshot require(String name) throws NoSuchContainerException {
		ContainerSnapshot s = containers.get(name);
		if (s == null) {
			throw new NoSuchContainerException(name);
		}
		return s;
	}

	private ContainerSnapshot put(ContainerSnapshot s) {
		containers.put(s.name(), s);
		return s;
	}

	/** Runs an operation now; a failure comes back in the future, as the real engine's do. */
	private <T> CompletableFuture<T> op(String call, Callable<T> body) {
		calls.add(call);
		try {
			return CompletableFuture.completedFuture(body.call());
		} catch (Exception e) {
			return CompletableFuture.failedFuture(e);
		}
	}
}
