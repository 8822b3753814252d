package org.berth.ui.namespaces;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSnapshot;
import org.berth.core.EngineListener;
import org.berth.core.NamespaceIdentity;
import org.berth.core.NamespaceType;
import org.berth.ui.internal.Engines;
import org.berth.ui.internal.Formats;
import org.berth.ui.internal.StateImages;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.ColorDescriptor;
import org.eclipse.jface.resource.FontDescriptor;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.resource.LocalResourceManager;
import org.eclipse.jface.util.Throttler;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnViewerToolTipSupport;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;

/**
 * Containers × namespace types: for each running container what its namespaces really are (by inode: new, the
 * host's, shared with whom), and where that differs from the configuration, marked in a warning colour.
 */
public final class NamespacesView {

	/** The view id in plugin.xml. */
	public static final String ID = "org.berth.ui.namespaces";

	private ContainerEngine engine;
	private EngineListener listener;
	/** Merges the refreshes asked for before one runs into it (any thread asks; it runs on the UI thread). */
	private Throttler refresher;
	private Display display;
	private LocalResourceManager resources;
	private TableViewer viewer;
	private Map<String, Map<NamespaceType, List<String>>> joined = Map.of();
	private Color driftBackground;
	private Color configuredForeground;
	private Font italic;

	@PostConstruct
	public void createPartControl(Composite parent) {
		display = parent.getDisplay();
		resources = new LocalResourceManager(JFaceResources.getResources(), parent);
		driftBackground = resources.create(ColorDescriptor.createFrom(new RGB(255, 214, 153)));
		configuredForeground = display.getSystemColor(SWT.COLOR_WIDGET_DARK_SHADOW);
		italic = resources.create(FontDescriptor.createFrom(JFaceResources.getDefaultFont()).setStyle(SWT.ITALIC));
		engine = Engines.find().orElse(null);
		refresher = new Throttler(display, Duration.ZERO, () -> {
			if (!viewer.getControl().isDisposed()) {
				refresh();
			}
		});
		GridLayoutFactory.fillDefaults().spacing(0, 2).applyTo(parent);

		Label legend = new Label(parent, SWT.WRAP);
		legend.setText("Running containers show their actual namespaces (by inode); stopped ones, in grey italics,"
				+ " their configuration. An orange cell differs from the configuration.");
		GridDataFactory.fillDefaults().grab(true, false).indent(6, 4).hint(300, SWT.DEFAULT).applyTo(legend);

		viewer = new TableViewer(parent, SWT.FULL_SELECTION | SWT.VIRTUAL);
		viewer.getTable().setHeaderVisible(true);
		viewer.getTable().setLinesVisible(true);
		viewer.getTable().setData("org.berth.ui.test.id", "namespaces.table");
		GridDataFactory.fillDefaults().grab(true, true).applyTo(viewer.getControl());
		ColumnViewerToolTipSupport.enableFor(viewer);

		TableViewerColumn name = new TableViewerColumn(viewer, SWT.NONE);
		name.getColumn().setText("Container");
		name.getColumn().setWidth(150);
		name.setLabelProvider(new ColumnLabelProvider() {
			@Override
			public String getText(Object e) {
				return ((ContainerSnapshot) e).name();
			}

			@Override
			public Image getImage(Object e) {
				return StateImages.image(resources, ((ContainerSnapshot) e).state());
			}

			@Override
			public String getToolTipText(Object e) {
				return Formats.state(((ContainerSnapshot) e).state());
			}
		});
		for (NamespaceType type : NamespaceType.values()) {
			TableViewerColumn c = new TableViewerColumn(viewer, SWT.NONE);
			c.getColumn().setText(type.procName());
			c.getColumn().setToolTipText(type.displayName() + ": " + type.isolates());
			c.getColumn().setWidth(
					type == NamespaceType.UTS || type == NamespaceType.NET || type == NamespaceType.USER ? 270 : 110);
			c.setLabelProvider(new ColumnLabelProvider() {
				@Override
				public String getText(Object e) {
					return cell((ContainerSnapshot) e, type).text();
				}

				@Override
				public Color getBackground(Object e) {
					return cell((ContainerSnapshot) e, type).drift() ? driftBackground : null;
				}

				@Override
				public Color getForeground(Object e) {
					return cell((ContainerSnapshot) e, type).actual() ? null : configuredForeground;
				}

				@Override
				public Font getFont(Object e) {
					return cell((ContainerSnapshot) e, type).actual() ? null : italic;
				}

				@Override
				public String getToolTipText(Object e) {
					return cell((ContainerSnapshot) e, type).tooltip();
				}
			});
		}
		viewer.setContentProvider(ArrayContentProvider.getInstance());
		if (engine != null) {
			listener = e -> refresher.throttledAsyncExec();
			engine.addListener(listener);
		}
		refresh();
	}

	private NamespaceCell cell(ContainerSnapshot s, NamespaceType type) {
		return NamespaceCell.of(s, type, joined.getOrDefault(s.name(), Map.of()).getOrDefault(type, List.of()));
	}

	private void refresh() {
		List<ContainerSnapshot> all = engine == null ? List.of() : engine.list();
		joined = joinedBy(all);
		viewer.setInput(all);
	}

	/**
	 * For each container and type, the other running containers that joined its namespace (same inode, and they
	 * are classified as sharing with it).
	 */
	static Map<String, Map<NamespaceType, List<String>>> joinedBy(List<ContainerSnapshot> all) {
		Map<String, Map<NamespaceType, List<String>>> out = new HashMap<>();
		for (ContainerSnapshot s : all) {
			for (NamespaceIdentity id : s.namespaces().values()) {
				if (id.sharedWith() != null) {
					out.computeIfAbsent(id.sharedWith(), k -> new HashMap<>())
							.computeIfAbsent(id.type(), k -> new ArrayList<>()).add(s.name());
				}
			}
		}
		return out;
	}

	/** The text of a cell, for tests: the row of {@code container}, the column of {@code type}; null if absent. */
	public String cellText(String container, NamespaceType type) {
		return engineSnapshot(container).map(s -> cell(s, type).text()).orElse(null);
	}

	/** Whether a cell is marked as differing from the configuration, for tests. */
	public boolean isDrift(String container, NamespaceType type) {
		return engineSnapshot(container).map(s -> cell(s, type).drift()).orElse(false);
	}

	private java.util.Optional<ContainerSnapshot> engineSnapshot(String container) {
		Object input = viewer.getInput();
		if (input instanceof List<?> list) {
			for (Object o : list) {
				if (o instanceof ContainerSnapshot s && s.name().equals(container)) {
					return java.util.Optional.of(s);
				}
			}
		}
		return java.util.Optional.empty();
	}

	/** The view's table, e.g. for a screenshot. */
	public org.eclipse.swt.widgets.Control control() {
		return viewer.getControl().getParent();
	}

	@Focus
	public void setFocus() {
		viewer.getControl().setFocus();
	}

	@PreDestroy
	public void dispose() {
		if (engine != null && listener != null) {
			engine.removeListener(listener);
		}
	}
}
