package org.berth.core;

import java.time.Instant;

/**
 * One sample of a container's resource counters. Counters are totals since the container started; rates are the
 * sampler's business.
 *
 * @param at                   when it was sampled
 * @param cpuNanos             CPU time used
 * @param memoryBytes          memory in use
 * @param memoryPeakBytes      the most memory used
 * @param memoryLimitBytes     the memory limit; -1 = none
 * @param pids                 processes and threads
 * @param pidsLimit            the pids limit; -1 = none
 * @param oomKills             processes killed by the OOM killer
 * @param pidsLimitHits        forks refused by the pids limit
 * @param netRxBytes           bytes received on the container's interfaces; -1 when it has the host's network
 *                             namespace (the counters there are the whole host's, not the container's)
 * @param netTxBytes           bytes sent; -1 likewise
 * @param ioReadBytes          bytes read from block devices
 * @param ioWriteBytes         bytes written to block devices
 * @param cpuThrottledPeriods  periods in which the CPU quota throttled the container
 * @param cpuThrottledNanos    time spent throttled
 */
public record Usage(Instant at, long cpuNanos, long memoryBytes, long memoryPeakBytes, long memoryLimitBytes,
		long pids, long pidsLimit, long oomKills, long pidsLimitHits, long netRxBytes, long netTxBytes,
		long ioReadBytes, long ioWriteBytes, long cpuThrottledPeriods, long cpuThrottledNanos) {

	/** Whether a memory limit is set. */
	public boolean hasMemoryLimit() {
		return memoryLimitBytes >= 0;
	}

	/** Whether the network counters are the container's own, not the host's (see {@code netRxBytes}). */
	public boolean hasOwnNetwork() {
		return netRxBytes >= 0;
	}

	/** Whether a pids limit is set. */
	public boolean hasPidsLimit() {
		return pidsLimit >= 0;
	}
}
