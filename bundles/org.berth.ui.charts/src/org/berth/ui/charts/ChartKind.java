package org.berth.ui.charts;

import java.util.List;

import org.berth.core.Metric;

/** The charts of the graphs view: what each shows, in which unit, and which limit it draws as a line. */
public enum ChartKind {
	CPU("CPU", "% of host", 1, List.of(Metric.CPU_PERCENT), List.of("")),
	MEMORY("Memory", "MiB", 1024.0 * 1024, List.of(Metric.MEMORY_BYTES), List.of("")),
	PIDS("Processes", "pids", 1, List.of(Metric.PIDS), List.of("")),
	NETWORK("Network", "KiB/s", 1024, List.of(Metric.NET_RX_BYTES_PER_SECOND, Metric.NET_TX_BYTES_PER_SECOND),
			List.of(" rx", " tx")),
	IO("Block IO", "KiB/s", 1024, List.of(Metric.IO_READ_BYTES_PER_SECOND, Metric.IO_WRITE_BYTES_PER_SECOND),
			List.of(" read", " write"));

	private final String title;
	private final String unit;
	private final double divisor;
	private final List<Metric> metrics;
	private final List<String> suffixes;

	ChartKind(String title, String unit, double divisor, List<Metric> metrics, List<String> suffixes) {
		this.title = title;
		this.unit = unit;
		this.divisor = divisor;
		this.metrics = metrics;
		this.suffixes = suffixes;
	}

	public String title() {
		return title;
	}

	/** The unit of the y axis. */
	public String unit() {
		return unit;
	}

	/** What a metric's value is divided by to be in {@link #unit()}. */
	public double divisor() {
		return divisor;
	}

	/** The metrics drawn, one line each per container. */
	public List<Metric> metrics() {
		return metrics;
	}

	/** What is put after the container's name in the legend for each metric. */
	public String suffix(int metric) {
		return suffixes.get(metric);
	}
}
