package org.berth.core.linux.internal.metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.berth.core.Rates;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.Monitoring;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceType;
import org.berth.core.Tier;
import org.berth.core.TieredHistory;
import org.berth.core.Usage;
import org.berth.core.UsageHistory;
import org.berth.core.linux.internal.cgroup.CgroupStats;
import org.berth.core.linux.internal.cgroup.CounterFile;
import org.berth.core.linux.internal.cgroup.Group;
import org.berth.core.linux.internal.cgroup.GroupCounters;
import org.berth.core.linux.internal.proc.NetDev;
import org.berth.core.linux.internal.sys.EngineLog;

/**
 * The one sampler of an engine: a single scheduled thread that sweeps over every running container at the
 * {@link #interval()}, reads its cgroup counters ({@link Group#stats()}) and, when it has its own network
 * namespace, {@code /proc/PID/net/dev}; turns them into rates ({@link Rates}) and appends them to the container's
 * {@link TieredHistory}. A container that cannot be read in a sweep (it is just ending) is skipped in that sweep.
 * The files of a running container stay open between sweeps and are read again with one {@code pread} each
 * ({@link GroupCounters}, {@link CounterFile}): at 200 containers that is a fifth of the cost of opening them.
 * While a {@link #watch} is open, containers no watch names are read only every {@link #backgroundInterval()}.
 */
public final class Sampler implements Monitoring, AutoCloseable {

	/** What the sampler needs from its engine. */
	public interface Source {
		/** Every defined container (the active ones are sampled). Must not block. */
		Collection<ContainerSnapshot> containers();

		/** The cgroup of the current run of an active container. */
		Group group(ContainerSnapshot active) throws IOException;
	}

	public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
	public static final Duration DEFAULT_BACKGROUND_INTERVAL = Duration.ofSeconds(10);

	private final Source source;
	private final List<Tier> tiers;
	private final Path procRoot;
	private final Path cpuOnlineFile;
	private final Map<String, Track> tracks = new ConcurrentHashMap<>();
	private final CounterFile.Buffer buffer = new CounterFile.Buffer();
	private final long[] net = new long[2];
	private final AtomicLong sweeps = new AtomicLong();
	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
		Thread t = new Thread(r, "berth-sampler");
		t.setDaemon(true);
		return t;
	});
	private volatile Duration interval;
	private volatile Duration backgroundInterval = DEFAULT_BACKGROUND_INTERVAL;
	private final Map<WatchImpl, Set<String>> watches = new ConcurrentHashMap<>();
	private ScheduledFuture<?> task;
	private volatile RuntimeException lastFailure;
	private volatile HistoryFiles files;
	private long lastSaveMillis;
	private final Set<String> loaded = new HashSet<>();
	private LongSupplier nanoClock = System::nanoTime;
	private LongSupplier millisClock = System::currentTimeMillis;

	/** A sampler of the real /proc and /sys; not yet sampling (see {@link #start()}). */
	public Sampler(Source source, Duration interval, List<Tier> tiers) {
		this(source, interval, tiers, Path.of("/proc"), OnlineCpus.FILE);
	}

	public Sampler(Source source, Duration interval, List<Tier> tiers, Path procRoot, Path cpuOnlineFile) {
		this.source = source;
		this.tiers = List.copyOf(tiers);
		this.procRoot = procRoot;
		this.cpuOnlineFile = cpuOnlineFile;
		this.interval = requirePositive(interval);
	}

	private static Duration requirePositive(Duration d) {
		if (d == null || d.isNegative() || d.isZero()) {
			throw new IllegalArgumentException("the sampling interval must be positive: " + d);
		}
		return d;
	}

	/** How often the histories are written to their files while sampling (and once more at {@link #close()}). */
	public static final Duration SAVE_EVERY = Duration.ofMinutes(5);

	/**
	 * Keeps the histories in {@code historyFiles} too: each container's history starts with what its file holds,
	 * all are written every {@link #SAVE_EVERY} and at {@link #close()}, and a destroyed container's file goes with
	 * it. Call before {@link #start()}.
	 */
	public Sampler persistIn(HistoryFiles historyFiles) {
		files = historyFiles;
		return this;
	}

	/** Sweeps now (the first readings of each container) and then every interval. */
	public synchronized Sampler start() {
		if (task == null && !timer.isShutdown()) {
			task = timer.scheduleAtFixedRate(this::sweepQuietly, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
		}
		return this;
	}

	@Override
	public Duration interval() {
		return interval;
	}

	@Override
	public synchronized void setInterval(Duration newInterval) {
		interval = requirePositive(newInterval);
		if (task != null) {
			task.cancel(false);
			task = timer.scheduleAtFixedRate(this::sweepQuietly, newInterval.toNanos(), newInterval.toNanos(),
					TimeUnit.NANOSECONDS);
		}
	}

	@Override
	public Duration backgroundInterval() {
		return backgroundInterval;
	}

	@Override
	public void setBackgroundInterval(Duration value) {
		backgroundInterval = requirePositive(value);
	}

	@Override
	public Watch watch(Collection<String> names) {
		WatchImpl w = new WatchImpl();
		w.set(names);
		return w;
	}

	/** An open watch: its names count until it is closed. */
	private final class WatchImpl implements Watch {
		@Override
		public void set(Collection<String> names) {
			watches.put(this, Set.copyOf(names));
		}

		@Override
		public void close() {
			watches.remove(this);
		}
	}

	@Override
	public List<Tier> tiers() {
		return tiers;
	}

	@Override
	public Optional<UsageHistory> history(String name) {
		Track t = tracks.get(name);
		return t == null ? Optional.empty() : Optional.of(t.history);
	}

	@Override
	public long sweeps() {
		return sweeps.get();
	}

	/** Why the last sweep failed as a whole, if it did (a failing container alone does not count). */
	public Optional<RuntimeException> lastFailure() {
		return Optional.ofNullable(lastFailure);
	}

	private void sweepQuietly() {
		try {
			sweep();
		} catch (RuntimeException e) {
			lastFailure = e; // a periodic task that throws is never run again
		}
	}

	/** One pass over every active container; called by the timer, and directly by tests and the benchmark. */
	public synchronized void sweep() {
		int cpus = OnlineCpus.read(cpuOnlineFile);
		Collection<ContainerSnapshot> all = source.containers();
		Set<String> watched = null; // null: no watch, every container at the interval
		if (!watches.isEmpty()) {
			watched = new HashSet<>();
			for (Set<String> names : watches.values()) {
				watched.addAll(names);
			}
		}
		// a little early rather than one interval late
		long backgroundNanos = backgroundInterval.toNanos() - interval.toNanos() / 2;
		Set<String> defined = new HashSet<>();
		for (ContainerSnapshot c : all) {
			defined.add(c.name());
			if (files != null && !tracks.containsKey(c.name()) && loaded.add(c.name())) {
				track(c.name()); // a history kept from an earlier process, shown even while the container is stopped
			}
			if (!c.isActive() || c.initPid() <= 0) {
				Track t = tracks.get(c.name());
				if (t != null && t.initPid != 0) {
					t.endRun();
				}
				continue;
			}
			Track t = tracks.containsKey(c.name()) ? tracks.get(c.name()) : track(c.name());
			if (watched != null && !watched.contains(c.name()) && t.previous != null && t.initPid == c.initPid()
					&& nanoClock.getAsLong() - t.previousNanos < backgroundNanos) {
				continue; // off screen: read it less often
			}
			sample(t, c, cpus);
		}
		// destroyed containers take their history with them
		tracks.entrySet().removeIf(e -> {
			if (defined.contains(e.getKey())) {
				return false;
			}
			e.getValue().closeFiles();
			if (files != null) {
				try {
					files.delete(e.getKey());
				} catch (IOException x) {
					EngineLog.log(System.Logger.Level.WARNING,
							"cannot remove the history file of " + e.getKey() + ": " + x.getMessage());
				}
			}
			return true;
		});
		loaded.retainAll(defined);
		sweeps.incrementAndGet();
		if (files != null && millisClock.getAsLong() - lastSaveMillis >= SAVE_EVERY.toMillis()) {
			saveAll();
		}
	}

	/** A new track of this container, its history started from its file when there is one. */
	private Track track(String name) {
		TieredHistory h = new TieredHistory(name, tiers);
		if (files != null) {
			try {
				files.load(h);
			} catch (IOException | RuntimeException e) {
				EngineLog.log(System.Logger.Level.WARNING,
						"cannot read the history file of " + name + " (it starts empty): " + e.getMessage());
			}
		}
		Track t = new Track(h);
		tracks.put(name, t);
		return t;
	}

	/** Writes every history to its file. */
	private void saveAll() {
		lastSaveMillis = millisClock.getAsLong();
		for (Track t : tracks.values()) {
			try {
				files.save(t.history);
			} catch (IOException e) {
				EngineLog.log(System.Logger.Level.WARNING,
						"cannot write the history of " + t.history.name() + " to " + files.folder() + ": "
								+ e.getMessage());
			}
		}
	}

	private void sample(Track t, ContainerSnapshot c, int cpus) {
		try {
			if (t.initPid != c.initPid()) {
				t.endRun();
				t.group = source.group(c);
				t.initPid = c.initPid();
			}
			if (t.counters == null) {
				t.counters = t.group.counters(buffer);
			}
			CgroupStats s = t.counters.read();
			long rx = -1;
			long tx = -1;
			if (c.spec().namespace(NamespaceType.NET).mode() != NamespaceMode.HOST) {
				if (t.netDev == null) {
					t.netDev = CounterFile.open(NetDev.file(procRoot, c.initPid()), buffer);
				}
				t.netDev.netDevTotals(net);
				rx = net[0];
				tx = net[1];
			}
			long nanos = nanoClock.getAsLong();
			long millis = millisClock.getAsLong();
			Usage u = usage(s, rx, tx, Instant.ofEpochMilli(millis));
			if (t.previous != null) {
				t.history.append(millis, Rates.sample(t.previous, u, nanos - t.previousNanos, cpus,
						c.spec().limits().cpus()));
			}
			t.previous = u;
			t.previousNanos = nanos;
		} catch (IOException | RuntimeException e) {
			// it is ending, or its group went away: the next sweep sees it stopped or opens and reads it again
			t.previous = null;
			t.closeFiles();
		}
	}

	/**
	 * One reading of a container's counters: its cgroup's, and the traffic of its network namespace without
	 * loopback. A container in the host's network namespace has none of its own (-1): those counters are the whole
	 * host's.
	 */
	public static Usage usage(CgroupStats s, Path procRoot, ContainerSpec spec, long initPid, Instant at)
			throws IOException {
		long rx = -1;
		long tx = -1;
		if (spec.namespace(NamespaceType.NET).mode() != NamespaceMode.HOST) {
			NetDev.Counters net = NetDev.read(procRoot, initPid).totalExcludingLoopback();
			rx = net.rxBytes();
			tx = net.txBytes();
		}
		return usage(s, rx, tx, at);
	}

	private static Usage usage(CgroupStats s, long rx, long tx, Instant at) {
		return new Usage(at, s.cpuUsageNanos(), s.memoryCurrent(), s.memoryPeak(), s.memoryLimit(), s.pidsCurrent(),
				s.pidsLimit(), s.oomKills(), s.pidsLimitHits(), rx, tx, s.ioReadBytes(), s.ioWriteBytes(),
				s.throttledPeriods(), s.throttledNanos());
	}

	/** Replaces the clocks (monotonic nanoseconds, epoch milliseconds), for tests. */
	synchronized void clocks(LongSupplier nanos, LongSupplier millis) {
		nanoClock = nanos;
		millisClock = millis;
	}

	/** Stops sampling; the histories stay readable. */
	@Override
	public void close() {
		timer.shutdownNow();
		synchronized (this) { // after a sweep that is under way
			tracks.values().forEach(Track::closeFiles);
			if (files != null) {
				saveAll();
			}
		}
	}

	/** The sampler's state of one container; touched only inside {@link #sweep()}. */
	private static final class Track {
		final TieredHistory history;
		long initPid;
		Group group;
		GroupCounters counters;
		CounterFile netDev;
		Usage previous;
		long previousNanos;

		Track(TieredHistory history) {
			this.history = history;
		}

		void endRun() {
			closeFiles();
			initPid = 0;
			group = null;
			previous = null;
			history.endRun();
		}

		void closeFiles() {
			if (counters != null) {
				counters.close();
				counters = null;
			}
			if (netDev != null) {
				netDev.close();
				netDev = null;
			}
		}
	}
}
