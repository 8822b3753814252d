package org.berth.ui.containers;

import jakarta.annotation.PostConstruct;

import org.eclipse.e4.ui.di.Focus;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;

/** The Containers view: one row per container with its state and usage. */
public final class ContainersView {

	/** The view id in plugin.xml. */
	public static final String ID = "org.berth.ui.containers";

	private TableViewer viewer;

	@PostConstruct
	public void createPartControl(Composite parent) {
		GridLayoutFactory.fillDefaults().applyTo(parent);
		Label hint = new Label(parent, SWT.WRAP);
		hint.setText("No containers yet.");
		GridDataFactory.fillDefaults().grab(true, false).indent(6, 4).applyTo(hint);

		viewer = new TableViewer(parent, SWT.MULTI | SWT.FULL_SELECTION | SWT.BORDER | SWT.VIRTUAL);
		viewer.getTable().setHeaderVisible(true);
		viewer.getTable().setLinesVisible(true);
		for (String[] column : new String[][] { { "Name", "180" }, { "State", "110" }, { "Kind", "90" },
				{ "Init PID", "80" }, { "Uptime", "90" }, { "CPU %", "70" }, { "Memory", "140" } }) {
			TableViewerColumn c = new TableViewerColumn(viewer, SWT.NONE);
			c.getColumn().setText(column[0]);
			c.getColumn().setWidth(Integer.parseInt(column[1]));
		}
		viewer.setContentProvider(ArrayContentProvider.getInstance());
		viewer.setInput(new Object[0]);
		GridDataFactory.fillDefaults().grab(true, true).applyTo(viewer.getControl());
	}

	@Focus
	public void setFocus() {
		viewer.getControl().setFocus();
	}

	/** The table, for tests. */
	public TableViewer viewer() {
		return viewer;
	}
}
