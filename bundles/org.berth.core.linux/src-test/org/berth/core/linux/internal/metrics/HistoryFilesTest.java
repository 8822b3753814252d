package org.berth.core.linux.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.berth.core.Metric;
import org.berth.core.Tier;
import org.berth.core.TieredHistory;
import org.berth.core.Usage;
import org.berth.core.UsageSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryFilesTest {

	private static final List<Tier> TIERS = List.of(new Tier(Duration.ofSeconds(1), Duration.ofMinutes(1)),
			new Tier(Duration.ofSeconds(10), Duration.ofMinutes(10)));
	private static final Metric[] ALL = Metric.values();

	private static UsageSample sample(double cpu, long memory) {
		Usage u = new Usage(Instant.EPOCH, 0, memory, memory, -1, 3, -1, 0, 0, -1, -1, 0, 0, 0, 0);
		return new UsageSample(u, cpu, Double.NaN, 0, Double.NaN, Double.NaN, 0, 0);
	}

	/** Every tier of {@code h}: its times, then each metric's values, as one array per tier. */
	private static String dump(TieredHistory h) {
		StringBuilder b = new StringBuilder();
		for (Tier t : h.tiers()) {
			long[] times = new long[t.capacity()];
			double[][] values = new double[ALL.length][t.capacity()];
			int n = h.read(t, Long.MIN_VALUE, times, ALL, values);
			b.append(t).append(Arrays.toString(Arrays.copyOf(times, n)));
			for (double[] v : values) {
				b.append(Arrays.toString(Arrays.copyOf(v, n)));
			}
		}
		return b.toString();
	}

	@Test
	void aSavedHistoryComesBackWholeInEveryTier(@TempDir Path dir) throws Exception {
		HistoryFiles files = new HistoryFiles(dir.resolve(".history"));
		TieredHistory h = new TieredHistory("c1", TIERS);
		for (int i = 0; i < 95; i++) { // more than the finest tier holds, and several coarse points
			h.append(1000L * i, sample(i % 7, 1000 + i));
		}
		files.save(h);
		TieredHistory back = new TieredHistory("c1", TIERS);
		assertTrue(files.load(back));
		assertEquals(dump(h), dump(back));
		assertTrue(back.size(TIERS.get(1)) > 0, "the coarse tier too");

		// appending goes on after the loaded points; older ones are not taken twice
		back.append(95_000, sample(1, 1)); // the finest tier's newest
		long[] t = new long[TIERS.get(0).capacity()];
		int n = back.read(TIERS.get(0), 93_000, t, new Metric[0], new double[0][]);
		assertArrayEquals(new long[]{94_000, 95_000}, Arrays.copyOf(t, n));
		assertFalse(Files.list(dir.resolve(".history")).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")),
				"no temporary file left");
	}

	@Test
	void noFileACutFileOrOtherTiersLeaveAnEmptyHistory(@TempDir Path dir) throws Exception {
		HistoryFiles files = new HistoryFiles(dir);
		TieredHistory none = new TieredHistory("none", TIERS);
		assertFalse(files.load(none));
		assertEquals(0, none.size(TIERS.get(0)));

		TieredHistory h = new TieredHistory("c2", TIERS);
		for (int i = 0; i < 30; i++) {
			h.append(1000L * i, sample(1, 1));
		}
		files.save(h);
		Path file = dir.resolve("c2.history");
		byte[] whole = Files.readAllBytes(file);
		Files.write(file, Arrays.copyOf(whole, whole.length / 2));
		TieredHistory cut = new TieredHistory("c2", TIERS);
		assertFalse(files.load(cut), "a file cut short (a crash while copying it elsewhere)");
		assertEquals(0, cut.size(TIERS.get(0)));

		Files.write(file, whole);
		TieredHistory other = new TieredHistory("c2", List.of(new Tier(Duration.ofSeconds(2), Duration.ofMinutes(1))));
		assertFalse(files.load(other), "other tiers");
		assertEquals(0, other.size(other.tiers().get(0)));

		files.delete("c2");
		assertFalse(Files.exists(file));
	}
}
