package org.berth.core.linux.internal.cgroup;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;

/**
 * Waiting for a kernel state that has no notification we use here (freezer state, an emptied cgroup, a
 * directory that stops being busy): check, pause 1 ms, 2 ms, 4 ms ... at most 50 ms, until a deadline.
 */
final class Poll {
	private static final long FIRST_PAUSE_NANOS = 1_000_000L;
	private static final long MAX_PAUSE_NANOS = 50_000_000L;

	interface Condition {
		boolean met() throws IOException;
	}

	private final long deadline;
	private long pauseNanos = FIRST_PAUSE_NANOS;

	Poll(Duration timeout) {
		this.deadline = System.nanoTime() + timeout.toNanos();
	}

	/** Checks {@code condition} until it holds or {@code timeout} passes; checks once more at the deadline. */
	static boolean until(Condition condition, Duration timeout) throws IOException {
		Poll poll = new Poll(timeout);
		while (true) {
			if (condition.met()) {
				return true;
			}
			if (!poll.pause()) {
				return condition.met();
			}
		}
	}

	/** Pauses before the next check; false (without pausing) once the deadline has passed. */
	boolean pause() throws InterruptedIOException {
		long left = deadline - System.nanoTime();
		if (left <= 0) {
			return false;
		}
		long pause = Math.min(pauseNanos, left);
		pauseNanos = Math.min(pauseNanos * 2, MAX_PAUSE_NANOS);
		try {
			Thread.sleep(pause / 1_000_000L, (int) (pause % 1_000_000L));
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("interrupted while waiting for a cgroup");
		}
		return true;
	}
}
