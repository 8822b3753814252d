package org.berth.ui.events;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.berth.core.ContainerEngine;
import org.berth.core.EngineEvent;
import org.berth.core.EngineListener;
import org.berth.core.wire.AuditTrail;
import org.berth.ui.internal.Engines;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

/**
 * Who changed what, and what happened: the audit trail (the requests the agent served, with the user and the
 * result; read once when the view opens and on Reload) and the lifecycle events heard since, newest on top, both
 * filtered by container and user.
 */
public final class EventsView {

	/** The view id in plugin.xml. */
	public static final String ID = "org.berth.ui.events";

	/** How many entries of the audit trail are read. */
	static final int TRAIL = 500;

	/** How many events heard since the view opened are kept. */
	static final int HEARD = 5000;

	/**
	 * One row: an entry of the audit trail, or a lifecycle event (no user).
	 *
	 * @param time      when
	 * @param kind      "audit" or "event"
	 * @param user      who asked ("name (uid)"); "" for an event
	 * @param action    what (start, define, …; for an event: defined, state, updated, destroyed)
	 * @param container about which container; "" when none
	 * @param result    "ok", or the sentence; for an event the state after it
	 */
	public record Row(Instant time, String kind, String user, String action, String container, String result) {

		static Row of(AuditTrail.Entry e) {
			Instant t;
			try {
				t = Instant.parse(e.time());
			} catch (RuntimeException x) {
				t = Instant.EPOCH;
			}
			return new Row(t, "audit", e.user() + " (" + e.uid() + ")", e.action() != null ? e.action() : e.what(),
					e.container() == null ? "" : e.container(),
					e.status() / 100 == 2 ? "ok" : e.status() + " " + e.result());
		}

		static Row of(EngineEvent e, Instant at) {
			String action = switch (e.kind()) {
				case DEFINED -> "defined";
				case UPDATED -> "updated";
				case STATE_CHANGED -> "state";
				case DESTROYED -> "destroyed";
			};
			return new Row(at, "event", "", action, e.name(),
					e.snapshot() == null ? "" : e.snapshot().state().name().toLowerCase(Locale.ROOT));
		}

		/** Whether it passes the filters (a part of the container's name; a part of the user's name or uid). */
		public boolean matches(String containerFilter, String userFilter) {
			return contains(container, containerFilter) && (userFilter.isBlank() || contains(user, userFilter));
		}

		private static boolean contains(String text, String part) {
			return part.isBlank() || text.toLowerCase(Locale.ROOT).contains(part.strip().toLowerCase(Locale.ROOT));
		}
	}

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
			.withZone(ZoneId.systemDefault());

	private ContainerEngine engine;
	private EngineListener listener;
	private Display display;
	private TableViewer viewer;
	private Text containerFilter;
	private Text userFilter;
	private Label status;
	private final List<Row> trail = new ArrayList<>();
	private final List<Row> heard = new ArrayList<>();

	@PostConstruct
	public void createPartControl(Composite parent) {
		display = parent.getDisplay();
		engine = Engines.find().orElse(null);
		GridLayoutFactory.fillDefaults().spacing(0, 2).applyTo(parent);

		Composite bar = new Composite(parent, SWT.NONE);
		GridLayoutFactory.fillDefaults().numColumns(6).margins(6, 4).applyTo(bar);
		GridDataFactory.fillDefaults().grab(true, false).applyTo(bar);
		new Label(bar, SWT.NONE).setText("&Container:");
		containerFilter = new Text(bar, SWT.BORDER | SWT.SEARCH);
		containerFilter.setMessage("any");
		containerFilter.setData("org.berth.ui.test.id", "events.container");
		GridDataFactory.fillDefaults().hint(160, SWT.DEFAULT).applyTo(containerFilter);
		new Label(bar, SWT.NONE).setText("&User:");
		userFilter = new Text(bar, SWT.BORDER | SWT.SEARCH);
		userFilter.setMessage("anyone");
		userFilter.setData("org.berth.ui.test.id", "events.user");
		GridDataFactory.fillDefaults().hint(120, SWT.DEFAULT).applyTo(userFilter);
		Button reload = new Button(bar, SWT.PUSH);
		reload.setText("&Reload");
		reload.setToolTipText("Read the audit trail again");
		reload.addListener(SWT.Selection, e -> loadTrail());
		status = new Label(bar, SWT.NONE);
		status.setData("org.berth.ui.test.id", "events.status");
		GridDataFactory.fillDefaults().grab(true, false).applyTo(status);
		containerFilter.addListener(SWT.Modify, e -> show());
		userFilter.addListener(SWT.Modify, e -> show());

		viewer = new TableViewer(parent, SWT.FULL_SELECTION | SWT.MULTI);
		viewer.getTable().setHeaderVisible(true);
		viewer.getTable().setLinesVisible(true);
		viewer.getTable().setData("org.berth.ui.test.id", "events.table");
		GridDataFactory.fillDefaults().grab(true, true).applyTo(viewer.getControl());
		viewer.setContentProvider(ArrayContentProvider.getInstance());
		column("Time", 150, r -> TIME.format(r.time()));
		column("Kind", 60, Row::kind);
		column("User", 130, Row::user);
		column("Action", 150, Row::action);
		column("Container", 130, Row::container);
		column("Result", 420, Row::result);

		if (engine != null) {
			listener = e -> {
				Row row = Row.of(e, Instant.now());
				if (!display.isDisposed()) {
					display.asyncExec(() -> {
						if (!viewer.getControl().isDisposed()) {
							heard.add(row);
							if (heard.size() > HEARD) {
								heard.subList(0, heard.size() - HEARD).clear(); // the oldest go
							}
							show();
						}
					});
				}
			};
			engine.addListener(listener);
		}
		loadTrail();
	}

	private void column(String title, int width, Function<Row, String> text) {
		TableViewerColumn c = new TableViewerColumn(viewer, SWT.NONE);
		c.getColumn().setText(title);
		c.getColumn().setWidth(width);
		c.setLabelProvider(new ColumnLabelProvider() {
			@Override
			public String getText(Object e) {
				return text.apply((Row) e);
			}
		});
	}

	/** Reads the audit trail in the background; the rows follow when it answers. */
	private void loadTrail() {
		if (engine == null) {
			status.setText(Engines.NOT_AVAILABLE);
			return;
		}
		status.setText("Reading the audit trail…");
		engine.auditTrail(null, null, TRAIL).whenComplete((entries, failure) -> display.asyncExec(() -> {
			if (viewer.getControl().isDisposed()) {
				return;
			}
			trail.clear();
			if (failure != null) {
				Throwable c = failure.getCause() != null ? failure.getCause() : failure;
				status.setText(c.getMessage());
			} else {
				entries.forEach(e -> trail.add(Row.of(e)));
				status.setText(entries.isEmpty() ? "The audit trail is empty (changes made through the agent show"
						+ " here)." : entries.size() + " entries of the audit trail, then what happens now.");
			}
			status.getParent().layout(true);
			show();
		}));
	}

	/** The rows that pass the filters, newest first. */
	public List<Row> shown() {
		List<Row> rows = new ArrayList<>();
		String c = containerFilter.getText();
		String u = userFilter.getText();
		for (List<Row> list : List.of(trail, heard)) {
			for (Row r : list) {
				if (r.matches(c, u)) {
					rows.add(r);
				}
			}
		}
		rows.sort((a, b) -> b.time().compareTo(a.time()));
		return rows;
	}

	private void show() {
		viewer.setInput(shown());
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
