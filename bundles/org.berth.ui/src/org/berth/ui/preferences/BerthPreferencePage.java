package org.berth.ui.preferences;

import java.util.TreeSet;

import org.berth.ui.internal.Engines;
import org.eclipse.jface.preference.ComboFieldEditor;
import org.eclipse.jface.preference.FieldEditorPreferencePage;
import org.eclipse.jface.preference.IntegerFieldEditor;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;

/** Window ▸ Preferences ▸ Berth: refresh interval, default template, default limits. */
public final class BerthPreferencePage extends FieldEditorPreferencePage implements IWorkbenchPreferencePage {

	/** The page id in plugin.xml. */
	public static final String ID = "org.berth.ui.preferences";

	public BerthPreferencePage() {
		super(GRID);
		setDescription("How the console samples containers, and what the New Container wizard proposes.");
	}

	@Override
	public void init(IWorkbench workbench) {
		setPreferenceStore(BerthPreferences.store());
	}

	@Override
	protected void createFieldEditors() {
		IntegerFieldEditor interval = new IntegerFieldEditor(BerthPreferences.REFRESH_INTERVAL_SECONDS,
				"&Refresh usage every (seconds):", getFieldEditorParent());
		interval.setValidRange(BerthPreferences.MIN_REFRESH_INTERVAL_SECONDS,
				BerthPreferences.MAX_REFRESH_INTERVAL_SECONDS);
		interval.setErrorMessage("The interval must be " + BerthPreferences.MIN_REFRESH_INTERVAL_SECONDS + " to "
				+ BerthPreferences.MAX_REFRESH_INTERVAL_SECONDS + " seconds.");
		addField(interval);

		TreeSet<String> templates = new TreeSet<>(
				Engines.find().map(e -> e.templates()).orElse(java.util.Set.of(getPreferenceStore()
						.getDefaultString(BerthPreferences.DEFAULT_TEMPLATE))));
		String[][] entries = templates.stream().map(t -> new String[]{t, t}).toArray(String[][]::new);
		addField(new ComboFieldEditor(BerthPreferences.DEFAULT_TEMPLATE, "Default &template:", entries,
				getFieldEditorParent()));

		IntegerFieldEditor memory = new IntegerFieldEditor(BerthPreferences.DEFAULT_MEMORY_LIMIT_MIB,
				"Default &memory limit (MiB, 0 = none):", getFieldEditorParent());
		memory.setValidRange(0, 1024 * 1024);
		memory.setErrorMessage("The memory limit must be 0 to 1048576 MiB.");
		addField(memory);

		IntegerFieldEditor pids = new IntegerFieldEditor(BerthPreferences.DEFAULT_PIDS_LIMIT,
				"Default &pids limit (0 = none):", getFieldEditorParent());
		pids.setValidRange(0, 4_194_304);
		pids.setErrorMessage("The pids limit must be 0 to 4194304.");
		addField(pids);
	}
}
