package org.berth.ui.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.berth.core.Usage;
import org.berth.core.UsageSample;
import org.junit.jupiter.api.Test;

class LimitHitsTest {

	private static LimitHitsView.Row row(long oomKills, long throttledPeriods, long throttledNanos, long pidsHits) {
		Usage u = new Usage(Instant.EPOCH, 0, 1, 32 * 1024 * 1024, -1, 1, -1, oomKills, pidsHits, 0, 0, 0, 0,
				throttledPeriods, throttledNanos);
		return new LimitHitsView.Row("hog", "running", new UsageSample(u, 0, Double.NaN, 0, 0, 0, 0, 0));
	}

	@Test
	void cellsShowTheCountsSinceStart() {
		LimitHitsView.Row r = row(2, 15, 1_250_000_000L, 0);
		assertEquals("hog", LimitHitsView.cell(r, 0));
		assertEquals("running", LimitHitsView.cell(r, 1));
		assertEquals("2", LimitHitsView.cell(r, 2));
		assertEquals("15", LimitHitsView.cell(r, 3));
		assertEquals("1.25 s", LimitHitsView.cell(r, 4));
		assertEquals("0", LimitHitsView.cell(r, 5));
		assertEquals("32 MiB", LimitHitsView.cell(r, 6));
		assertTrue(LimitHitsView.isHit(r, 2));
		assertTrue(LimitHitsView.isHit(r, 3));
		assertFalse(LimitHitsView.isHit(r, 5));
	}

	@Test
	void unknownAndNotYetSampledShowADash() {
		assertEquals("-", LimitHitsView.cell(row(-1, 0, 0, 0), 2));
		LimitHitsView.Row none = new LimitHitsView.Row("new", "running", null);
		assertEquals("-", LimitHitsView.cell(none, 3));
		assertFalse(LimitHitsView.isHit(none, 2));
	}
}
