package org.berth.ui.specs;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.berth.core.ContainerSpec;
import org.berth.core.IdMap;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;
import org.berth.core.Problem;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.FontDescriptor;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.resource.LocalResourceManager;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

/**
 * For each namespace type: New / Host / Share with a container, the one line of what it isolates, and the
 * validator's sentences about it. Used by the New Container wizard and the container editor.
 */
public final class NamespacesEditor {

	/** The key under which tests find widgets. */
	public static final String TEST_ID = "org.berth.ui.test.id";

	private static final String NEW = "New";
	private static final String HOST = "Host's";
	private static final String SHARE = "Share with ";

	private final Composite control;
	private final Map<NamespaceType, Combo> combos = new EnumMap<>(NamespaceType.class);
	private final Map<NamespaceType, Label> problems = new EnumMap<>(NamespaceType.class);
	private Text idMap;
	/** See {@link #setReadOnly}. */
	private boolean readOnly;
	private final List<Runnable> listeners = new ArrayList<>();
	private List<String> others;

	/**
	 * @param others the containers one can share a namespace with (not the container itself)
	 */
	public NamespacesEditor(Composite parent, List<String> others) {
		this.others = List.copyOf(others);
		control = new Composite(parent, SWT.NONE);
		LocalResourceManager resources = new LocalResourceManager(JFaceResources.getResources(), control);
		GridLayoutFactory.swtDefaults().numColumns(3).spacing(10, 2).applyTo(control);
		var bold = resources.create(FontDescriptor.createFrom(JFaceResources.getDialogFont()).setStyle(SWT.BOLD));
		var grey = control.getDisplay().getSystemColor(SWT.COLOR_WIDGET_DARK_SHADOW);
		for (NamespaceType type : NamespaceType.values()) {
			Label name = new Label(control, SWT.NONE);
			name.setText(type.displayName());
			name.setFont(bold);
			Combo combo = new Combo(control, SWT.READ_ONLY);
			combo.setData(TEST_ID, "ns." + type.procName());
			fill(combo);
			combo.select(0);
			combo.addListener(SWT.Selection, e -> changed());
			GridDataFactory.fillDefaults().hint(190, SWT.DEFAULT).applyTo(combo);
			combos.put(type, combo);
			Label isolates = new Label(control, SWT.WRAP);
			isolates.setText("Isolates " + type.isolates() + ".");
			isolates.setForeground(grey);
			GridDataFactory.fillDefaults().grab(true, false).hint(360, SWT.DEFAULT).applyTo(isolates);
			if (type == NamespaceType.USER) {
				new Label(control, SWT.NONE);
				Label mapLabel = new Label(control, SWT.NONE);
				mapLabel.setText("ID map (uid and gid):");
				GridDataFactory.fillDefaults().indent(16, 0).applyTo(mapLabel);
				idMap = new Text(control, SWT.BORDER);
				idMap.setMessage("empty: Berth picks a free block of 65536 host ids; or INSIDE OUTSIDE COUNT");
				idMap.setData(TEST_ID, "ns.user.idmap");
				idMap.addModifyListener(e -> changed());
				GridDataFactory.fillDefaults().grab(true, false).applyTo(idMap);
			}
			Label problem = new Label(control, SWT.WRAP);
			problem.setData(TEST_ID, "ns." + type.procName() + ".problems");
			GridDataFactory.fillDefaults().span(3, 1).grab(true, false).hint(500, SWT.DEFAULT).indent(16, 0)
					.exclude(true).applyTo(problem);
			problem.setVisible(false);
			problems.put(type, problem);
		}
		if (idMap == null) {
			throw new IllegalStateException("no user namespace type");
		}
		updateIdMapEnablement();
	}

	private void fill(Combo combo) {
		combo.removeAll();
		combo.add(NEW);
		combo.add(HOST);
		for (String o : others) {
			combo.add(SHARE + o);
		}
	}

	/** Changes the containers offered for sharing, keeping the choices. */
	public void setOthers(List<String> names) {
		Map<NamespaceType, NamespaceSpec> keep = choices();
		others = List.copyOf(names);
		combos.values().forEach(this::fill);
		keep.values().forEach(this::select);
	}

	public Composite control() {
		return control;
	}

	public void addChangeListener(Runnable r) {
		listeners.add(r);
	}

	private void changed() {
		updateIdMapEnablement();
		listeners.forEach(Runnable::run);
	}

	private void updateIdMapEnablement() {
		idMap.setEnabled(!readOnly && choice(NamespaceType.USER).mode() == NamespaceMode.NEW);
	}

	/**
	 * Shows the choices read-only: for a container whose engine does not change its namespaces (see
	 * {@code ContainerEngine.namespacesFixed}; whoever calls this says why).
	 */
	public void setReadOnly() {
		readOnly = true;
		combos.values().forEach(c -> c.setEnabled(false));
		updateIdMapEnablement();
	}

	/** Shows the choices of {@code spec}. */
	public void load(ContainerSpec spec) {
		for (NamespaceSpec ns : spec.namespaces().values()) {
			select(ns);
		}
		idMap.setText(spec.uidMaps().isEmpty() ? "" : spec.uidMaps().get(0).toString());
		updateIdMapEnablement();
	}

	/** Selects a choice; a share with a container not offered adds it to the combo. */
	public void select(NamespaceSpec ns) {
		Combo combo = combos.get(ns.type());
		String item = switch (ns.mode()) {
			case NEW -> NEW;
			case HOST -> HOST;
			case SHARE -> SHARE + ns.shareWith();
		};
		int index = combo.indexOf(item);
		if (index < 0) {
			combo.add(item);
			index = combo.indexOf(item);
		}
		combo.select(index);
		updateIdMapEnablement();
	}

	/** The choice for one type. */
	public NamespaceSpec choice(NamespaceType type) {
		String item = combos.get(type).getText();
		if (item.startsWith(SHARE)) {
			return NamespaceSpec.share(type, item.substring(SHARE.length()));
		}
		return item.equals(HOST) ? NamespaceSpec.host(type) : NamespaceSpec.ofNew(type);
	}

	/** All choices. */
	public Map<NamespaceType, NamespaceSpec> choices() {
		Map<NamespaceType, NamespaceSpec> out = new EnumMap<>(NamespaceType.class);
		for (NamespaceType t : NamespaceType.values()) {
			out.put(t, choice(t));
		}
		return out;
	}

	/** A sentence when the id map cannot be read, else null. */
	public String parseError() {
		if (choice(NamespaceType.USER).mode() != NamespaceMode.NEW || idMap.getText().isBlank()) {
			return null;
		}
		try {
			IdMap.parse(idMap.getText());
			return null;
		} catch (IllegalArgumentException e) {
			return e.getMessage();
		}
	}

	/** Puts the choices (and the id map of a new user namespace) into {@code b}. */
	public void apply(ContainerSpec.Builder b) {
		choices().values().forEach(b::namespace);
		List<IdMap> maps = List.of();
		if (choice(NamespaceType.USER).mode() == NamespaceMode.NEW && parseError() == null
				&& !idMap.getText().isBlank()) {
			maps = List.of(IdMap.parse(idMap.getText()));
		}
		b.uidMaps(maps).gidMaps(maps);
	}

	/** Shows the validator's sentences under the namespace each is about. */
	public void showProblems(List<Problem> all, String parseError) {
		List<Problem> list = new ArrayList<>(all);
		if (parseError != null) {
			list.add(Problem.error("uidMaps", parseError));
		}
		for (NamespaceType t : NamespaceType.values()) {
			String field = "namespaces." + t.procName();
			ProblemLabels.show(problems.get(t), list, f -> f.equals(field)
					|| (t == NamespaceType.USER && (f.equals("uidMaps") || f.equals("gidMaps"))));
		}
	}

	/** Whether a field name belongs to this editor. */
	public static boolean isMine(String field) {
		return field.startsWith("namespaces.") || field.equals("uidMaps") || field.equals("gidMaps");
	}

	/** The label of a choice, as the combo shows it ("Share with c1"), for tests. */
	public static String label(NamespaceSpec ns) {
		return switch (ns.mode()) {
			case NEW -> NEW;
			case HOST -> HOST;
			case SHARE -> SHARE + ns.shareWith();
		};
	}
}
