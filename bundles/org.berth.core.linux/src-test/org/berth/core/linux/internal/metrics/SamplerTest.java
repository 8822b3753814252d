package org.berth.core.linux.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import org.berth.core.Rates;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.Limits;
import org.berth.core.Metric;
import org.berth.core.Monitoring;
import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;
import org.berth.core.Tier;
import org.berth.core.UsageHistory;
import org.berth.core.UsageSample;
import org.berth.core.linux.internal.cgroup.CgroupLimits;
import org.berth.core.linux.internal.cgroup.CgroupStats;
import org.berth.core.linux.internal.cgroup.Group;
import org.berth.core.linux.internal.testing.Await;
import org.berth.core.linux.internal.testing.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sampler over a scripted engine: fake groups, a fixture /proc and /sys, and a clock the test moves. */
class SamplerTest {

	private static final long SECOND = 1_000_000_000L;

	@TempDir
	Path dir;

	private final Map<String, ContainerSnapshot> containers = new TreeMap<>();
	private final Map<Long, FakeGroup> groups = new TreeMap<>();
	private final List<String> opened = new ArrayList<>();
	private final AtomicLong nanos = new AtomicLong(5 * SECOND);
	private Sampler sampler;
	private Sampler.Source source;

	@BeforeEach
	void setUp() throws IOException {
		Fixtures.copy("sys/cpu-online.txt", dir.resolve("sys/online")); // 5 CPUs
		Fixtures.copy("proc/net-dev.txt", dir.resolve("proc/4242/net/dev"));
		source = new Sampler.Source() {
			@Override
			public Collection<ContainerSnapshot> containers() {
				return List.copyOf(containers.values());
			}

			@Override
			public Group group(ContainerSnapshot active) throws IOException {
				opened.add(active.name() + "@" + active.initPid());
				FakeGroup g = groups.get(active.initPid());
				if (g == null) {
					throw new IOException("no group");
				}
				return g;
			}
		};
		sampler = newSampler();
	}

	private Sampler newSampler() {
		Sampler s = new Sampler(source, Duration.ofSeconds(1), Tier.DEFAULTS, dir.resolve("proc"),
				dir.resolve("sys/online"));
		s.clocks(nanos::get, () -> nanos.get() / 1_000_000);
		return s;
	}

	@Test
	void theHistoriesGoToTheirFilesAtCloseAndStartTheNextSampler() throws IOException {
		HistoryFiles files = new HistoryFiles(dir.resolve(".history"));
		sampler.persistIn(files);
		run("c1", 4242, ContainerSpec.builder("c1"));
		for (int i = 0; i < 4; i++) {
			groups.get(4242L).cpu += SECOND / 4;
			sweepAfter(SECOND);
		}
		Tier finest = Tier.DEFAULTS.get(0);
		int points = sampler.history("c1").orElseThrow().size(finest);
		assertEquals(3, points, "four readings, three samples");
		sampler.close();
		assertTrue(java.nio.file.Files.isRegularFile(dir.resolve(".history/c1.history")), "written at close");

		Sampler next = newSampler().persistIn(files);
		try {
			next.sweep(); // the first reading of c1: no sample yet, but the history it had
			assertEquals(points, next.history("c1").orElseThrow().size(finest), "the earlier points come back");
			containers.clear(); // destroyed
			next.sweep();
			assertTrue(next.history("c1").isEmpty());
			assertFalse(java.nio.file.Files.exists(dir.resolve(".history/c1.history")), "its file goes with it");
		} finally {
			next.close();
		}
	}

	private void run(String name, long pid, ContainerSpec.Builder spec) {
		containers.put(name, new ContainerSnapshot(spec.build(), ContainerState.RUNNING, pid, Instant.EPOCH, null,
				Map.of()));
		groups.putIfAbsent(pid, new FakeGroup());
	}

	private void sweepAfter(long elapsedNanos) {
		nanos.addAndGet(elapsedNanos);
		sampler.sweep();
	}

	private UsageSample latest(String name) {
		return sampler.latest(name).orElseThrow(() -> new AssertionError("no sample of " + name));
	}

	@Test
	void twoReadingsMakeASampleWithCpuOfTheHostAndOfTheQuota() {
		run("c1", 4242, ContainerSpec.builder("c1").limits(Limits.NONE.withCpus(0.5)));
		FakeGroup g = groups.get(4242L);
		g.cpu = 10 * SECOND;
		sampler.sweep();
		assertTrue(sampler.latest("c1").isEmpty(), "one reading is no rate");
		g.cpu += SECOND / 2;
		g.memory = 64 << 20;
		sweepAfter(SECOND);
		UsageSample s = latest("c1");
		assertEquals(10.0, s.cpuPercent(), 1e-9, "half a CPU of a 5-CPU host");
		assertEquals(100.0, s.cpuQuotaPercent(), 1e-9, "all of a half-CPU quota");
		assertEquals(64 << 20, s.usage().memoryBytes());
		assertEquals(0.0, s.netRxBytesPerSecond(), "eth0 + eth1 of the fixture, unchanged");
		assertEquals(10794928L + 145360176L, s.usage().netRxBytes(), "every interface but lo");
		assertEquals(1, sampler.history("c1").orElseThrow().size(Tier.DEFAULTS.get(0)));
		assertEquals(2, sampler.sweeps());
	}

	@Test
	void aContainerOnTheHostsNetworkHasNoNetworkRates() {
		run("h", 77, ContainerSpec.builder("h").namespace(NamespaceSpec.host(NamespaceType.NET)));
		sampler.sweep();
		sweepAfter(SECOND);
		assertTrue(Double.isNaN(latest("h").netRxBytesPerSecond()));
		assertEquals(-1, latest("h").usage().netRxBytes());
	}

	@Test
	void aRestartStartsTheCountersAgainWithoutNegativeRates() {
		run("c1", 4242, ContainerSpec.builder("c1"));
		groups.get(4242L).cpu = 100 * SECOND;
		groups.get(4242L).oomKills = 3;
		sampler.sweep();
		sweepAfter(SECOND);
		assertEquals(3, latest("c1").usage().oomKills());

		containers.put("c1", containers.get("c1").withState(ContainerState.STOPPED));
		sweepAfter(SECOND);
		assertTrue(sampler.latest("c1").isEmpty(), "a stopped container has no latest sample");
		UsageHistory h = sampler.history("c1").orElseThrow();
		assertEquals(1, h.size(Tier.DEFAULTS.get(0)), "its history stays");

		run("c1", 5555, ContainerSpec.builder("c1").namespace(NamespaceSpec.host(NamespaceType.NET)));
		groups.get(5555L).cpu = SECOND;
		sweepAfter(SECOND);
		assertTrue(sampler.latest("c1").isEmpty(), "the new run's first reading");
		groups.get(5555L).cpu = 2 * SECOND;
		sweepAfter(SECOND);
		assertEquals(20.0, latest("c1").cpuPercent(), 1e-9, "one CPU second of five");
		assertEquals(0, latest("c1").usage().oomKills(), "limit hits count from the start of the run");
		assertEquals(List.of("c1@4242", "c1@5555"), opened, "one group lookup per run");
		assertEquals(2, h.size(Tier.DEFAULTS.get(0)));
	}

	@Test
	void aCounterResetWithinARunCountsFromZero() {
		run("c1", 4242, ContainerSpec.builder("c1"));
		groups.get(4242L).ioRead = 1 << 20;
		sampler.sweep();
		groups.get(4242L).ioRead = 4096; // the device went away and came back
		sweepAfter(SECOND);
		assertEquals(4096.0, latest("c1").ioReadBytesPerSecond(), 1e-9);
	}

	@Test
	void oneUnreadableContainerDoesNotStopTheOthers() {
		run("bad", 1, ContainerSpec.builder("bad").namespace(NamespaceSpec.host(NamespaceType.NET)));
		groups.get(1L).failing = true;
		run("good", 4242, ContainerSpec.builder("good"));
		sampler.sweep();
		sweepAfter(SECOND);
		assertTrue(sampler.latest("bad").isEmpty());
		assertTrue(sampler.latest("good").isPresent());
		groups.get(1L).failing = false;
		sweepAfter(SECOND);
		sweepAfter(SECOND);
		assertTrue(sampler.latest("bad").isPresent(), "read again once it can be");
	}

	@Test
	void aDestroyedContainersHistoryGoes() {
		run("c1", 4242, ContainerSpec.builder("c1"));
		sampler.sweep();
		assertTrue(sampler.history("c1").isPresent());
		containers.clear();
		sweepAfter(SECOND);
		assertEquals(Optional.empty(), sampler.history("c1"));
	}

	@Test
	void whileSomeAreWatchedTheOthersAreReadEveryBackgroundInterval() {
		run("shown", 4242, ContainerSpec.builder("shown"));
		run("other", 77, ContainerSpec.builder("other").namespace(NamespaceSpec.host(NamespaceType.NET)));
		sampler.sweep();
		sweepAfter(SECOND);
		UsageHistory shown = sampler.history("shown").orElseThrow();
		UsageHistory other = sampler.history("other").orElseThrow();
		assertEquals(1, other.size(Tier.DEFAULTS.get(0)), "without a watch, every container every interval");

		Monitoring.Watch w = sampler.watch(List.of("shown"));
		assertEquals(Duration.ofSeconds(10), sampler.backgroundInterval());
		for (int i = 0; i < 10; i++) {
			sweepAfter(SECOND);
		}
		assertEquals(11, shown.size(Tier.DEFAULTS.get(0)), "the watched one every second");
		assertEquals(2, other.size(Tier.DEFAULTS.get(0)), "the other once in ten seconds");

		w.set(List.of("other"));
		sweepAfter(SECOND);
		assertEquals(3, other.size(Tier.DEFAULTS.get(0)), "now watched");
		assertEquals(11, shown.size(Tier.DEFAULTS.get(0)), "now in the background");
		w.close();
		sweepAfter(SECOND);
		assertEquals(12, shown.size(Tier.DEFAULTS.get(0)), "no watch: all at the interval again");
		assertEquals(4, other.size(Tier.DEFAULTS.get(0)));
	}

	@Test
	void theTimerSweepsAtTheIntervalUntilClosed() throws Exception {
		run("c1", 4242, ContainerSpec.builder("c1"));
		Sampler live = new Sampler(new Sampler.Source() {
			@Override
			public Collection<ContainerSnapshot> containers() {
				return List.copyOf(containers.values());
			}

			@Override
			public Group group(ContainerSnapshot active) {
				return groups.get(active.initPid());
			}
		}, Duration.ofMillis(5), List.of(new Tier(Duration.ofMillis(5), Duration.ofSeconds(1))),
				dir.resolve("proc"), dir.resolve("sys/online"));
		try {
			live.start();
			Await.until("three sweeps", Duration.ofSeconds(10), () -> live.sweeps() >= 3);
			live.setInterval(Duration.ofMillis(2));
			assertEquals(Duration.ofMillis(2), live.interval());
			long seen = live.sweeps();
			Await.until("sweeps at the new interval", Duration.ofSeconds(10), () -> live.sweeps() >= seen + 3);
			Metric[] cpu = {Metric.CPU_PERCENT};
			long[] t = new long[300];
			double[][] v = new double[1][300];
			assertTrue(live.history("c1").orElseThrow().read(live.tiers().get(0), 0, t, cpu, v) >= 2);
			assertTrue(live.lastFailure().isEmpty());
		} finally {
			live.close();
		}
	}

	/** A group whose counters the test sets. */
	static final class FakeGroup implements Group {
		long cpu;
		long memory;
		long oomKills;
		long ioRead;
		boolean failing;

		@Override
		public CgroupStats stats() throws IOException {
			if (failing) {
				throw new IOException("gone");
			}
			return new CgroupStats(cpu, memory, memory, -1, -1, oomKills, 1, -1, 0, ioRead, 0, 0, 0);
		}

		@Override
		public String relPath() {
			return "berth/fake-1";
		}

		@Override
		public List<Path> procsFiles() {
			throw new UnsupportedOperationException();
		}

		@Override
		public Optional<Path> cloneIntoDir() {
			throw new UnsupportedOperationException();
		}

		@Override
		public List<Path> dirs() {
			throw new UnsupportedOperationException();
		}

		@Override
		public void apply(CgroupLimits limits) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void freeze(Duration timeout) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void thaw(Duration timeout) {
			throw new UnsupportedOperationException();
		}

		@Override
		public boolean frozen() {
			return false;
		}

		@Override
		public boolean killAtOnce() {
			return false;
		}

		@Override
		public void killAll(Duration timeout) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Set<Long> pids() {
			return Set.of();
		}

		@Override
		public void remove(Duration timeout) {
			throw new UnsupportedOperationException();
		}

		@Override
		public boolean exists() {
			return true;
		}
	}
}
