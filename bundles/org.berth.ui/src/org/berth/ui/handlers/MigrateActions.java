package org.berth.ui.handlers;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerState;
import org.berth.core.MigrationProgress;
import org.berth.core.MigrationResult;
import org.berth.core.Sizes;
import org.berth.core.SshUrl;

/**
 * When the console offers Migrate…, and its words for it: the decisions the handler, the editor's button and the
 * Migrate dialog share. Pure: no widgets, no engine calls.
 */
public final class MigrateActions {

	/** What the dialog and the Close button's tooltip say while a migration runs. */
	public static final String NOT_STOPPABLE = "A migration cannot be stopped: if anything fails before the target"
			+ " runs it, the container resumes here.";

	private MigrateActions() {
	}

	/** Whether Migrate… acts on these selected containers: exactly one, and it runs or is stopped. */
	public static boolean canMigrate(List<ContainerSnapshot> selected) {
		return selected.size() == 1 && blocker(selected.get(0)) == null;
	}

	/** Why {@code s} cannot migrate now (a disabled Migrate button's tooltip), or null when it can. */
	public static String blocker(ContainerSnapshot s) {
		if (s == null) {
			return "The container is gone";
		}
		if (s.state() == ContainerState.RUNNING || s.state() == ContainerState.STOPPED) {
			return null;
		}
		return "\"" + s.name() + "\" is " + s.state().cli() + ": a running or a stopped container can migrate";
	}

	/**
	 * What is wrong with a typed target, or null when it is one: SshUrl's own sentence ("… is not a target: write
	 * ssh://[user@]host[:port], …"). Blank is {@link #targetMissing}, not a problem to shout about.
	 */
	public static String targetProblem(String typed) {
		if (typed == null || typed.isBlank()) {
			return null;
		}
		try {
			SshUrl.parse(typed);
			return null;
		} catch (IllegalArgumentException e) {
			return e.getMessage();
		}
	}

	/** Whether nothing is typed yet (Migrate stays disabled; the dialog says what to write, not that it is wrong). */
	public static boolean targetMissing(String typed) {
		return typed == null || typed.isBlank();
	}

	/** The target as the engine and the remembered list take it: SshUrl's own spelling of what was typed. */
	public static String normalTarget(String typed) {
		return SshUrl.parse(typed).toString();
	}

	/** The line at the end: "Running on ssh://host2 — down 0.91 s, 12.3 MiB sent", "Moved to ssh://host2 — …". */
	public static String summary(MigrationResult r) {
		return r.live()
				? "Running on " + r.target() + " — down " + seconds(r.downtime()) + ", " + Sizes.formatBytes(
						r.bytesSent()) + " sent"
				: "Moved to " + r.target() + " — " + Sizes.formatBytes(r.bytesSent()) + " sent";
	}

	/** A phase's time or a downtime: "0.91 s", "12.3 s", "2 min 05 s". */
	public static String seconds(Duration d) {
		double s = d.toNanos() / 1e9;
		if (s < 10) {
			return String.format(Locale.ROOT, "%.2f s", s);
		}
		if (s < 60) {
			return String.format(Locale.ROOT, "%.1f s", s);
		}
		long whole = d.toSeconds();
		return whole < 3600 ? String.format(Locale.ROOT, "%d min %02d s", whole / 60, whole % 60)
				: String.format(Locale.ROOT, "%d h %02d min", whole / 3600, whole % 3600 / 60);
	}

	/** A phase's name in the list: "Check", "Freeze and dump", "Clean up". */
	public static String phaseName(MigrationProgress.Phase p) {
		String l = p.label();
		return Character.toUpperCase(l.charAt(0)) + l.substring(1);
	}

	/** What the dialog says before it starts, for a container in this state. */
	public static String intro(String name, boolean running) {
		return running
				? "\"" + name + "\" runs: it moves live, down only from its freeze until the target resumes it."
				: "\"" + name + "\" is stopped: it moves with its files and snapshots.";
	}
}
