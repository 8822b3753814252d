package org.berth.ui.preferences;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.berth.core.ContainerSpec;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.jface.preference.IPersistentPreferenceStore;
import org.eclipse.jface.preference.IPreferenceStore;
import org.eclipse.ui.preferences.ScopedPreferenceStore;

/** The console's preferences: keys carry their unit, defaults live here, the store is the instance scope. */
public final class BerthPreferences {

	/** The preference node (the bundle's symbolic name). */
	public static final String NODE = "org.berth.ui";

	/** How often the Containers view samples the usage of running containers, in seconds. */
	public static final String REFRESH_INTERVAL_SECONDS = "refreshIntervalSeconds";
	public static final int DEFAULT_REFRESH_INTERVAL_SECONDS = 2;
	public static final int MIN_REFRESH_INTERVAL_SECONDS = 1;
	public static final int MAX_REFRESH_INTERVAL_SECONDS = 3600;

	/** The template the New Container wizard proposes. */
	public static final String DEFAULT_TEMPLATE = "defaultTemplate";

	/** The memory limit the New Container wizard proposes, in MiB; 0 = no limit. */
	public static final String DEFAULT_MEMORY_LIMIT_MIB = "defaultMemoryLimitMib";
	public static final int DEFAULT_DEFAULT_MEMORY_LIMIT_MIB = 256;

	/** The pids limit the New Container wizard proposes; 0 = no limit. */
	public static final String DEFAULT_PIDS_LIMIT = "defaultPidsLimit";
	public static final int DEFAULT_DEFAULT_PIDS_LIMIT = 512;

	/** The targets the Migrate dialog remembers, most recent first, one a line (ssh://[user@]host[:port]). */
	public static final String MIGRATION_TARGETS = "migrationTargets";
	/** How many targets it remembers. */
	public static final int MAX_MIGRATION_TARGETS = 8;

	private static ScopedPreferenceStore store;

	private BerthPreferences() {
	}

	/** The store (instance scope, defaults set). */
	public static synchronized IPreferenceStore store() {
		if (store == null) {
			store = new ScopedPreferenceStore(InstanceScope.INSTANCE, NODE);
			setDefaults(store);
		}
		return store;
	}

	static void setDefaults(IPreferenceStore s) {
		s.setDefault(REFRESH_INTERVAL_SECONDS, DEFAULT_REFRESH_INTERVAL_SECONDS);
		s.setDefault(DEFAULT_TEMPLATE, ContainerSpec.DEFAULT_TEMPLATE);
		s.setDefault(DEFAULT_MEMORY_LIMIT_MIB, DEFAULT_DEFAULT_MEMORY_LIMIT_MIB);
		s.setDefault(DEFAULT_PIDS_LIMIT, DEFAULT_DEFAULT_PIDS_LIMIT);
	}

	/** The remembered migration targets, most recent first. */
	public static List<String> migrationTargets() {
		return parseTargets(store().getString(MIGRATION_TARGETS));
	}

	/** Puts {@code target} first in the remembered targets and saves them (a failure to save is logged). */
	public static void rememberMigrationTarget(String target) {
		IPreferenceStore s = store();
		s.setValue(MIGRATION_TARGETS, String.join("\n", remember(migrationTargets(),
				target)));
		if (s instanceof IPersistentPreferenceStore p && p.needsSaving()) {
			try {
				p.save();
			} catch (IOException e) {
				ILog.get().error("Could not save the migration targets: " + e.getMessage(), e);
			}
		}
	}

	/** The remembered targets with {@code used} first (once), at most {@link #MAX_MIGRATION_TARGETS}. */
	public static List<String> remember(List<String> recent, String used) {
		List<String> out = new ArrayList<>();
		out.add(used);
		for (String t : recent) {
			if (!t.isBlank() && !t.equals(used) && out.size() < MAX_MIGRATION_TARGETS) {
				out.add(t);
			}
		}
		return out;
	}

	/** The remembered targets of the preference's value (one a line). */
	public static List<String> parseTargets(String stored) {
		if (stored == null || stored.isBlank()) {
			return List.of();
		}
		return stored.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
	}

	/** The refresh interval in milliseconds, clamped to the allowed range. */
	public static long refreshIntervalMillis() {
		int s = store().getInt(REFRESH_INTERVAL_SECONDS);
		s = Math.max(MIN_REFRESH_INTERVAL_SECONDS, Math.min(MAX_REFRESH_INTERVAL_SECONDS, s));
		return s * 1000L;
	}
}
