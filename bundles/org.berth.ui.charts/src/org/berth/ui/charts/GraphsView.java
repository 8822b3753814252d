package org.berth.ui.charts;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSnapshot;
import org.berth.core.Monitoring;
import org.berth.core.Tier;
import org.berth.core.UsageCsv;
import org.berth.core.UsageHistory;
import org.berth.ui.internal.Engines;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.ColorDescriptor;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.resource.LocalResourceManager;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.CheckboxTableViewer;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swtchart.Chart;
import org.eclipse.swtchart.IAxis;
import org.eclipse.swtchart.ILineSeries;
import org.eclipse.swtchart.ILineSeries.PlotSymbolType;
import org.eclipse.swtchart.ISeries;
import org.eclipse.swtchart.ISeries.SeriesType;
import org.eclipse.swtchart.ISeriesSet;
import org.eclipse.swtchart.LineStyle;
import org.eclipse.swtchart.Range;

/**
 * Resource Graphs: CPU, memory, pids, network and block IO of the chosen containers, overlaid, over the last
 * minute, 10 minutes, hour or day; limits as dashed lines. The shown containers are watched: sampled at the
 * interval while the others are sampled less often. The containers are those selected in the Containers
 * view (while "Follow selection" is on) or ticked in the list on the left. A system job reads the histories and
 * makes the lines off the UI thread; the UI thread only sets the arrays and redraws each chart once per tick.
 */
public final class GraphsView {

	/** The view id in plugin.xml. */
	public static final String ID = "org.berth.ui.charts.graphs";

	/** The title of the Export CSV dialog. */
	public static final String EXPORT_TITLE = "Export Usage History as CSV";

	private static final RGB[] PALETTE = {new RGB(31, 119, 180), new RGB(214, 39, 40), new RGB(44, 160, 44),
			new RGB(255, 127, 14), new RGB(148, 103, 189), new RGB(140, 86, 75), new RGB(227, 119, 194),
			new RGB(23, 190, 207)};

	/** What one tick hands to the UI thread. */
	record Tick(List<String> candidates, GraphData.Frame frame) {
	}

	private volatile ContainerEngine engine;
	private volatile Set<String> shown = new LinkedHashSet<>();
	private volatile Duration range = GraphData.RANGES.get(1);
	private volatile boolean follow = true;
	private final Map<ChartKind, Chart> charts = new EnumMap<>(ChartKind.class);
	private LocalResourceManager resources;
	private CheckboxTableViewer chooser;
	private List<String> candidates = List.of();
	private Refresher<Tick> refresher;
	private Monitoring.Watch watch;

	@Inject
	@org.eclipse.e4.core.di.annotations.Optional
	public void setEngine(ContainerEngine value) {
		engine = value;
		if (value != null) {
			value.monitoring(); // history from now on, whether or not the view stays open
		}
	}

	@PostConstruct
	public void createPartControl(Composite parent) {
		if (engine == null) {
			Engines.find().ifPresent(this::setEngine);
		}
		resources = new LocalResourceManager(JFaceResources.getResources(), parent);
		GridLayoutFactory.fillDefaults().applyTo(parent);
		SashForm sash = new SashForm(parent, SWT.HORIZONTAL);
		GridDataFactory.fillDefaults().grab(true, true).applyTo(sash);

		Composite left = new Composite(sash, SWT.NONE);
		GridLayoutFactory.fillDefaults().margins(4, 4).applyTo(left);
		Button followButton = new Button(left, SWT.CHECK);
		followButton.setText("Follow selection");
		followButton.setSelection(follow);
		followButton.addListener(SWT.Selection, e -> follow = followButton.getSelection());
		chooser = CheckboxTableViewer.newCheckList(left, SWT.BORDER | SWT.V_SCROLL);
		chooser.setContentProvider(ArrayContentProvider.getInstance());
		chooser.setInput(candidates);
		chooser.addCheckStateListener(e -> {
			Set<String> next = new LinkedHashSet<>(shown);
			if (e.getChecked()) {
				next.add((String) e.getElement());
			} else {
				next.remove(e.getElement());
			}
			shown = next;
			followButton.setSelection(follow = false);
			watchShown();
			refresher.schedule();
		});
		GridDataFactory.fillDefaults().grab(true, true).applyTo(chooser.getControl());
		new Label(left, SWT.NONE).setText("Time range:");
		Combo rangeCombo = new Combo(left, SWT.READ_ONLY);
		for (Duration d : GraphData.RANGES) {
			rangeCombo.add(GraphData.label(d));
		}
		rangeCombo.select(GraphData.RANGES.indexOf(range));
		rangeCombo.addListener(SWT.Selection, e -> {
			range = GraphData.RANGES.get(rangeCombo.getSelectionIndex());
			refresher.schedule();
		});
		GridDataFactory.fillDefaults().grab(true, false).applyTo(rangeCombo);
		Button export = new Button(left, SWT.PUSH);
		export.setText("Export CSV...");
		export.addListener(SWT.Selection, e -> exportCsv(parent));
		GridDataFactory.fillDefaults().grab(true, false).applyTo(export);

		Composite right = new Composite(sash, SWT.NONE);
		GridLayoutFactory.fillDefaults().numColumns(2).equalWidth(true).spacing(2, 2).applyTo(right);
		for (ChartKind kind : ChartKind.values()) {
			Chart chart = new Chart(right, SWT.NONE);
			chart.getTitle().setText(kind.title());
			chart.getAxisSet().getYAxis(0).getTitle().setText(kind.unit());
			chart.getAxisSet().getXAxis(0).getTitle().setText(GraphData.xUnit(range));
			chart.getLegend().setPosition(SWT.BOTTOM);
			GridDataFactory.fillDefaults().grab(true, true).span(kind == ChartKind.IO ? 2 : 1, 1).applyTo(chart);
			charts.put(kind, chart);
		}
		sash.setWeights(1, 5);

		refresher = new Refresher<>("Refresh resource graphs", parent, this::makeTick, this::apply,
				() -> engineMonitoring().map(m -> Math.max(1000, m.interval().toMillis())).orElse(1000L));
		refresher.schedule();
		watchShown();
		parent.addDisposeListener(e -> {
			if (watch != null) {
				watch.close();
			}
		});
	}

	/** The shown containers are sampled at the interval, the others less often (see {@link Monitoring#watch}). */
	private void watchShown() {
		Optional<Monitoring> m = engineMonitoring();
		if (m.isEmpty()) {
			return;
		}
		if (watch == null) {
			watch = m.get().watch(shown);
		} else {
			watch.set(shown);
		}
	}

	/**
	 * Shows the containers of the workbench selection while "Follow selection" is on: {@link ContainerSnapshot}s,
	 * or anything that adapts to one.
	 */
	@Inject
	@org.eclipse.e4.core.di.annotations.Optional
	public void selectionChanged(
			@Named(IServiceConstants.ACTIVE_SELECTION) @org.eclipse.e4.core.di.annotations.Optional Object selection) {
		if (!follow || selection == null) {
			return;
		}
		List<String> names = containersIn(selection);
		if (!names.isEmpty()) {
			show(names);
		}
	}

	/** The names of the containers in a selection: snapshots or adaptables. */
	static List<String> containersIn(Object selection) {
		Collection<?> elements = selection instanceof IStructuredSelection s ? s.toList() : List.of(selection);
		List<String> names = new ArrayList<>();
		for (Object o : elements) {
			ContainerSnapshot snap = Adapters.adapt(o, ContainerSnapshot.class);
			if (snap != null) {
				names.add(snap.name());
			}
		}
		return names;
	}

	/** Charts these containers (replacing those shown). */
	public void show(Collection<String> names) {
		shown = new LinkedHashSet<>(names);
		if (chooser != null && !chooser.getControl().isDisposed()) {
			chooser.setCheckedElements(shown.toArray());
			watchShown();
			refresher.schedule();
		}
	}

	/** Shows the last {@code value} (one of {@link GraphData#RANGES}). */
	public void setRange(Duration value) {
		range = value;
		if (refresher != null) {
			refresher.schedule();
		}
	}

	/** The chart of one kind, for tests. */
	public Chart chart(ChartKind kind) {
		return charts.get(kind);
	}

	/** How many ticks the UI thread has applied, for tests to wait on. */
	public long ticks() {
		return refresher == null ? 0 : refresher.applied();
	}

	@Focus
	public void setFocus() {
		chooser.getControl().setFocus();
	}

	private Optional<Monitoring> engineMonitoring() {
		ContainerEngine e = engine;
		return e == null ? Optional.empty() : e.monitoring();
	}

	/** Off the UI thread: the containers one can choose and the lines of the chosen ones. */
	private Tick makeTick() {
		ContainerEngine e = engine;
		Optional<Monitoring> m = engineMonitoring();
		if (e == null || m.isEmpty()) {
			return new Tick(List.of(), GraphData.compute(List.of(), Tier.DEFAULTS, range, System.currentTimeMillis()));
		}
		Set<String> names = new LinkedHashSet<>();
		for (ContainerSnapshot s : e.list()) {
			if (s.isActive() || m.get().history(s.name()).isPresent()) {
				names.add(s.name());
			}
		}
		names.addAll(shown);
		List<UsageHistory> histories = new ArrayList<>();
		for (String name : shown) {
			m.get().history(name).ifPresent(histories::add);
		}
		return new Tick(List.copyOf(names), GraphData.compute(histories, m.get().tiers(), range,
				System.currentTimeMillis()));
	}

	/** On the UI thread: only setting arrays and one redraw per chart. */
	private void apply(Tick tick) {
		if (!tick.candidates().equals(candidates)) {
			candidates = tick.candidates();
			chooser.setInput(candidates);
			chooser.setCheckedElements(shown.toArray());
		}
		List<String> order = new ArrayList<>(shown);
		GraphData.Frame frame = tick.frame();
		for (ChartKind kind : ChartKind.values()) {
			Chart chart = charts.get(kind);
			chart.suspendUpdate(true);
			try {
				ISeriesSet set = chart.getSeriesSet();
				Set<String> ids = new HashSet<>();
				for (GraphData.Line line : frame.lines().get(kind)) {
					ids.add(line.id());
					ILineSeries<?> series = (ILineSeries<?>) set.getSeries(line.id());
					if (series == null) {
						series = (ILineSeries<?>) set.createSeries(SeriesType.LINE, line.id());
						series.setSymbolType(PlotSymbolType.NONE);
						series.setLineColor(color(order.indexOf(line.container())));
						series.setLineStyle(line.limit() ? LineStyle.DASH
								: line.metric() > 0 ? LineStyle.DOT : LineStyle.SOLID);
						series.setLineWidth(line.limit() ? 1 : 2);
						series.setVisibleInLegend(!line.limit());
					}
					series.setXSeries(line.x());
					series.setYSeries(line.y());
				}
				for (ISeries<?> s : set.getSeries()) {
					if (!ids.contains(s.getId())) {
						set.deleteSeries(s.getId());
					}
				}
				IAxis x = chart.getAxisSet().getXAxis(0);
				x.getTitle().setText(frame.xUnit());
				x.setRange(new Range(frame.xMin(), 0));
				IAxis y = chart.getAxisSet().getYAxis(0);
				y.adjustRange();
				Range r = y.getRange();
				double upper = Math.max(r.upper * 1.05, kind == ChartKind.CPU ? 5 : 1);
				y.setRange(new Range(0, upper));
			} finally {
				chart.suspendUpdate(false);
			}
			chart.redraw();
		}
	}

	private Color color(int index) {
		RGB rgb = PALETTE[Math.floorMod(index, PALETTE.length)];
		return resources.create(ColorDescriptor.createFrom(rgb));
	}

	/** The dialog that asks where to export the histories of {@code names}: titled, a CSV name proposed. */
	public static FileDialog exportDialog(Shell shell, List<String> names) {
		FileDialog dialog = new FileDialog(shell, SWT.SAVE);
		dialog.setText(EXPORT_TITLE);
		dialog.setFilterExtensions(new String[]{"*.csv", "*"});
		dialog.setFilterNames(new String[]{"CSV files (*.csv)", "All files"});
		dialog.setFileName((names.size() == 1 ? names.get(0) : "containers") + "-usage.csv");
		dialog.setOverwrite(true);
		return dialog;
	}

	/** Asks where to, then writes the shown histories over the shown range in a job. */
	private void exportCsv(Composite parent) {
		Optional<Monitoring> m = engineMonitoring();
		List<String> names = new ArrayList<>(shown);
		if (m.isEmpty() || names.isEmpty()) {
			org.eclipse.jface.dialogs.MessageDialog.openInformation(parent.getShell(), "Export CSV",
					"Choose at least one container whose history to export.");
			return;
		}
		String file = exportDialog(parent.getShell(), names).open();
		if (file == null) {
			return;
		}
		Duration exported = range;
		Job job = Job.create("Export usage history to " + file, (IProgressMonitor monitor) -> {
			List<UsageHistory> histories = new ArrayList<>();
			for (String name : names) {
				m.get().history(name).ifPresent(histories::add);
			}
			Tier tier = Tier.covering(m.get().tiers(), exported);
			try (Writer w = Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8)) {
				UsageCsv.write(histories, tier, System.currentTimeMillis() - exported.toMillis(), w);
				return Status.OK_STATUS;
			} catch (IOException e) {
				return Status.error("Could not write " + file + ": " + e.getMessage(), e);
			}
		});
		job.setUser(true);
		job.schedule();
	}
}
