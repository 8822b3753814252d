package org.berth.core.linux.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.berth.core.ContainerKind;
import org.berth.core.ContainerSpec;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.Limits;
import org.berth.core.Metric;
import org.berth.core.Monitoring;
import org.berth.core.Sizes;
import org.berth.core.Tier;
import org.berth.core.Usage;
import org.berth.core.UsageHistory;
import org.berth.core.UsageSample;
import org.berth.core.linux.internal.metrics.OnlineCpus;
import org.berth.core.linux.internal.testing.Await;
import org.berth.core.linux.internal.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's sampler on real containers (root): a CPU burner shows as busy within a few samples, a memory hog
 * under a 32 MiB limit shows its memory rising and then the OOM kill. Each test ends with nothing left behind
 * ({@link TestEngine#close()} checks).
 */
class MonitoringLiveTest {

	private static final Duration INTERVAL = Duration.ofMillis(250);
	private static final Tier SAMPLES = Tier.DEFAULTS.get(0);

	private TestEngine t;
	private Monitoring monitoring;

	@BeforeEach
	void setUp() throws Exception {
		assumeTrue(Host.isRoot(), "integration tests start real containers and need root");
		assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs Debian's busybox-static");
		t = new TestEngine();
		monitoring = t.engine.monitoring().orElseThrow();
		monitoring.setInterval(INTERVAL);
	}

	@AfterEach
	void tearDown() throws Exception {
		if (t != null) {
			t.close();
		}
	}

	private UsageHistory history(String name) throws Exception {
		Await.until("a history of " + name, TestEngine.TIMEOUT, () -> monitoring.history(name).isPresent());
		return monitoring.history(name).orElseThrow();
	}

	/**
	 * The burner runs under a quarter-CPU quota: the test hosts run parallel builds (load 8 on 2 CPUs seen), under
	 * which a whole CPU is not to be had, while a quarter is.
	 */
	@Test
	void aCpuBurnerShowsBusyWithinAFewSamplesAndIsThrottled() throws Exception {
		t.define(ContainerSpec.builder("burn").template("busybox").kind(ContainerKind.APPLICATION)
				.init(List.of("/bin/sh", "-c", "while :; do :; done")).limits(Limits.NONE.withCpus(0.25)).build());
		t.start("burn");
		UsageHistory h = history("burn");
		Await.until("the burner above 50 % of its CPU quota", Duration.ofSeconds(20),
				() -> h.latest().map(s -> s.cpuQuotaPercent() > 50).orElse(false));
		assertTrue(h.size(SAMPLES) <= 5, "within a few samples: " + h.size(SAMPLES));
		UsageSample s = h.latest().orElseThrow();
		int cpus = OnlineCpus.read(OnlineCpus.FILE);
		assertEquals(s.cpuQuotaPercent() * 0.25 / cpus, s.cpuPercent(), 1e-6, "the same use of the host's " + cpus
				+ " CPUs");
		// bounded by the quota over a second or more: one sample's window may hold a period refill more than
		// its share (a late sample followed by a punctual one spans 100 ms and two refills: 200 %)
		Usage from = s.usage();
		Await.until("a sample a second later", Duration.ofSeconds(20), () -> h.latest()
				.map(x -> Duration.between(from.at(), x.usage().at()).toMillis() >= 1000).orElse(false));
		Usage to = h.latest().orElseThrow().usage();
		double share = 100.0 * (to.cpuNanos() - from.cpuNanos())
				/ (Duration.between(from.at(), to.at()).toNanos() * 0.25);
		assertTrue(share < 130, "bounded by the quota over " + Duration.between(from.at(), to.at()) + ": " + share);
		Await.until("CPU throttling counted", Duration.ofSeconds(20),
				() -> h.latest().map(x -> x.usage().cpuThrottledPeriods() > 0 && x.throttledPercent() > 0)
						.orElse(false));
	}

	@Test
	void aMemoryHogShowsRisingMemoryAndThenItsOomKill() throws Exception {
		t.define(ContainerSpec.builder("hog").template("busybox").limits(Limits.NONE.withMemoryBytes(32 * Sizes.MIB))
				.build());
		t.start("hog");
		UsageHistory h = history("hog");
		Await.until("a first sample of the hog", TestEngine.TIMEOUT, () -> h.latest().isPresent());
		long before = h.latest().orElseThrow().usage().memoryBytes();
		assertEquals(0, h.latest().orElseThrow().usage().oomKills());
		// about 1 MiB more every 50 ms: 32 MiB take a couple of seconds, several samples
		CompletableFuture<ExecResult> hog = t.engine.exec("hog", ExecRequest.of("sh", "-c",
				"a=$(head -c 1048576 /dev/zero | tr '\\0' a); x=; while :; do x=$x$a; usleep 50000; done"));
		Await.until("memory rising by 8 MiB", TestEngine.TIMEOUT, () -> h.latest()
				.map(s -> s.usage().memoryBytes() > before + 8 * Sizes.MIB).orElse(false));
		Await.until("the OOM kill counted", TestEngine.TIMEOUT,
				() -> h.latest().map(s -> s.usage().oomKills() >= 1).orElse(false));
		assertNotEquals(0, TestEngine.await(hog).exitCode(), "the hog died");

		Metric[] ms = {Metric.MEMORY_BYTES, Metric.MEMORY_MAX_BYTES, Metric.MEMORY_LIMIT_BYTES, Metric.OOM_KILLS};
		long[] times = new long[SAMPLES.capacity()];
		double[][] v = new double[ms.length][SAMPLES.capacity()];
		int n = h.read(SAMPLES, 0, times, ms, v);
		int rising = 0;
		for (int i = 1; i < n && v[3][i] == 0; i++) {
			if (v[0][i] > v[0][i - 1]) {
				rising++;
			}
		}
		assertTrue(rising >= 3, "memory rose in several samples before the kill: " + rising);
		assertEquals(32.0 * Sizes.MIB, v[2][n - 1], "the limit");
		assertTrue(v[3][n - 1] >= 1, "the history has the kill");
		double peak = 0;
		for (int i = 0; i < n; i++) {
			peak = Math.max(peak, v[1][i]);
		}
		assertTrue(peak > before + 8 * Sizes.MIB, "the sampled peak: " + peak);
		long kernelPeak = h.latest().orElseThrow().usage().memoryPeakBytes();
		assertTrue(kernelPeak > 24 * Sizes.MIB, "the kernel's peak came near the limit: " + kernelPeak);
	}
}
