package org.berth.core;

import java.util.Objects;

/**
 * One sample of a running container as the sampler saw it: the counters ({@link Usage}) and the rates between this
 * sample and the one before. A rate that cannot be told (the counter is not available on this host, or there is no
 * quota) is {@code NaN}.
 *
 * @param usage                 the counters as read (totals since the container started)
 * @param cpuPercent            CPU used, in percent of the whole host (100 = every online CPU busy)
 * @param cpuQuotaPercent       CPU used, in percent of the container's own CPU quota; NaN without a quota
 * @param throttledPercent      share of the time the CPU quota held the container back, in percent
 * @param netRxBytesPerSecond   received on the container's interfaces; NaN when it has the host's network
 * @param netTxBytesPerSecond   sent
 * @param ioReadBytesPerSecond  read from block devices
 * @param ioWriteBytesPerSecond written to block devices
 */
public record UsageSample(Usage usage, double cpuPercent, double cpuQuotaPercent, double throttledPercent,
		double netRxBytesPerSecond, double netTxBytesPerSecond, double ioReadBytesPerSecond,
		double ioWriteBytesPerSecond) {

	public UsageSample {
		Objects.requireNonNull(usage, "usage");
	}
}
