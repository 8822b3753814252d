package org.berth.ui.containers;

import java.util.Comparator;

import org.eclipse.jface.viewers.Viewer;
import org.eclipse.jface.viewers.ViewerComparator;
import org.eclipse.swt.SWT;

/**
 * The order of the Containers view: a column and a direction. The viewer sorts with it, and the view's own list of
 * the rows in table order ({@link #order()}) follows the same order.
 */
final class ContainerSorter extends ViewerComparator {

	private Column column = Column.NAME;
	private int direction = SWT.UP;

	/** A click on the header of {@code c}: sorts by it, ascending, or turns the order round if it is already the key. */
	void sortBy(Column c) {
		if (column == c) {
			direction = direction == SWT.UP ? SWT.DOWN : SWT.UP;
		} else {
			column = c;
			direction = SWT.UP;
		}
	}

	Column column() {
		return column;
	}

	/** {@link SWT#UP} or {@link SWT#DOWN}, as the table's sort indicator takes it. */
	int direction() {
		return direction;
	}

	/** The order of the rows as the table shows them. */
	Comparator<ContainerItem> order() {
		return direction == SWT.UP ? column.order : column.order.reversed();
	}

	@Override
	public int compare(Viewer viewer, Object a, Object b) {
		return order().compare((ContainerItem) a, (ContainerItem) b);
	}
}
