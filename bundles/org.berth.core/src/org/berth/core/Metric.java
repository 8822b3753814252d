package org.berth.core;

/**
 * What a {@link UsageHistory} keeps for every point. {@code NaN} means "not known" (for a limit: "no limit").
 * Cumulative counters (OOM kills, throttled periods, pids limit hits) count since the container's current run
 * started, like OpenVZ's failcnt.
 */
public enum Metric {
	CPU_PERCENT("cpu_percent", "%", Aggregation.AVERAGE),
	CPU_QUOTA_PERCENT("cpu_quota_percent", "%", Aggregation.AVERAGE),
	THROTTLED_PERCENT("throttled_percent", "%", Aggregation.AVERAGE),
	MEMORY_BYTES("memory_bytes", "B", Aggregation.AVERAGE),
	/** The highest memory use among the samples of a point. */
	MEMORY_MAX_BYTES("memory_max_bytes", "B", Aggregation.MAXIMUM),
	MEMORY_LIMIT_BYTES("memory_limit_bytes", "B", Aggregation.LAST),
	PIDS("pids", "", Aggregation.AVERAGE),
	PIDS_LIMIT("pids_limit", "", Aggregation.LAST),
	NET_RX_BYTES_PER_SECOND("net_rx_bytes_per_second", "B/s", Aggregation.AVERAGE),
	NET_TX_BYTES_PER_SECOND("net_tx_bytes_per_second", "B/s", Aggregation.AVERAGE),
	IO_READ_BYTES_PER_SECOND("io_read_bytes_per_second", "B/s", Aggregation.AVERAGE),
	IO_WRITE_BYTES_PER_SECOND("io_write_bytes_per_second", "B/s", Aggregation.AVERAGE),
	OOM_KILLS("oom_kills", "", Aggregation.LAST),
	THROTTLED_PERIODS("throttled_periods", "", Aggregation.LAST),
	PIDS_LIMIT_HITS("pids_limit_hits", "", Aggregation.LAST);

	/** How the samples inside one point of a coarser tier become its value. */
	public enum Aggregation {
		/** The mean of the known values. */
		AVERAGE,
		/** The largest known value (peaks must survive downsampling). */
		MAXIMUM,
		/** The latest known value (limits and cumulative counters). */
		LAST
	}

	private final String column;
	private final String unit;
	private final Aggregation aggregation;

	Metric(String column, String unit, Aggregation aggregation) {
		this.column = column;
		this.unit = unit;
		this.aggregation = aggregation;
	}

	/** The name of its CSV column, e.g. {@code cpu_percent}. An interface: never renamed. */
	public String column() {
		return column;
	}

	/** "%", "B", "B/s" or "" for a count. */
	public String unit() {
		return unit;
	}

	public Aggregation aggregation() {
		return aggregation;
	}

	/** This metric's value in one sample; NaN when not known. */
	public double of(UsageSample s) {
		Usage u = s.usage();
		return switch (this) {
			case CPU_PERCENT -> s.cpuPercent();
			case CPU_QUOTA_PERCENT -> s.cpuQuotaPercent();
			case THROTTLED_PERCENT -> s.throttledPercent();
			case MEMORY_BYTES, MEMORY_MAX_BYTES -> known(u.memoryBytes());
			case MEMORY_LIMIT_BYTES -> known(u.memoryLimitBytes());
			case PIDS -> known(u.pids());
			case PIDS_LIMIT -> known(u.pidsLimit());
			case NET_RX_BYTES_PER_SECOND -> s.netRxBytesPerSecond();
			case NET_TX_BYTES_PER_SECOND -> s.netTxBytesPerSecond();
			case IO_READ_BYTES_PER_SECOND -> s.ioReadBytesPerSecond();
			case IO_WRITE_BYTES_PER_SECOND -> s.ioWriteBytesPerSecond();
			case OOM_KILLS -> known(u.oomKills());
			case THROTTLED_PERIODS -> known(u.cpuThrottledPeriods());
			case PIDS_LIMIT_HITS -> known(u.pidsLimitHits());
		};
	}

	/** Counters and limits use -1 for "not known" or "none". */
	private static double known(long value) {
		return value < 0 ? Double.NaN : value;
	}
}
