package org.berth.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Rows of text printed in aligned columns, two spaces apart, the last column not padded. */
final class Table {

	private final List<String[]> rows = new ArrayList<>();
	private final int columns;

	/** A table with a header row; with no headers, a table of {@code columns} without one. */
	Table(String... headers) {
		this.columns = headers.length;
		rows.add(headers);
	}

	static Table withoutHeader(int columns) {
		Table t = new Table(new String[columns]);
		t.rows.clear();
		return t;
	}

	Table row(String... cells) {
		if (cells.length != columns) {
			throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + columns);
		}
		rows.add(Arrays.copyOf(cells, cells.length));
		return this;
	}

	List<String> lines() {
		int[] widths = new int[columns];
		for (String[] row : rows) {
			for (int i = 0; i < columns; i++) {
				widths[i] = Math.max(widths[i], text(row[i]).length());
			}
		}
		List<String> lines = new ArrayList<>(rows.size());
		for (String[] row : rows) {
			StringBuilder b = new StringBuilder();
			for (int i = 0; i < columns; i++) {
				String cell = text(row[i]);
				b.append(cell);
				if (i < columns - 1) {
					b.append(" ".repeat(widths[i] - cell.length() + 2));
				}
			}
			lines.add(b.toString().stripTrailing());
		}
		return lines;
	}

	void print(PrintStream out) {
		lines().forEach(out::println);
	}

	private static String text(String cell) {
		return cell == null ? "-" : cell;
	}
}
