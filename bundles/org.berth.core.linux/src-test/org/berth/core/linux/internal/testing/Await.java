package org.berth.core.linux.internal.testing;

import java.time.Duration;

/** Waiting on a condition with a deadline, never for a fixed time. */
public final class Await {
	public interface Condition {
		boolean met() throws Exception;
	}

	private Await() {
	}

	/** Checks every few milliseconds; fails with {@code what} when {@code timeout} passes first. */
	public static void until(String what, Duration timeout, Condition condition) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		long pauseMillis = 1;
		while (!condition.met()) {
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
			}
			Thread.sleep(pauseMillis);
			pauseMillis = Math.min(pauseMillis * 2, 50);
		}
	}
}
