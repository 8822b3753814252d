package org.berth.core.linux.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.berth.core.Limits;
import org.junit.jupiter.api.Test;

/** Which CPUs a container with a whole number of CPUs is pinned to (pure). */
class CpuPlacementTest {

	private static final List<Integer> FOUR = List.of(0, 1, 2, 3);

	@Test
	void aWholeNumberBelowTheHostsCountPinsToTheLeastLoadedCpus() {
		assertEquals(Optional.of("0"), CpuPlacement.pin(Limits.NONE.withCpus(1.0), FOUR, Map.of()));
		assertEquals(Optional.of("1"), CpuPlacement.pin(Limits.NONE.withCpus(1.0), FOUR, Map.of(0, 1)));
		assertEquals(Optional.of("2-3"), CpuPlacement.pin(Limits.NONE.withCpus(2.0), FOUR, Map.of(0, 2, 1, 1)));
		assertEquals(Optional.of("1,3"), CpuPlacement.pin(Limits.NONE.withCpus(2.0), FOUR, Map.of(0, 1, 2, 1)));
	}

	@Test
	void aFractionAGivenCpusetOrAllCpusAreLeftAlone() {
		assertEquals(Optional.empty(), CpuPlacement.pin(Limits.NONE.withCpus(1.5), FOUR, Map.of()));
		assertEquals(Optional.empty(), CpuPlacement.pin(Limits.NONE.withCpus(0.5), FOUR, Map.of()));
		assertEquals(Optional.empty(), CpuPlacement.pin(Limits.NONE.withCpus(4.0), FOUR, Map.of()));
		assertEquals(Optional.empty(), CpuPlacement.pin(Limits.NONE.withCpus(1.0).withCpuset("3"), FOUR, Map.of()));
		assertEquals(Optional.empty(), CpuPlacement.pin(Limits.NONE, FOUR, Map.of()));
		Limits given = Limits.NONE.withCpus(1.0).withCpuset("2");
		assertEquals(given, CpuPlacement.effective(given, FOUR, Map.of()));
		assertEquals("0", CpuPlacement.effective(Limits.NONE.withCpus(1.0), FOUR, Map.of()).cpuset());
	}

	@Test
	void cpuListsAsTheKernelWritesThem() {
		assertEquals(List.of(0, 1, 2, 5), CpuPlacement.parse("0-2,5\n"));
		assertEquals(List.of(), CpuPlacement.parse(""));
		assertEquals(List.of(3), CpuPlacement.parse("x,3"));
		assertEquals("0-2,5", CpuPlacement.format(List.of(0, 1, 2, 5)));
		assertEquals("1,3", CpuPlacement.format(List.of(1, 3)));
		assertEquals("", CpuPlacement.format(List.of()));
	}
}
