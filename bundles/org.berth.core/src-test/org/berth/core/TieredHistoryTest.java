package org.berth.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class TieredHistoryTest {

	/** 1 s for 5 s, 10 s for 30 s: small enough to wrap in a test. */
	private static final Tier FINE = new Tier(Duration.ofSeconds(1), Duration.ofSeconds(5));
	private static final Tier COARSE = new Tier(Duration.ofSeconds(10), Duration.ofSeconds(30));
	private static final Metric[] CPU = {Metric.CPU_PERCENT};

	private static UsageSample sample(double cpu, long memory, long limit, long oomKills) {
		Usage u = new Usage(Instant.EPOCH, 0, memory, memory, limit, 3, -1, oomKills, 0, -1, -1, 0, 0, 0, 0);
		return new UsageSample(u, cpu, Double.NaN, 0, Double.NaN, Double.NaN, 0, 0);
	}

	private static long[] times(TieredHistory h, Tier tier, int max) {
		long[] t = new long[max];
		int n = h.read(tier, Long.MIN_VALUE, t, new Metric[0], new double[0][]);
		return java.util.Arrays.copyOf(t, n);
	}

	private static double[] values(TieredHistory h, Tier tier, Metric m, int max) {
		long[] t = new long[max];
		double[][] v = new double[1][max];
		int n = h.read(tier, Long.MIN_VALUE, t, new Metric[]{m}, v);
		return java.util.Arrays.copyOf(v[0], n);
	}

	@Test
	void theFinestTierKeepsTheNewestSamplesAndWrapsAround() {
		TieredHistory h = new TieredHistory("c1", List.of(FINE, COARSE));
		for (int i = 0; i < 8; i++) {
			h.append(1000L * i, sample(i, 0, -1, 0));
		}
		assertEquals(5, h.size(FINE), "capacity 5");
		assertArrayEquals(new long[]{3000, 4000, 5000, 6000, 7000}, times(h, FINE, 10));
		assertArrayEquals(new double[]{3, 4, 5, 6, 7}, values(h, FINE, Metric.CPU_PERCENT, 10));
		assertArrayEquals(new double[]{6, 7}, values(h, FINE, Metric.CPU_PERCENT, 2), "the newest fit");
	}

	@Test
	void readsOnlyPointsAfterTheGivenTime() {
		TieredHistory h = new TieredHistory("c1", List.of(FINE));
		for (int i = 0; i < 4; i++) {
			h.append(1000L * i, sample(i, 0, -1, 0));
		}
		long[] t = new long[5];
		double[][] v = new double[1][5];
		assertEquals(2, h.read(FINE, 1000, t, CPU, v));
		assertEquals(2000, t[0]);
		assertEquals(3.0, v[0][1]);
		assertEquals(0, h.read(FINE, 3000, t, CPU, v));
	}

	@Test
	void coarseTiersAverageMaximiseOrKeepTheLastValue() {
		TieredHistory h = new TieredHistory("c1", List.of(FINE, COARSE));
		// step 0..9 s: cpu 0..9, memory peaks at 900 in the middle, limit changes at 5 s, one OOM kill at 7 s
		for (int i = 0; i < 10; i++) {
			h.append(1000L * i, sample(i, i == 4 ? 900 : 100, i < 5 ? 1000 : 2000, i >= 7 ? 1 : 0));
		}
		assertEquals(0, h.size(COARSE), "a step becomes a point when the next step begins");
		h.append(10_000, sample(50, 100, 2000, 1));
		assertEquals(1, h.size(COARSE));
		Metric[] ms = {Metric.CPU_PERCENT, Metric.MEMORY_BYTES, Metric.MEMORY_MAX_BYTES, Metric.MEMORY_LIMIT_BYTES,
				Metric.OOM_KILLS, Metric.PIDS, Metric.NET_RX_BYTES_PER_SECOND};
		long[] t = new long[4];
		double[][] v = new double[ms.length][4];
		assertEquals(1, h.read(COARSE, Long.MIN_VALUE, t, ms, v));
		assertEquals(0, t[0], "the point is at the start of its step");
		assertEquals(4.5, v[0][0], 1e-6, "average cpu");
		assertEquals(180.0, v[1][0], 1e-3, "average memory");
		assertEquals(900.0, v[2][0], "the peak survives");
		assertEquals(2000.0, v[3][0], "the last limit");
		assertEquals(1.0, v[4][0], "the counter as at the end of the step");
		assertEquals(3.0, v[5][0]);
		assertTrue(Double.isNaN(v[6][0]), "unknown stays unknown");
	}

	@Test
	void coarseTiersWrapAroundToo() {
		TieredHistory h = new TieredHistory("c1", List.of(FINE, COARSE));
		for (int s = 0; s <= 60; s++) {
			h.append(1000L * s, sample(s, 0, -1, 0));
		}
		// steps 0..50 are complete (60 began): capacity 3 keeps 30, 40, 50
		assertArrayEquals(new long[]{30_000, 40_000, 50_000}, times(h, COARSE, 10));
		assertArrayEquals(new double[]{34.5, 44.5, 54.5}, values(h, COARSE, Metric.CPU_PERCENT, 10), 1e-6);
	}

	@Test
	void aGapLeavesNoEmptyPoints() {
		TieredHistory h = new TieredHistory("c1", List.of(FINE, COARSE));
		h.append(1000, sample(10, 0, -1, 0));
		h.append(95_000, sample(20, 0, -1, 0)); // stopped for a while
		h.append(101_000, sample(30, 0, -1, 0));
		assertArrayEquals(new long[]{0, 90_000}, times(h, COARSE, 10));
		assertArrayEquals(new double[]{10, 20}, values(h, COARSE, Metric.CPU_PERCENT, 10), 1e-6);
	}

	@Test
	void theDefaultTiersGrowOnlyAsNeededAndStayBounded() {
		TieredHistory h = new TieredHistory("c1", Tier.DEFAULTS);
		assertEquals(List.of(600, 8640, 10080), Tier.DEFAULTS.stream().map(Tier::capacity).toList());
		long start = 1_700_000_000_000L;
		for (int s = 0; s < 700; s++) {
			h.append(start + 1000L * s, sample(1, 0, -1, 0));
		}
		assertEquals(600, h.size(Tier.DEFAULTS.get(0)));
		assertEquals(69, h.size(Tier.DEFAULTS.get(1)), "700 s = 70 steps of 10 s, the last still open");
		assertEquals(11, h.size(Tier.DEFAULTS.get(2)));
	}

	@Test
	void latestAndVersion() {
		TieredHistory h = new TieredHistory("c1", List.of(FINE));
		assertTrue(h.latest().isEmpty());
		long v0 = h.version();
		UsageSample s = sample(1, 2, 3, 0);
		h.append(0, s);
		assertEquals(s, h.latest().orElseThrow());
		assertTrue(h.version() != v0);
		h.endRun();
		assertTrue(h.latest().isEmpty());
		assertEquals(1, h.size(FINE), "points stay after the run ends");
	}

	@Test
	void rejectsForeignTiersAndShortArrays() {
		TieredHistory h = new TieredHistory("c1", List.of(FINE));
		assertThrows(IllegalArgumentException.class, () -> h.size(COARSE));
		assertThrows(IllegalArgumentException.class,
				() -> h.read(FINE, 0, new long[4], CPU, new double[][]{new double[3]}));
		assertThrows(IllegalArgumentException.class, () -> h.read(FINE, 0, new long[4], CPU, new double[0][]));
	}

	@Test
	void oneWriterAndReadersSeeConsistentSnapshots() throws Exception {
		// every sample has cpu == its time in seconds: a torn read would pair a time with another point's value
		TieredHistory h = new TieredHistory("c1", List.of(new Tier(Duration.ofSeconds(1), Duration.ofSeconds(100)),
				COARSE));
		AtomicReference<String> broken = new AtomicReference<>();
		List<Thread> readers = new ArrayList<>();
		Thread writer = new Thread(() -> {
			for (int s = 0; s < 200_000; s++) {
				h.append(1000L * s, sample(s, 0, -1, 0));
			}
		});
		for (int r = 0; r < 3; r++) {
			readers.add(new Thread(() -> {
				long[] t = new long[100];
				double[][] v = new double[1][100];
				while (writer.isAlive()) {
					int n = h.read(h.tiers().get(0), Long.MIN_VALUE, t, CPU, v);
					for (int i = 0; i < n; i++) {
						if ((float) (t[i] / 1000) != (float) v[0][i] || (i > 0 && t[i] != t[i - 1] + 1000)) {
							broken.set("point " + i + " of " + n + ": " + t[i] + " ms, cpu " + v[0][i]);
						}
					}
				}
			}));
		}
		writer.start();
		readers.forEach(Thread::start);
		writer.join();
		for (Thread r : readers) {
			r.join();
		}
		assertEquals(null, broken.get());
		assertEquals(100, h.size(h.tiers().get(0)));
	}
}
