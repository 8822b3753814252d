package org.berth.ui.specs;

import java.util.ArrayList;
import java.util.List;

import org.berth.core.Limits;
import org.berth.core.Problem;
import org.berth.core.Sizes;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

/** Memory (with a unit), CPUs and pids limits, with the validator's sentences. Wizard and editor. */
public final class LimitsEditor {

	/** The key under which tests find widgets. */
	public static final String TEST_ID = NamespacesEditor.TEST_ID;

	private static final String[] UNITS = {"MiB", "GiB"};

	private final Composite control;
	private final Text memory;
	private final Combo memoryUnit;
	private final Text cpus;
	private final Text pids;
	private final Label memoryProblems;
	private final Label cpusProblems;
	private final Label pidsProblems;
	private final List<Runnable> listeners = new ArrayList<>();
	private Limits base = Limits.NONE;

	public LimitsEditor(Composite parent) {
		control = new Composite(parent, SWT.NONE);
		GridLayoutFactory.swtDefaults().numColumns(3).spacing(8, 4).applyTo(control);

		label("&Memory limit:");
		memory = text("limits.memory", "no limit");
		memoryUnit = new Combo(control, SWT.READ_ONLY);
		memoryUnit.setItems(UNITS);
		memoryUnit.select(0);
		memoryUnit.setData(TEST_ID, "limits.memory.unit");
		memoryUnit.addListener(SWT.Selection, e -> changed());
		memoryProblems = problems();

		label("&CPUs:");
		cpus = text("limits.cpus", "no limit, e.g. 0.5 or 2");
		hint("CPUs");
		cpusProblems = problems();

		label("&Processes (pids):");
		pids = text("limits.pids", "no limit");
		hint("processes and threads");
		pidsProblems = problems();
	}

	private void label(String text) {
		Label l = new Label(control, SWT.NONE);
		l.setText(text);
	}

	private void hint(String text) {
		Label l = new Label(control, SWT.NONE);
		l.setText(text);
	}

	private Text text(String id, String message) {
		Text t = new Text(control, SWT.BORDER);
		t.setMessage(message);
		t.setData(TEST_ID, id);
		t.addModifyListener(e -> changed());
		GridDataFactory.fillDefaults().hint(160, SWT.DEFAULT).applyTo(t);
		return t;
	}

	private Label problems() {
		Label l = new Label(control, SWT.WRAP);
		GridDataFactory.fillDefaults().span(3, 1).grab(true, false).hint(420, SWT.DEFAULT).applyTo(l);
		ProblemLabels.reserve(l, 2);
		return l;
	}

	public Composite control() {
		return control;
	}

	public void addChangeListener(Runnable r) {
		listeners.add(r);
	}

	private void changed() {
		listeners.forEach(Runnable::run);
	}

	/** Shows {@code limits} (the other limits, e.g. cpuset, are kept as they are). */
	public void load(Limits limits) {
		base = limits;
		Long m = limits.memoryBytes();
		if (m == null) {
			memory.setText("");
			memoryUnit.select(0);
		} else if (m % Sizes.GIB == 0) {
			memory.setText(Long.toString(m / Sizes.GIB));
			memoryUnit.select(1);
		} else if (m % Sizes.MIB == 0) {
			memory.setText(Long.toString(m / Sizes.MIB));
			memoryUnit.select(0);
		} else {
			memory.setText(new java.math.BigDecimal(m).divide(java.math.BigDecimal.valueOf(Sizes.MIB),
					3, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString());
			memoryUnit.select(0);
		}
		cpus.setText(limits.cpus() == null ? "" : Sizes.formatCpus(limits.cpus()));
		pids.setText(limits.pids() == null ? "" : Long.toString(limits.pids()));
	}

	/** A sentence when a field cannot be read, else null. */
	public String parseError() {
		try {
			limits();
			return null;
		} catch (IllegalArgumentException e) {
			return e.getMessage();
		}
	}

	/**
	 * The limits entered.
	 *
	 * @throws IllegalArgumentException with a sentence when a field cannot be read
	 */
	public Limits limits() {
		Long mem = memoryBytes(memory.getText(), memoryUnit.getSelectionIndex() == 1 ? "G" : "M");
		Double c = cpus.getText().isBlank() ? null : Sizes.parseCpus(cpus.getText());
		Long p = null;
		if (!pids.getText().isBlank()) {
			if (!pids.getText().trim().matches("[0-9]{1,10}")) {
				throw new IllegalArgumentException("\"" + pids.getText().trim()
						+ "\" is not a number of processes; use a whole number such as 512, or nothing for no limit");
			}
			p = Long.parseLong(pids.getText().trim());
		}
		return base.withMemoryBytes(mem).withCpus(c).withPids(p);
	}

	/**
	 * The memory field read with the unit menu beside it: a plain number is in that unit ("128" MiB), a size that
	 * says its unit keeps it ("128M", "1.5 GiB", "512K"); empty is no limit.
	 *
	 * @throws IllegalArgumentException with a sentence quoting what was typed
	 */
	public static Long memoryBytes(String typed, String menuUnit) {
		String t = typed.trim();
		if (t.isEmpty()) {
			return null;
		}
		boolean plainNumber = t.matches("[0-9]+(\\.[0-9]*)?|\\.[0-9]+");
		try {
			return Sizes.parseBytes(plainNumber ? t + menuUnit : t);
		} catch (IllegalArgumentException e) {
			if (t.matches("[0-9.]+\\s*[A-Za-z]+") || !t.matches(".*[0-9].*")) {
				throw new IllegalArgumentException("memory limit \"" + t + "\" is not a size; type a number in the unit"
						+ " beside it, e.g. 512, or a size with its unit, e.g. 512M or 2G");
			}
			throw new IllegalArgumentException("memory limit: " + e.getMessage().replace(t + menuUnit, t));
		}
	}

	/** Shows the validator's sentences (and a field that cannot be read) under the fields. */
	public void showProblems(List<Problem> all, String parseError) {
		List<Problem> list = new ArrayList<>(all);
		if (parseError != null) {
			String field = parseError.startsWith("memory limit") ? "limits.memoryBytes"
					: parseError.contains("CPUs") ? "limits.cpus"
							: parseError.contains("processes") ? "limits.pids" : "limits.memoryBytes";
			list.add(Problem.error(field, parseError));
		}
		ProblemLabels.show(memoryProblems, list, f -> f.startsWith("limits.memory"));
		ProblemLabels.show(cpusProblems, list, f -> f.startsWith("limits.cpu"));
		ProblemLabels.show(pidsProblems, list, f -> f.equals("limits.pids"));
	}
}
