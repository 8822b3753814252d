package org.berth.core.linux.internal.cgroup;

/**
 * One reading of a group's counters and limits. Counters are cumulative since the group was created; a
 * sampler turns them into rates. A value the host cannot tell (controller not mounted or not enabled) is -1.
 * For the limits, -1 means no limit.
 *
 * @param cpuUsageNanos   CPU time used (v1 {@code cpuacct.usage}, v2 {@code cpu.stat usage_usec})
 * @param memoryCurrent   bytes charged now (v1 {@code memory.usage_in_bytes}, v2 {@code memory.current})
 * @param memoryPeak      highest charge seen (v1 {@code memory.max_usage_in_bytes}, v2 {@code memory.peak})
 * @param memoryLimit     the memory limit, -1 for none
 * @param memorySwapLimit the memory+swap limit, -1 for none (v2: {@code memory.max + memory.swap.max})
 * @param oomKills        processes killed by the OOM killer in this group (v1 {@code memory.oom_control
 *                        oom_kill}, v2 {@code memory.events oom_kill}); not failcnt, which stays 0
 * @param pidsLimitHits   forks refused by {@code pids.max} ({@code pids.events max})
 * @param ioReadBytes     v2 {@code io.stat rbytes}; v1 blkio, which counts only throttled devices
 * @param throttledNanos  time the group was throttled by its CPU quota
 */
public record CgroupStats(long cpuUsageNanos, long memoryCurrent, long memoryPeak, long memoryLimit,
		long memorySwapLimit, long oomKills, long pidsCurrent, long pidsLimit, long pidsLimitHits,
		long ioReadBytes, long ioWriteBytes, long throttledPeriods, long throttledNanos) {
}
