package org.berth.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class RatesTest {

	private static final long SECOND = 1_000_000_000L;

	@Test
	void aGrowingCounterGivesItsGrowth() {
		assertEquals(150, Rates.delta(1000, 1150));
		assertEquals(0, Rates.delta(7, 7));
		assertEquals(300.0, Rates.perSecond(1000, 1600, 2 * SECOND), 1e-9);
	}

	@Test
	void aCounterThatWentDownWasResetAndCountsFromZero() {
		// the container restarted in a fresh cgroup: 5000 before, 120 accrued since the reset
		assertEquals(120, Rates.delta(5000, 120));
		assertEquals(120.0, Rates.perSecond(5000, 120, SECOND), 1e-9);
		assertTrue(Rates.perSecond(5000, 120, SECOND) >= 0, "never a negative rate");
	}

	@Test
	void unknownCountersAndNoElapsedTimeGiveNaN() {
		assertEquals(-1, Rates.delta(-1, 10));
		assertEquals(-1, Rates.delta(10, -1));
		assertTrue(Double.isNaN(Rates.perSecond(-1, 10, SECOND)));
		assertTrue(Double.isNaN(Rates.perSecond(1, 10, 0)));
		assertTrue(Double.isNaN(Rates.cpuPercent(0, SECOND, SECOND, 0)));
	}

	@Test
	void cpuPercentIsOfTheWholeHostAndOfTheQuota() {
		// one CPU busy for a second on a 4-CPU host: 25 % of the host, 200 % of a half-CPU quota
		assertEquals(25.0, Rates.cpuPercent(10 * SECOND, 11 * SECOND, SECOND, 4), 1e-9);
		assertEquals(200.0, Rates.cpuPercent(10 * SECOND, 11 * SECOND, SECOND, 0.5), 1e-9);
	}

	@Test
	void aSampleAcrossARestart() {
		Usage before = usage(50 * SECOND, 1 << 20, 9000, 4000, 1 << 30, 0, 5 * SECOND);
		Usage after = usage(SECOND / 2, 2 << 20, 100, 50, 4096, 2, 0);
		UsageSample s = Rates.sample(before, after, SECOND, 2, 1.0);
		assertEquals(25.0, s.cpuPercent(), 1e-9, "half a CPU second since the reset, of 2 CPUs");
		assertEquals(50.0, s.cpuQuotaPercent(), 1e-9);
		assertEquals(100.0, s.netRxBytesPerSecond(), 1e-9);
		assertEquals(50.0, s.netTxBytesPerSecond(), 1e-9);
		assertEquals(4096.0, s.ioReadBytesPerSecond(), 1e-9);
		assertEquals(0.0, s.throttledPercent(), 1e-9);
		assertEquals(after, s.usage());
	}

	@Test
	void withoutQuotaOrOwnNetworkThoseRatesAreNaN() {
		Usage a = usage(0, 0, -1, -1, 0, 0, 0);
		Usage b = usage(SECOND, 0, -1, -1, 0, 0, SECOND / 4);
		UsageSample s = Rates.sample(a, b, SECOND, 1, null);
		assertTrue(Double.isNaN(s.cpuQuotaPercent()));
		assertTrue(Double.isNaN(s.netRxBytesPerSecond()));
		assertEquals(100.0, s.cpuPercent(), 1e-9);
		assertEquals(25.0, s.throttledPercent(), 1e-9);
	}

	static Usage usage(long cpu, long memory, long rx, long tx, long ioRead, long oomKills, long throttledNanos) {
		return new Usage(Instant.EPOCH, cpu, memory, memory, -1, 1, -1, oomKills, 0, rx, tx, ioRead, 0, 0,
				throttledNanos);
	}
}
