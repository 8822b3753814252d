package org.berth.ui.tests;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.berth.core.Metric;
import org.berth.ui.containers.ContainersView;
import org.berth.ui.containers.Sparklines;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;

/**
 * The Containers view as a user sees and drives it: its rows, filter, headers, banner and sparklines, found through
 * the view's table and the widgets' test ids. Methods that touch widgets run on the UI thread (wrap them in
 * {@link Workbench#sync}); {@link #sparkline} may be called from any thread.
 */
final class ContainersPage {

	private final ContainersView view;
	private final Sparklines sparklines;

	private ContainersPage(ContainersView view) {
		this.view = view;
		this.sparklines = Workbench.sync(() -> Arrays.stream(table().getListeners(SWT.PaintItem))
				.filter(Sparklines.class::isInstance).map(Sparklines.class::cast).findFirst().orElse(null));
	}

	/** Shows the Containers view. Test thread. */
	static ContainersPage open() {
		return new ContainersPage(Workbench.showView(ContainersView.ID, ContainersView.class));
	}

	TableViewer viewer() {
		return view.viewer();
	}

	private Table table() {
		return view.viewer().getTable();
	}

	/** What the view is made of (banner, toolbar, filter, table). */
	private Composite root() {
		return table().getParent();
	}

	/** Selects the rows of these containers as a click does: the viewer, the workbench and the toolbar hear of it. */
	void select(String... names) {
		Set<String> wanted = Set.of(names);
		Table t = table();
		List<Integer> indices = new ArrayList<>();
		for (int i = 0; i < t.getItemCount(); i++) {
			if (wanted.contains(t.getItem(i).getText(0))) { // a virtual row gets its element when it is first read
				indices.add(i);
			}
		}
		t.setSelection(indices.stream().mapToInt(Integer::intValue).toArray());
		if (!indices.isEmpty()) {
			t.showItem(t.getItem(indices.get(0)));
		}
		Event e = new Event();
		e.item = indices.isEmpty() ? null : t.getItem(indices.get(0));
		t.notifyListeners(SWT.Selection, e);
	}

	/** The names of the selected containers, in table order, as the console's commands take them. */
	List<String> selectedNames() {
		return view.selectedNames();
	}

	/** The texts of the row of {@code name}, one per column, or null when it is not shown. */
	String[] rowTexts(String name) {
		Table t = table();
		for (int i = 0; i < t.getItemCount(); i++) {
			TableItem item = t.getItem(i);
			if (name.equals(item.getText(0))) {
				String[] out = new String[t.getColumnCount()];
				for (int c = 0; c < out.length; c++) {
					out[c] = item.getText(c);
				}
				return out;
			}
		}
		return null;
	}

	/** Whether the cell of the row of {@code name} in {@code column} shows an icon. */
	boolean hasImage(String name, int column) {
		Table t = table();
		for (int i = 0; i < t.getItemCount(); i++) {
			if (name.equals(t.getItem(i).getText(0))) {
				return t.getItem(i).getImage(column) != null;
			}
		}
		throw new AssertionError(name + " is not shown");
	}

	/** The text of one cell of the row of {@code name}, or null when the row is not shown. */
	String cell(String name, int column) {
		String[] row = rowTexts(name);
		return row == null ? null : row[column];
	}

	/** The names in the order shown (after filter and sort). */
	List<String> shownNames() {
		Table t = table();
		List<String> out = new ArrayList<>();
		for (int i = 0; i < t.getItemCount(); i++) {
			out.add(t.getItem(i).getText(0));
		}
		return out;
	}

	/** Sets the filter's text (a Modify event follows, as with typing). */
	void filter(String text) {
		Text filter = Widgets.byId(root(), "containers.filter");
		filter.setText(text);
	}

	/** Clicks the header of {@code column}, as a user sorting by it does. */
	void clickHeader(int column) {
		table().getColumn(column).notifyListeners(SWT.Selection, new Event());
	}

	/** The text shown above the table when there is nothing to show ("" when hidden). */
	String emptyText() {
		return shownText(Widgets.byId(root(), "containers.empty"));
	}

	/** The sentences of the banner ("" when hidden). */
	String bannerText() {
		Label text = Widgets.byId(root(), "containers.banner");
		return text.getParent().getVisible() ? text.getText() : "";
	}

	private static String shownText(Control c) {
		return c.getVisible() ? ((Label) c).getText() : "";
	}

	/**
	 * The sparkline of the row of {@code name} for {@link Metric#CPU_PERCENT} or {@link Metric#MEMORY_BYTES}: a value
	 * per second of the last minute, NaN where there is no sample; empty when none is drawn. Any thread.
	 */
	double[] sparkline(String name, Metric metric) {
		return sparklines == null ? new double[0] : sparklines.series(name, metric);
	}

	/** Draws the table again now (for a screenshot of the sparklines). */
	void redraw() {
		table().redraw();
		table().update();
	}

}
