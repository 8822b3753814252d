package org.berth.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Monitoring for an engine that can only be asked for one container's usage at a time (an Incus server, through its
 * state endpoint): one scheduled thread asks {@code usage} of each running container, the watched ones every
 * {@link #interval()} and the others every {@link #backgroundInterval()} (all of them every interval while nothing
 * watches), turns two readings into a sample ({@link Rates}) and appends it to the container's
 * {@link TieredHistory}. A container that does not answer within the interval is left out of that sweep; a new run
 * (another start time) begins a new stretch of its history; a destroyed container's history goes. In memory only.
 */
public final class PolledMonitoring implements Monitoring, AutoCloseable {

	public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
	public static final Duration DEFAULT_BACKGROUND_INTERVAL = Duration.ofSeconds(10);

	private final Supplier<? extends Collection<ContainerSnapshot>> containers;
	private final Function<String, CompletableFuture<Usage>> usage;
	private final IntSupplier hostCpus;
	private final List<Tier> tiers;
	private final Map<String, Track> tracks = new ConcurrentHashMap<>();
	private final Map<Object, Set<String>> watches = new ConcurrentHashMap<>();
	private final AtomicLong sweeps = new AtomicLong();
	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
			.daemon().name("berth-polled-monitoring").unstarted(r));
	private volatile Duration interval;
	private volatile Duration backgroundInterval = DEFAULT_BACKGROUND_INTERVAL;
	private ScheduledFuture<?> task;

	/** One container's history and its last reading. */
	private static final class Track {
		final TieredHistory history;
		Instant run;
		Usage last;
		long lastNanos;
		Double quota; // the CPU quota of the run, from its snapshot in the sweep that asked
		long askedNanos = Long.MIN_VALUE;

		Track(TieredHistory history) {
			this.history = history;
		}
	}

	/**
	 * @param containers the engine's containers now (non-blocking; the active ones are sampled)
	 * @param usage      asks for one container's usage
	 * @param hostCpus   the CPUs of the host the containers run on (for "% of host"); 0 or less: unknown
	 */
	public PolledMonitoring(Supplier<? extends Collection<ContainerSnapshot>> containers,
			Function<String, CompletableFuture<Usage>> usage, IntSupplier hostCpus, Duration interval,
			List<Tier> tiers) {
		this.containers = Objects.requireNonNull(containers);
		this.usage = Objects.requireNonNull(usage);
		this.hostCpus = Objects.requireNonNull(hostCpus);
		this.tiers = List.copyOf(tiers);
		this.interval = positive(interval);
	}

	private static Duration positive(Duration d) {
		if (d == null || d.isNegative() || d.isZero()) {
			throw new IllegalArgumentException("the sampling interval must be positive: " + d);
		}
		return d;
	}

	/** Sweeps now and then every interval. */
	public synchronized PolledMonitoring start() {
		if (task == null && !timer.isShutdown()) {
			task = timer.scheduleWithFixedDelay(this::sweepQuietly, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
		}
		return this;
	}

	private void sweepQuietly() {
		try {
			sweep();
		} catch (RuntimeException e) {
			// the next sweep tries again; a sampler that stops sampling helps nobody
		}
	}

	/** One sweep (the timer's; tests call it themselves). */
	void sweep() {
		long now = System.nanoTime();
		Set<String> watched = new HashSet<>();
		watches.values().forEach(watched::addAll);
		Set<String> defined = new HashSet<>();
		Map<String, CompletableFuture<Usage>> asked = new LinkedHashMap<>();
		for (ContainerSnapshot s : containers.get()) {
			defined.add(s.name());
			if (!s.isActive()) {
				continue;
			}
			Track t = tracks.computeIfAbsent(s.name(), n -> new Track(new TieredHistory(n, tiers)));
			if (!Objects.equals(t.run, s.startedAt())) {
				if (t.run != null) {
					t.history.endRun();
				}
				t.run = s.startedAt();
				t.last = null;
			}
			// never asked: due (now - MIN_VALUE overflows, and one that started while a watch was open waited forever)
			boolean due = watches.isEmpty() || watched.contains(s.name()) || t.askedNanos == Long.MIN_VALUE
					|| now - t.askedNanos >= backgroundInterval.toNanos();
			if (due) {
				t.askedNanos = now;
				t.quota = s.spec().limits().cpus();
				try {
					asked.put(s.name(), usage.apply(s.name()));
				} catch (RuntimeException e) {
					// not in this sweep
				}
			}
		}
		tracks.keySet().retainAll(defined);
		long deadline = now + interval.toNanos();
		int cpus = hostCpus.getAsInt();
		for (Map.Entry<String, CompletableFuture<Usage>> e : asked.entrySet()) {
			Usage u;
			try {
				u = e.getValue().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			} catch (InterruptedException x) {
				Thread.currentThread().interrupt();
				return;
			} catch (Exception x) {
				continue; // it stopped, or does not answer in time: not in this sweep
			}
			Track t = tracks.get(e.getKey());
			if (t == null || u == null) {
				continue;
			}
			long at = System.nanoTime();
			if (t.last != null) {
				t.history.append(System.currentTimeMillis(), Rates.sample(t.last, u, at - t.lastNanos, cpus > 0 ? cpus
						: Runtime.getRuntime().availableProcessors(), t.quota));
			}
			t.last = u;
			t.lastNanos = at;
		}
		sweeps.incrementAndGet();
	}

	@Override
	public Duration interval() {
		return interval;
	}

	@Override
	public synchronized void setInterval(Duration newInterval) {
		interval = positive(newInterval);
		if (task != null) {
			task.cancel(false);
			task = timer.scheduleWithFixedDelay(this::sweepQuietly, newInterval.toNanos(), newInterval.toNanos(),
					TimeUnit.NANOSECONDS);
		}
	}

	@Override
	public Duration backgroundInterval() {
		return backgroundInterval;
	}

	@Override
	public void setBackgroundInterval(Duration d) {
		backgroundInterval = positive(d);
	}

	@Override
	public List<Tier> tiers() {
		return tiers;
	}

	@Override
	public Optional<UsageHistory> history(String name) {
		return Optional.ofNullable(tracks.get(name)).map(t -> t.history);
	}

	@Override
	public long sweeps() {
		return sweeps.get();
	}

	@Override
	public Watch watch(Collection<String> names) {
		Object key = new Object();
		watches.put(key, Set.copyOf(names));
		return new Watch() {
			private volatile boolean closed;

			@Override
			public void set(Collection<String> newNames) {
				if (!closed) {
					watches.put(key, Set.copyOf(newNames));
				}
			}

			@Override
			public void close() {
				closed = true;
				watches.remove(key);
			}
		};
	}

	@Override
	public void close() {
		timer.shutdownNow();
	}
}
