package org.berth.ui.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSnapshot;
import org.berth.core.Monitoring;
import org.berth.core.Usage;
import org.berth.core.UsageSample;
import org.berth.ui.internal.Engines;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;

/**
 * Limit hits, in the spirit of OpenVZ's beancounter failcnt: per running container, how often it ran into a limit
 * since it started: processes killed by the OOM killer, periods the CPU quota throttled it (and for how long), forks
 * the pids limit refused. Counts above zero are shown in red. Refreshed by a system job from the engine's sampler.
 */
public final class LimitHitsView {

	/** The view id in plugin.xml. */
	public static final String ID = "org.berth.ui.charts.limitHits";

	/** One row: a running container and its newest sample (null before its second sample). */
	public record Row(String name, String state, UsageSample sample) {
	}

	private static final String[] COLUMNS = {"Container", "State", "OOM kills", "Throttled periods",
			"Throttled time", "Pids limit hits", "Memory peak"};

	private volatile ContainerEngine engine;
	private TableViewer viewer;
	private Refresher<List<Row>> refresher;

	@Inject
	@org.eclipse.e4.core.di.annotations.Optional
	public void setEngine(ContainerEngine value) {
		engine = value;
		if (value != null) {
			value.monitoring();
		}
	}

	@PostConstruct
	public void createPartControl(Composite parent) {
		if (engine == null) {
			Engines.find().ifPresent(this::setEngine);
		}
		GridLayoutFactory.fillDefaults().applyTo(parent);
		Label hint = new Label(parent, SWT.WRAP);
		hint.setText("How often each running container hit a limit since it started.");
		GridDataFactory.fillDefaults().grab(true, false).indent(6, 4).applyTo(hint);
		viewer = new TableViewer(parent, SWT.FULL_SELECTION | SWT.BORDER);
		viewer.getTable().setHeaderVisible(true);
		viewer.getTable().setLinesVisible(true);
		for (int i = 0; i < COLUMNS.length; i++) {
			int column = i;
			TableViewerColumn c = new TableViewerColumn(viewer, i < 2 ? SWT.LEFT : SWT.RIGHT);
			c.getColumn().setText(COLUMNS[i]);
			c.getColumn().pack(); // at least its header's width: "Throttled periods" was cut
			c.getColumn().setWidth(Math.max(c.getColumn().getWidth(), i == 0 ? 160 : i == 1 ? 90 : 130));
			c.setLabelProvider(new ColumnLabelProvider() {
				@Override
				public String getText(Object element) {
					return cell((Row) element, column);
				}

				@Override
				public Color getForeground(Object element) {
					return column >= 2 && column <= 5 && isHit((Row) element, column)
							? parent.getDisplay().getSystemColor(SWT.COLOR_RED) : null;
				}
			});
		}
		viewer.setContentProvider(ArrayContentProvider.getInstance());
		viewer.setInput(List.of());
		GridDataFactory.fillDefaults().grab(true, true).applyTo(viewer.getControl());
		refresher = new Refresher<>("Refresh limit hits", parent, this::rows, rows -> viewer.setInput(rows),
				() -> 2000);
		refresher.schedule();
	}

	@Focus
	public void setFocus() {
		viewer.getControl().setFocus();
	}

	/** The table, for tests. */
	public TableViewer viewer() {
		return viewer;
	}

	/** How many refreshes the UI thread has applied, for tests to wait on. */
	public long ticks() {
		return refresher == null ? 0 : refresher.applied();
	}

	private List<Row> rows() {
		ContainerEngine e = engine;
		Optional<Monitoring> m = e == null ? Optional.empty() : e.monitoring();
		List<Row> rows = new ArrayList<>();
		if (e != null) {
			for (ContainerSnapshot s : e.list()) {
				if (s.isActive()) {
					rows.add(new Row(s.name(), s.state().cli(), m.flatMap(x -> x.latest(s.name())).orElse(null)));
				}
			}
		}
		return rows;
	}

	/** The text of one cell. Pure. */
	static String cell(Row row, int column) {
		if (column == 0) {
			return row.name();
		}
		if (column == 1) {
			return row.state();
		}
		if (row.sample() == null) {
			return "-";
		}
		Usage u = row.sample().usage();
		return switch (column) {
			case 2 -> count(u.oomKills());
			case 3 -> count(u.cpuThrottledPeriods());
			case 4 -> u.cpuThrottledNanos() < 0 ? "-" : String.format(java.util.Locale.ROOT, "%.2f s",
					u.cpuThrottledNanos() / 1e9);
			case 5 -> count(u.pidsLimitHits());
			default -> u.memoryPeakBytes() < 0 ? "-" : org.berth.core.Sizes.formatBytes(u.memoryPeakBytes());
		};
	}

	private static String count(long value) {
		return value < 0 ? "-" : Long.toString(value);
	}

	static boolean isHit(Row row, int column) {
		if (row.sample() == null) {
			return false;
		}
		Usage u = row.sample().usage();
		return switch (column) {
			case 2 -> u.oomKills() > 0;
			case 3, 4 -> u.cpuThrottledPeriods() > 0;
			case 5 -> u.pidsLimitHits() > 0;
			default -> false;
		};
	}
}
