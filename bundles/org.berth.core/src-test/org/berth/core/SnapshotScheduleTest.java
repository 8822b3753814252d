package org.berth.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class SnapshotScheduleTest {

	private static final Instant T0 = Instant.parse("2026-12-03T00:00:00Z");

	@Test
	void periodsInWordsAndUnits() {
		assertEquals(Duration.ofDays(1), SnapshotSchedule.parseEvery("daily"));
		assertEquals(Duration.ofHours(6), SnapshotSchedule.parseEvery(" 6H "));
		assertEquals(Duration.ofDays(14), SnapshotSchedule.parseEvery("2w"));
		assertEquals("6h", new SnapshotSchedule(Duration.ofHours(6), 3).everyText());
		assertEquals("1w", new SnapshotSchedule(Duration.ofDays(7), 3).everyText());
		assertEquals("90m", new SnapshotSchedule(Duration.ofMinutes(90), 3).everyText());
		String bad = assertThrows(IllegalArgumentException.class, () -> SnapshotSchedule.parseEvery("often"))
				.getMessage();
		assertTrue(bad.contains("\"often\" is not a period"), bad);
		assertThrows(IllegalArgumentException.class, () -> new SnapshotSchedule(Duration.ofSeconds(10), 3));
		assertThrows(IllegalArgumentException.class, () -> new SnapshotSchedule(Duration.ofHours(1), 0));
	}

	@Test
	void dueAfterThePeriodAndTheOldestGoFirst() {
		SnapshotSchedule s = new SnapshotSchedule(Duration.ofHours(1), 2);
		assertTrue(s.due(List.of(), T0), "none yet");
		assertFalse(s.due(List.of(T0), T0.plus(Duration.ofMinutes(50))));
		assertTrue(s.due(List.of(T0), T0.plus(Duration.ofMinutes(60)).minusSeconds(10)), "a tick early is on time");
		assertTrue(s.due(List.of(T0.minus(Duration.ofHours(5)), T0), T0.plus(Duration.ofHours(1))));
		List<Instant> three = List.of(T0.plusSeconds(20), T0, T0.plusSeconds(10));
		assertEquals(List.of(T0), s.surplus(three, i -> i));
		assertEquals(List.of(), s.surplus(List.of(T0), i -> i));
	}
}
