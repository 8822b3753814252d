package org.berth.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Usage history as CSV: a header {@code time,container,cpu_percent,...} (see {@link Metric#column()}), then one row
 * per point, times in ISO-8601 UTC, unknown values empty. The columns are an interface: add, never rename.
 */
public final class UsageCsv {

	private UsageCsv() {
	}

	/** The header line (without line end). */
	public static String header() {
		StringBuilder b = new StringBuilder("time,container");
		for (Metric m : Metric.values()) {
			b.append(',').append(m.column());
		}
		return b.toString();
	}

	/**
	 * Writes the points of {@code tier} after {@code sinceMillis} of every history, one after the other, with one
	 * header.
	 */
	public static void write(List<UsageHistory> histories, Tier tier, long sinceMillis, Appendable out)
			throws IOException {
		out.append(header()).append('\n');
		Metric[] metrics = Metric.values();
		for (UsageHistory h : histories) {
			int capacity = tier.capacity();
			long[] times = new long[capacity];
			double[][] values = new double[metrics.length][capacity];
			int n = h.read(tier, sinceMillis, times, metrics, values);
			for (int i = 0; i < n; i++) {
				out.append(Instant.ofEpochMilli(times[i]).toString()).append(',').append(quoted(h.name()));
				for (int k = 0; k < metrics.length; k++) {
					out.append(',').append(number(values[k][i]));
				}
				out.append('\n');
			}
		}
	}

	/** The CSV as a string. */
	public static String toString(List<UsageHistory> histories, Tier tier, long sinceMillis) {
		StringBuilder b = new StringBuilder();
		try {
			write(histories, tier, sinceMillis, b);
		} catch (IOException e) {
			throw new UncheckedIOException(e); // a StringBuilder does not throw
		}
		return b.toString();
	}

	/** Integral values without a fraction, others with up to three decimals; NaN empty. */
	static String number(double v) {
		if (Double.isNaN(v) || Double.isInfinite(v)) {
			return "";
		}
		if (v == Math.rint(v) && Math.abs(v) < 1e15) {
			return Long.toString((long) v);
		}
		return String.format(Locale.ROOT, "%.3f", v);
	}

	private static String quoted(String s) {
		if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
			return s;
		}
		return '"' + s.replace("\"", "\"\"") + '"';
	}
}
