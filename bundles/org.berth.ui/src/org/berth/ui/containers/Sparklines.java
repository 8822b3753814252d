package org.berth.ui.containers;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.berth.core.ContainerEngine;
import org.berth.core.Metric;
import org.berth.core.Monitoring;
import org.berth.core.Tier;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Listener;
import org.eclipse.swt.widgets.TableItem;

/**
 * The sparklines of the Containers view: the last minute of CPU and memory of the rows on screen, copied from the
 * engine's histories by the sampler's job ({@link #read}) and drawn at the left of the CPU % and Memory cells, under
 * their right-aligned text (a {@link SWT#PaintItem} listener of the table).
 */
public final class Sparklines implements Listener {

	/** The metrics drawn, in the CPU and Memory cells, and the seconds they span. */
	private static final Metric[] METRICS = {Metric.CPU_PERCENT, Metric.MEMORY_BYTES};
	private static final int SECONDS = 60;

	private final ContainerEngine engine;
	/** Per shown row, one series per {@link #METRICS} (a value per second, NaN = no sample); made by the job. */
	private volatile Map<String, double[][]> series = Map.of();
	/** The rows on screen, for the job to read their histories. Set on the UI thread. */
	private volatile List<String> visibleNames = List.of();
	// the job's reusable read buffers (only the sampler's thread touches them)
	private final long[] times = new long[4 * SECONDS];
	private final double[][] values = new double[METRICS.length][4 * SECONDS];

	Sparklines(ContainerEngine engine) {
		this.engine = engine;
	}

	/** Remembers which rows are on screen, for the next {@link #read()}. UI thread. */
	void setVisible(List<String> names) {
		visibleNames = names;
	}

	/** Copies the last minute of CPU and memory of the rows on screen from the engine's histories. Job thread. */
	void read() {
		Monitoring monitoring = engine.monitoring().orElse(null);
		if (monitoring == null || monitoring.tiers().isEmpty()) {
			series = Map.of();
			return;
		}
		Tier tier = monitoring.tiers().get(0);
		long since = System.currentTimeMillis() - SECONDS * 1000L;
		Map<String, double[][]> out = new HashMap<>();
		for (String name : visibleNames) {
			monitoring.history(name).ifPresent(h -> {
				int n = h.read(tier, since, times, METRICS, values);
				double[][] lines = new double[METRICS.length][SECONDS];
				for (double[] s : lines) {
					Arrays.fill(s, Double.NaN);
				}
				for (int i = 0; i < n; i++) {
					int slot = (int) Math.min(SECONDS - 1, Math.max(0, (times[i] - since) / 1000));
					for (int k = 0; k < METRICS.length; k++) {
						lines[k][slot] = values[k][i];
					}
				}
				out.put(name, lines);
			});
		}
		series = Map.copyOf(out);
	}

	/**
	 * The sparkline of the row of {@code name} for {@link Metric#CPU_PERCENT} or {@link Metric#MEMORY_BYTES}: a value
	 * per second of the last minute, NaN where there is no sample; empty when none is drawn. Any thread.
	 */
	public double[] series(String name, Metric metric) {
		double[][] lines = series.get(name);
		int k = Arrays.asList(METRICS).indexOf(metric);
		return lines == null || k < 0 ? new double[0] : lines[k].clone();
	}

	/** Draws the row's sparkline at the left of its CPU % and Memory cells, under the right-aligned text. */
	@Override
	public void handleEvent(Event e) {
		int k = e.index == Column.CPU.ordinal() ? 0 : e.index == Column.MEMORY.ordinal() ? 1 : -1;
		if (k < 0 || !(e.item.getData() instanceof ContainerItem item)) {
			return;
		}
		double[][] lines = series.get(item.name());
		if (lines == null) {
			return;
		}
		double[] v = lines[k];
		double max = k == 0 ? 5 : 1; // an idle container's noise stays flat
		for (double d : v) {
			if (d > max) {
				max = d;
			}
		}
		Rectangle cell = ((TableItem) e.item).getBounds(e.index);
		int w = Math.min(60, cell.width - 4);
		int h = Math.min(14, cell.height - 4);
		if (w < 8 || h < 4) {
			return;
		}
		int x0 = cell.x + 2;
		int y0 = cell.y + (cell.height + h) / 2; // the baseline
		GC gc = e.gc;
		int alpha = gc.getAlpha();
		gc.setAlpha(170);
		gc.setForeground(e.display.getSystemColor(k == 0 ? SWT.COLOR_DARK_BLUE : SWT.COLOR_DARK_GREEN));
		int px = -1;
		int py = 0;
		for (int i = 0; i < v.length; i++) {
			if (Double.isNaN(v[i])) {
				px = -1;
				continue;
			}
			int x = x0 + i * (w - 1) / (v.length - 1);
			int y = y0 - (int) Math.round(Math.max(0, v[i]) / max * (h - 1));
			if (px < 0) {
				gc.drawPoint(x, y);
			} else {
				gc.drawLine(px, py, x, y);
			}
			px = x;
			py = y;
		}
		gc.setAlpha(alpha);
	}
}
