package org.berth.ui.charts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.berth.core.Metric;
import org.berth.core.Tier;
import org.berth.core.UsageHistory;

/**
 * What the graphs show at one moment, made off the UI thread from the histories: per chart, one line per container
 * and metric (x in {@link Frame#xUnit()} before now, negative; y in the chart's unit) and the limits as horizontal
 * lines across the range. Unknown values are left out of a line. Pure: no SWT.
 */
public final class GraphData {

	/**
	 * One line of a chart.
	 *
	 * @param metric which of the chart's metrics (0, 1); -1 for a limit
	 */
	public record Line(String id, String container, int metric, double[] x, double[] y) {
		public boolean limit() {
			return metric < 0;
		}
	}

	/** The lines of every chart, and the x axis they share. */
	public record Frame(Map<ChartKind, List<Line>> lines, double xMin, String xUnit) {
	}

	private static final Metric[] READ = {Metric.CPU_PERCENT, Metric.CPU_QUOTA_PERCENT, Metric.MEMORY_BYTES,
			Metric.MEMORY_LIMIT_BYTES, Metric.PIDS, Metric.PIDS_LIMIT, Metric.NET_RX_BYTES_PER_SECOND,
			Metric.NET_TX_BYTES_PER_SECOND, Metric.IO_READ_BYTES_PER_SECOND, Metric.IO_WRITE_BYTES_PER_SECOND};

	private GraphData() {
	}

	/** The time ranges offered, shortest first. */
	public static final List<Duration> RANGES = List.of(Duration.ofMinutes(1), Duration.ofMinutes(10),
			Duration.ofHours(1), Duration.ofHours(24));

	/** "1 min", "10 min", "1 h", "24 h". */
	public static String label(Duration range) {
		return range.toHours() >= 1 ? range.toHours() + " h" : range.toMinutes() + " min";
	}

	/** Seconds up to 10 minutes, minutes up to 2 hours, hours beyond. */
	static double xScaleSeconds(Duration range) {
		if (range.compareTo(Duration.ofMinutes(10)) <= 0) {
			return 1;
		}
		return range.compareTo(Duration.ofHours(2)) <= 0 ? 60 : 3600;
	}

	static String xUnit(Duration range) {
		double s = xScaleSeconds(range);
		return s == 1 ? "seconds ago" : s == 60 ? "minutes ago" : "hours ago";
	}

	/** The frame of {@code histories} over the last {@code range} before {@code nowMillis}. */
	public static Frame compute(List<UsageHistory> histories, List<Tier> tiers, Duration range, long nowMillis) {
		Tier tier = Tier.covering(tiers, range);
		double scale = xScaleSeconds(range) * 1000;
		int capacity = tier.capacity();
		long[] times = new long[capacity];
		double[][] values = new double[READ.length][capacity];
		Map<ChartKind, List<Line>> lines = new EnumMap<>(ChartKind.class);
		for (ChartKind k : ChartKind.values()) {
			lines.put(k, new ArrayList<>());
		}
		double xMin = -range.toMillis() / scale;
		for (UsageHistory h : histories) {
			int n = h.read(tier, nowMillis - range.toMillis(), times, READ, values);
			for (ChartKind k : ChartKind.values()) {
				for (int m = 0; m < k.metrics().size(); m++) {
					double[] column = values[indexOf(k.metrics().get(m))];
					lines.get(k).add(line(h.name() + k.suffix(m), h.name(), m, times, column, n, nowMillis,
							scale, k.divisor()));
				}
			}
			addLimit(lines.get(ChartKind.MEMORY), h.name(), last(values[indexOf(Metric.MEMORY_LIMIT_BYTES)], n)
					/ ChartKind.MEMORY.divisor(), xMin);
			addLimit(lines.get(ChartKind.PIDS), h.name(), last(values[indexOf(Metric.PIDS_LIMIT)], n), xMin);
			addLimit(lines.get(ChartKind.CPU), h.name(), quotaLine(values[indexOf(Metric.CPU_PERCENT)],
					values[indexOf(Metric.CPU_QUOTA_PERCENT)], n), xMin);
		}
		return new Frame(lines, xMin, xUnit(range));
	}

	private static int indexOf(Metric m) {
		for (int i = 0; i < READ.length; i++) {
			if (READ[i] == m) {
				return i;
			}
		}
		throw new IllegalArgumentException(m.name());
	}

	private static Line line(String id, String container, int metric, long[] times, double[] column, int n, long now,
			double scale, double divisor) {
		int known = 0;
		for (int i = 0; i < n; i++) {
			if (!Double.isNaN(column[i])) {
				known++;
			}
		}
		double[] x = new double[known];
		double[] y = new double[known];
		int j = 0;
		for (int i = 0; i < n; i++) {
			if (!Double.isNaN(column[i])) {
				x[j] = (times[i] - now) / scale;
				y[j] = column[i] / divisor;
				j++;
			}
		}
		return new Line(id, container, metric, x, y);
	}

	private static double last(double[] column, int n) {
		return n == 0 ? Double.NaN : column[n - 1];
	}

	/**
	 * The CPU quota in percent of the host, from the newest point that has both percentages: cpu% of the host is
	 * quota% of the quota, so the quota is cpu / quota% * 100 of the host. NaN without a quota or without use.
	 */
	static double quotaLine(double[] cpu, double[] quota, int n) {
		for (int i = n - 1; i >= 0; i--) {
			if (Double.isNaN(quota[i])) {
				return Double.NaN;
			}
			if (quota[i] > 0 && !Double.isNaN(cpu[i])) {
				return cpu[i] / quota[i] * 100;
			}
		}
		return Double.NaN;
	}

	private static void addLimit(List<Line> lines, String container, double value, double xMin) {
		if (!Double.isNaN(value)) {
			lines.add(new Line(container + " limit", container, -1, new double[]{xMin, 0},
					new double[]{value, value}));
		}
	}
}
