package org.berth.core.linux.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.berth.core.IdMap;
import org.junit.jupiter.api.Test;

class IdRangesTest {

	private static final IdRanges SETUP = new IdRanges(List.of(new IdRanges.Range(1_000_000, 1_000_000_000)),
			List.of(new IdRanges.Range(1_000_000, 1_000_000_000)));

	@Test
	void rootsLinesAreFoundByNameOrUidAndOthersSkipped() {
		assertEquals(List.of(new IdRanges.Range(1_000_000, 1_000_000_000), new IdRanges.Range(5_000_000_000L, 65536)),
				IdRanges.rootRanges(List.of("alice:100000:65536", "root:1000000:1000000000", "# comment",
						"root:x:65536", "0:5000000000:65536", "root:0:10", "")));
		assertEquals(List.of(), IdRanges.rootRanges(List.of("bob:165536:65536")));
	}

	@Test
	void theFirstBlockIsTheFirstAlignedOneInTheRange() {
		assertEquals(Optional.of(new IdMap(0, 1_048_576, 65536)), SETUP.allocate(List.of()));
	}

	@Test
	void blocksInUseAreSkippedAndAGapIsReused() {
		List<IdMap> used = List.of(new IdMap(0, 1_048_576, 65536), new IdMap(0, 1_179_648, 65536));
		assertEquals(Optional.of(new IdMap(0, 1_114_112, 65536)), SETUP.allocate(used), "the gap between them");
		List<IdMap> full = List.of(new IdMap(0, 1_048_576, 65536), new IdMap(0, 1_114_112, 65536));
		assertEquals(Optional.of(new IdMap(0, 1_179_648, 65536)), SETUP.allocate(full));
	}

	@Test
	void aMapThatStraddlesBlocksBlocksBoth() {
		List<IdMap> used = List.of(new IdMap(0, 1_100_000, 65536)); // 1100000..1165535: blocks 16 and 17
		assertEquals(Optional.of(new IdMap(0, 1_179_648, 65536)), SETUP.allocate(used));
	}

	@Test
	void theBlockMustLieInAGidRangeToo() {
		IdRanges ranges = new IdRanges(List.of(new IdRanges.Range(65536, 4 * 65536)),
				List.of(new IdRanges.Range(3 * 65536, 65536)));
		assertEquals(Optional.of(new IdMap(0, 3 * 65536, 65536)), ranges.allocate(List.of()));
	}

	@Test
	void aFullRangeGivesNothing() {
		IdRanges one = new IdRanges(List.of(new IdRanges.Range(65536, 65536)),
				List.of(new IdRanges.Range(65536, 65536)));
		assertEquals(Optional.empty(), one.allocate(List.of(new IdMap(0, 65536, 1))));
		IdRanges tooSmall = new IdRanges(List.of(new IdRanges.Range(100000, 65536)),
				List.of(new IdRanges.Range(100000, 65536)));
		assertEquals(Optional.empty(), tooSmall.allocate(List.of()), "no aligned block fits in 100000..165535");
	}
}
