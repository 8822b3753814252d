package org.berth.core;

/**
 * Counters to rates, pure. Every counter is cumulative since its cgroup was made; a counter that went down was
 * reset (the container restarted in a fresh cgroup, or a network interface was re-created), so what it reads now
 * is what accrued since the reset. A counter the host cannot tell is -1 and gives a NaN rate.
 */
public final class Rates {

	private Rates() {
	}

	/** What a counter grew by; {@code current} itself after a reset; -1 when either reading is unknown. */
	public static long delta(long previous, long current) {
		if (previous < 0 || current < 0) {
			return -1;
		}
		return current >= previous ? current - previous : current;
	}

	/** Growth per second; NaN when unknown or no time passed. */
	public static double perSecond(long previous, long current, long elapsedNanos) {
		long d = delta(previous, current);
		if (d < 0 || elapsedNanos <= 0) {
			return Double.NaN;
		}
		return d * 1e9 / elapsedNanos;
	}

	/**
	 * CPU time used in {@code elapsedNanos} of wall time as a percentage of {@code cpus} CPUs (the host's online
	 * CPUs, or a quota such as 0.5); NaN when unknown.
	 */
	public static double cpuPercent(long previousNanos, long currentNanos, long elapsedNanos, double cpus) {
		long d = delta(previousNanos, currentNanos);
		if (d < 0 || elapsedNanos <= 0 || !(cpus > 0)) {
			return Double.NaN;
		}
		return 100.0 * d / (elapsedNanos * cpus);
	}

	/**
	 * The sample made of two readings {@code elapsedNanos} apart.
	 *
	 * @param onlineCpus the host's online CPUs
	 * @param quotaCpus  the container's CPU quota in CPUs, or null for none
	 */
	public static UsageSample sample(Usage previous, Usage current, long elapsedNanos, int onlineCpus,
			Double quotaCpus) {
		return new UsageSample(current,
				cpuPercent(previous.cpuNanos(), current.cpuNanos(), elapsedNanos, onlineCpus),
				quotaCpus == null ? Double.NaN
						: cpuPercent(previous.cpuNanos(), current.cpuNanos(), elapsedNanos, quotaCpus),
				cpuPercent(previous.cpuThrottledNanos(), current.cpuThrottledNanos(), elapsedNanos, 1),
				perSecond(previous.netRxBytes(), current.netRxBytes(), elapsedNanos),
				perSecond(previous.netTxBytes(), current.netTxBytes(), elapsedNanos),
				perSecond(previous.ioReadBytes(), current.ioReadBytes(), elapsedNanos),
				perSecond(previous.ioWriteBytes(), current.ioWriteBytes(), elapsedNanos));
	}
}
