package org.berth.ui.charts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.berth.core.Tier;
import org.berth.core.testing.ListHistory;
import org.junit.jupiter.api.Test;

class GraphDataTest {

	private static final long NOW = 1_700_000_000_000L;
	private static final long MIB = 1024 * 1024;

	private static GraphData.Line line(GraphData.Frame f, ChartKind kind, String id) {
		return f.lines().get(kind).stream().filter(l -> l.id().equals(id)).findFirst()
				.orElseThrow(() -> new AssertionError("no line " + id + " in " + kind));
	}

	@Test
	void linesAreInSecondsBeforeNowAndInTheChartsUnit() {
		ListHistory web = new ListHistory("web")
				.add(NOW - 2000, ListHistory.sample(10, Double.NaN, 64 * MIB, 256 * MIB, 4, 100, 2048, Double.NaN, 0))
				.add(NOW - 1000, ListHistory.sample(30, Double.NaN, 96 * MIB, 256 * MIB, 5, 100, 4096, Double.NaN, 0));
		GraphData.Frame f = GraphData.compute(List.of(web), Tier.DEFAULTS, Duration.ofMinutes(1), NOW);
		assertEquals(-60.0, f.xMin());
		assertEquals("seconds ago", f.xUnit());
		GraphData.Line cpu = line(f, ChartKind.CPU, "web");
		assertArrayEquals(new double[]{-2, -1}, cpu.x());
		assertArrayEquals(new double[]{10, 30}, cpu.y());
		assertArrayEquals(new double[]{64, 96}, line(f, ChartKind.MEMORY, "web").y(), "MiB");
		assertArrayEquals(new double[]{2, 4}, line(f, ChartKind.NETWORK, "web rx").y(), "KiB/s");
		assertEquals(0, line(f, ChartKind.NETWORK, "web tx").x().length, "unknown values are left out");
		assertEquals(1, line(f, ChartKind.NETWORK, "web tx").metric());
	}

	@Test
	void limitsAreHorizontalLinesAcrossTheRange() {
		ListHistory web = new ListHistory("web")
				.add(NOW - 1000, ListHistory.sample(10, 40, 64 * MIB, 256 * MIB, 4, 100, 0, 0, 0));
		GraphData.Frame f = GraphData.compute(List.of(web), Tier.DEFAULTS, Duration.ofMinutes(10), NOW);
		GraphData.Line memory = line(f, ChartKind.MEMORY, "web limit");
		assertTrue(memory.limit());
		assertArrayEquals(new double[]{-600, 0}, memory.x());
		assertArrayEquals(new double[]{256, 256}, memory.y());
		assertArrayEquals(new double[]{100, 100}, line(f, ChartKind.PIDS, "web limit").y());
		// 10 % of the host is 40 % of the quota: the quota is 25 % of the host
		assertArrayEquals(new double[]{25, 25}, line(f, ChartKind.CPU, "web limit").y(), 1e-9);
	}

	@Test
	void noLimitNoLine() {
		ListHistory db = new ListHistory("db")
				.add(NOW - 1000, ListHistory.sample(10, Double.NaN, 64 * MIB, -1, 4, -1, 0, 0, 0));
		GraphData.Frame f = GraphData.compute(List.of(db), Tier.DEFAULTS, Duration.ofMinutes(1), NOW);
		for (ChartKind k : ChartKind.values()) {
			assertTrue(f.lines().get(k).stream().noneMatch(GraphData.Line::limit), k.name());
		}
	}

	@Test
	void severalContainersAreOverlaid() {
		ListHistory a = new ListHistory("a").add(NOW - 1000,
				ListHistory.sample(1, Double.NaN, MIB, -1, 1, -1, 0, 0, 0));
		ListHistory b = new ListHistory("b").add(NOW - 1000,
				ListHistory.sample(2, Double.NaN, MIB, -1, 1, -1, 0, 0, 0));
		GraphData.Frame f = GraphData.compute(List.of(a, b), Tier.DEFAULTS, Duration.ofMinutes(1), NOW);
		assertEquals(List.of("a", "b"), f.lines().get(ChartKind.CPU).stream().map(GraphData.Line::id).toList());
		assertEquals(List.of("a rx", "a tx", "b rx", "b tx"),
				f.lines().get(ChartKind.NETWORK).stream().map(GraphData.Line::id).toList());
	}

	@Test
	void onlyTheRangeIsShownAndLongRangesUseLargerUnits() {
		ListHistory web = new ListHistory("web")
				.add(NOW - 2 * 3600_000, ListHistory.sample(5, Double.NaN, MIB, -1, 1, -1, 0, 0, 0))
				.add(NOW - 1800_000, ListHistory.sample(7, Double.NaN, MIB, -1, 1, -1, 0, 0, 0));
		GraphData.Frame hour = GraphData.compute(List.of(web), Tier.DEFAULTS, Duration.ofHours(1), NOW);
		assertEquals("minutes ago", hour.xUnit());
		assertArrayEquals(new double[]{-30}, line(hour, ChartKind.CPU, "web").x());
		GraphData.Frame day = GraphData.compute(List.of(web), Tier.DEFAULTS, Duration.ofHours(24), NOW);
		assertEquals("hours ago", day.xUnit());
		assertArrayEquals(new double[]{-2, -0.5}, line(day, ChartKind.CPU, "web").x());
		assertEquals(-24.0, day.xMin());
	}

	@Test
	void labels() {
		assertEquals(List.of("1 min", "10 min", "1 h", "24 h"), GraphData.RANGES.stream().map(GraphData::label)
				.toList());
	}
}
