package org.berth.core.linux.internal.cgroup;

/**
 * The limits a driver writes. {@code null} means unlimited ("max" in v2, -1 in v1); {@link Group#apply}
 * writes every field, so applying {@link #unlimited()} lifts all limits.
 *
 * @param memoryBytes     memory limit (v1 {@code memory.limit_in_bytes}, v2 {@code memory.max})
 * @param memorySwapBytes memory plus swap, as in v1 {@code memory.memsw.limit_in_bytes}; needs memoryBytes
 *                        and is at least as large. v2 gets {@code memory.swap.max = memorySwapBytes - memoryBytes}
 * @param cpuQuotaMicros  CPU time per period (v1 {@code cpu.cfs_quota_us}, v2 first field of {@code cpu.max})
 * @param cpuPeriodMicros the period; 100000 when null
 * @param cpuWeight       v2 weight 1..10000 (default 100). v1 gets {@code cpu.shares = weight * 1024 / 100},
 *                        which keeps the ratios between groups; null means the default
 * @param cpuset          CPUs such as {@code 0-1,3}; null means all the parent has
 * @param pidsMax         the number of tasks (v1 and v2 {@code pids.max})
 */
public record CgroupLimits(Long memoryBytes, Long memorySwapBytes, Long cpuQuotaMicros, Long cpuPeriodMicros,
		Integer cpuWeight, String cpuset, Long pidsMax) {

	public static final long DEFAULT_CPU_PERIOD_MICROS = 100_000;
	public static final int DEFAULT_CPU_WEIGHT = 100;
	static final int DEFAULT_CPU_SHARES = 1024;

	/** No limit at all: what a freshly made group already has, so there is nothing to write. */
	public static final CgroupLimits NONE = new CgroupLimits(null, null, null, null, null, null, null);

	public CgroupLimits {
		if (memoryBytes != null && memoryBytes < 4096) {
			throw new IllegalArgumentException("The memory limit must be at least 4 KiB, not " + memoryBytes
					+ " bytes.");
		}
		if (memorySwapBytes != null && (memoryBytes == null || memorySwapBytes < memoryBytes)) {
			throw new IllegalArgumentException("The memory+swap limit needs a memory limit and must not be below"
					+ " it.");
		}
		if (cpuQuotaMicros != null && cpuQuotaMicros < 1000) {
			throw new IllegalArgumentException("The CPU quota must be at least 1000 µs per period, not "
					+ cpuQuotaMicros + ".");
		}
		if (cpuPeriodMicros != null && (cpuPeriodMicros < 1000 || cpuPeriodMicros > 1_000_000)) {
			throw new IllegalArgumentException("The CPU period must be between 1000 µs and 1 s, not "
					+ cpuPeriodMicros + " µs.");
		}
		if (cpuWeight != null && (cpuWeight < 1 || cpuWeight > 10_000)) {
			throw new IllegalArgumentException("The CPU weight must be between 1 and 10000, not " + cpuWeight + ".");
		}
		if (cpuset != null && !cpuset.matches("\\d+(-\\d+)?(,\\d+(-\\d+)?)*")) {
			throw new IllegalArgumentException("The CPU set must look like 0-3,6, not '" + cpuset + "'.");
		}
		if (pidsMax != null && pidsMax < 1) {
			throw new IllegalArgumentException("The process limit must be at least 1, not " + pidsMax + ".");
		}
	}

	/** No limit at all. */
	public static CgroupLimits unlimited() {
		return new CgroupLimits(null, null, null, null, null, null, null);
	}

	/** The period written: the given one or 100000 µs. */
	long effectiveCpuPeriod() {
		return cpuPeriodMicros != null ? cpuPeriodMicros : DEFAULT_CPU_PERIOD_MICROS;
	}

	/** v1 {@code cpu.shares} for the weight: 1024 at the default weight 100, proportional otherwise. */
	int cpuShares() {
		return cpuWeight == null ? DEFAULT_CPU_SHARES : Math.max(2, cpuWeight * DEFAULT_CPU_SHARES / 100);
	}
}
