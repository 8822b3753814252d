package org.berth.core.linux.internal.cgroup;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CgroupLimitsTest {

	@Test
	void invalidLimitsAreRefusedWithASentence() {
		assertEquals("The memory+swap limit needs a memory limit and must not be below it.",
				assertThrows(IllegalArgumentException.class,
						() -> new CgroupLimits(null, 1L << 30, null, null, null, null, null)).getMessage());
		assertThrows(IllegalArgumentException.class,
				() -> new CgroupLimits(64L << 20, 32L << 20, null, null, null, null, null));
		assertThrows(IllegalArgumentException.class,
				() -> new CgroupLimits(100L, null, null, null, null, null, null));
		assertThrows(IllegalArgumentException.class,
				() -> new CgroupLimits(null, null, 999L, null, null, null, null));
		assertThrows(IllegalArgumentException.class,
				() -> new CgroupLimits(null, null, null, 2_000_000L, null, null, null));
		assertEquals("The CPU weight must be between 1 and 10000, not 0.", assertThrows(IllegalArgumentException.class,
				() -> new CgroupLimits(null, null, null, null, 0, null, null)).getMessage());
		assertThrows(IllegalArgumentException.class,
				() -> new CgroupLimits(null, null, null, null, null, "0-1;rm", null));
		assertThrows(IllegalArgumentException.class,
				() -> new CgroupLimits(null, null, null, null, null, null, 0L));
	}

	@Test
	void weightBecomesSharesKeepingTheDefault() {
		assertEquals(1024, CgroupLimits.unlimited().cpuShares());
		assertEquals(1024, new CgroupLimits(null, null, null, null, 100, null, null).cpuShares());
		assertEquals(2048, new CgroupLimits(null, null, null, null, 200, null, null).cpuShares());
		assertEquals(10, new CgroupLimits(null, null, null, null, 1, null, null).cpuShares());
		assertEquals(102400, new CgroupLimits(null, null, null, null, 10000, null, null).cpuShares());
		assertEquals(100_000, CgroupLimits.unlimited().effectiveCpuPeriod());
		assertEquals(50_000, new CgroupLimits(null, null, 25_000L, 50_000L, null, "0-1,3", null).effectiveCpuPeriod());
	}
}
