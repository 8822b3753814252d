package org.berth.ui.handlers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.berth.core.MigrationProgress;
import org.berth.core.MigrationProgress.Phase;
import org.berth.core.MigrationResult;

/**
 * The phases of one migration as the Migrate dialog lists them: each waiting, running, done, failed or skipped, with
 * its time once it is over. The engine's thread tells it what it hears ({@link #heard}); the UI thread reads a
 * {@link #view()}. Times are measured as the progress arrives, and replaced by the engine's own at the end.
 * <p>
 * After a failure the engine still reports {@link Phase#CLEAN_UP} (removing what it made on the target, resuming the
 * container here) before it answers: the phase that failed is the last one heard before that clean-up.
 */
public final class MigrationPhases {

	/** Where a phase is. */
	public enum State {
		WAITING("waiting"),
		RUNNING("running"),
		DONE("done"),
		FAILED("failed"),
		/** Passed over: a stopped container has no processes to dump, copy and restore; a failure ends the rest. */
		SKIPPED("skipped");

		private final String label;

		State(String label) {
			this.label = label;
		}

		public String label() {
			return label;
		}
	}

	/** One line of the list; {@code took} is null until the phase is over. */
	public record Row(Phase phase, State state, Duration took) {
	}

	/** What the dialog shows at one moment. {@code current} is null before the first progress and at the end. */
	public record View(List<Row> rows, Phase current, double fraction, String message) {
	}

	private static final Phase[] PHASES = Phase.values();

	private final State[] states = new State[PHASES.length];
	private final long[] began = new long[PHASES.length];
	private final Duration[] took = new Duration[PHASES.length];
	private Phase current;
	private double fraction = -1;
	private String message = "";
	/** The last phase heard other than the clean-up: where a failure happened. */
	private Phase lastWork;

	public MigrationPhases() {
		Arrays.fill(states, State.WAITING);
	}

	/** The engine reported {@code p} at {@code nanos} (System.nanoTime()). Any thread. */
	public synchronized void heard(MigrationProgress p, long nanos) {
		int i = p.phase().ordinal();
		if (states[i] == State.WAITING) {
			for (int j = 0; j < i; j++) {
				if (states[j] == State.RUNNING) {
					states[j] = State.DONE;
					took[j] = Duration.ofNanos(nanos - began[j]);
				} else if (states[j] == State.WAITING) {
					states[j] = State.SKIPPED;
				}
			}
			states[i] = State.RUNNING;
			began[i] = nanos;
		}
		if (p.phase() != Phase.CLEAN_UP) {
			lastWork = p.phase();
		}
		current = p.phase();
		fraction = p.fraction();
		message = p.message() == null ? "" : p.message();
	}

	/** The migration is done: every phase it went through is done, with the engine's times; the rest skipped. */
	public synchronized void finished(MigrationResult r, long nanos) {
		for (int i = 0; i < PHASES.length; i++) {
			Duration engine = r.phases().get(PHASES[i]);
			if (engine != null) {
				states[i] = State.DONE;
				took[i] = engine;
			} else if (states[i] == State.RUNNING) {
				states[i] = State.DONE;
				took[i] = Duration.ofNanos(nanos - began[i]);
			} else if (states[i] != State.DONE) {
				states[i] = State.SKIPPED;
			}
		}
		current = null;
		fraction = 1;
	}

	/**
	 * The migration failed at {@code nanos}: the phase it was in is marked failed (the check when nothing was heard),
	 * a clean-up that ran is done, what never ran is skipped. Returns the failed phase.
	 */
	public synchronized Phase failed(long nanos) {
		Phase failed = lastWork == null ? Phase.CHECK : lastWork;
		int f = failed.ordinal();
		int cleanUp = Phase.CLEAN_UP.ordinal();
		for (int i = 0; i < PHASES.length; i++) {
			if (i == f) {
				if (states[i] == State.RUNNING) {
					took[i] = Duration.ofNanos(nanos - began[i]);
				}
				states[i] = State.FAILED;
			} else if (states[i] == State.RUNNING) {
				states[i] = i == cleanUp ? State.DONE : State.SKIPPED;
				took[i] = i == cleanUp ? Duration.ofNanos(nanos - began[i]) : null;
			} else if (states[i] == State.WAITING) {
				states[i] = State.SKIPPED;
			}
		}
		current = null;
		return failed;
	}

	/** The list and the current step, as they are now. Any thread. */
	public synchronized View view() {
		List<Row> rows = new ArrayList<>(PHASES.length);
		for (int i = 0; i < PHASES.length; i++) {
			rows.add(new Row(PHASES[i], states[i], took[i]));
		}
		return new View(List.copyOf(rows), current, fraction, message);
	}
}
