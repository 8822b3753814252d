package org.berth.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Tiers, metrics and the CSV of usage histories. */
class MonitoringApiTest {

	@Test
	void tiersHoldSpanOverStepPoints() {
		assertEquals(List.of(600, 8640, 10080), Tier.DEFAULTS.stream().map(Tier::capacity).toList());
		assertThrows(IllegalArgumentException.class, () -> new Tier(Duration.ZERO, Duration.ofMinutes(1)));
		assertThrows(IllegalArgumentException.class, () -> new Tier(Duration.ofMinutes(2), Duration.ofMinutes(1)));
	}

	@Test
	void theFinestTierThatCoversARange() {
		assertEquals(Tier.DEFAULTS.get(0), Tier.covering(Tier.DEFAULTS, Duration.ofMinutes(1)));
		assertEquals(Tier.DEFAULTS.get(0), Tier.covering(Tier.DEFAULTS, Duration.ofMinutes(10)));
		assertEquals(Tier.DEFAULTS.get(1), Tier.covering(Tier.DEFAULTS, Duration.ofHours(1)));
		assertEquals(Tier.DEFAULTS.get(1), Tier.covering(Tier.DEFAULTS, Duration.ofHours(24)));
		assertEquals(Tier.DEFAULTS.get(2), Tier.covering(Tier.DEFAULTS, Duration.ofDays(30)), "the coarsest at most");
	}

	@Test
	void metricsReadSamplesAndUnknownIsNaN() {
		Usage u = new Usage(Instant.EPOCH, 5, 100, 200, -1, 3, 50, 2, 1, 0, 0, 0, 0, 7, 9);
		UsageSample s = new UsageSample(u, 12.5, Double.NaN, 1, 10, 20, 30, 40);
		assertEquals(12.5, Metric.CPU_PERCENT.of(s));
		assertTrue(Double.isNaN(Metric.CPU_QUOTA_PERCENT.of(s)));
		assertTrue(Double.isNaN(Metric.MEMORY_LIMIT_BYTES.of(s)), "no limit");
		assertEquals(100.0, Metric.MEMORY_MAX_BYTES.of(s), "the peak of a point's samples, not the kernel's");
		assertEquals(50.0, Metric.PIDS_LIMIT.of(s));
		assertEquals(7.0, Metric.THROTTLED_PERIODS.of(s));
		assertEquals(1.0, Metric.PIDS_LIMIT_HITS.of(s));
		assertEquals(Metric.values().length, Arrays.stream(Metric.values()).map(Metric::column).distinct().count());
	}

	@Test
	void csvHasAHeaderAndARowPerPoint() {
		UsageHistory h = new UsageHistory() {
			@Override
			public String name() {
				return "web,1";
			}

			@Override
			public List<Tier> tiers() {
				return Tier.DEFAULTS;
			}

			@Override
			public int size(Tier tier) {
				return 1;
			}

			@Override
			public long version() {
				return 1;
			}

			@Override
			public Optional<UsageSample> latest() {
				return Optional.empty();
			}

			@Override
			public int read(Tier tier, long since, long[] times, Metric[] metrics, double[][] values) {
				times[0] = 1_000;
				for (int k = 0; k < metrics.length; k++) {
					values[k][0] = metrics[k] == Metric.CPU_PERCENT ? 12.3456 : metrics[k].ordinal() == 1
							? Double.NaN : 1024;
				}
				return 1;
			}
		};
		List<String> lines = UsageCsv.toString(List.of(h), Tier.DEFAULTS.get(0), 0).lines().toList();
		assertEquals(2, lines.size());
		assertTrue(lines.get(0).startsWith("time,container,cpu_percent,cpu_quota_percent,throttled_percent,"
				+ "memory_bytes,memory_max_bytes,memory_limit_bytes,pids,pids_limit,"), lines.get(0));
		assertTrue(lines.get(1).startsWith("1970-01-01T00:00:01Z,\"web,1\",12.346,,1024,1024,"), lines.get(1));
		assertEquals(lines.get(0).split(",").length, lines.get(1).replace("\"web,1\"", "web").split(",", -1).length);
	}
}
