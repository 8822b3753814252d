package org.berth.core;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The engine's resource monitoring: one sampler for all running containers, at one interval, feeding a
 * {@link UsageHistory} per container. While a client {@link #watch watches} some containers (those on screen), the
 * others are sampled only every {@link #backgroundInterval()}. Everything here is non-blocking and may be called from
 * the UI thread.
 */
public interface Monitoring {

	/** How often every running container is sampled. */
	Duration interval();

	/**
	 * Samples every {@code interval} from now on (the history's finest tier then has a point that often).
	 *
	 * @throws IllegalArgumentException when not positive
	 */
	void setInterval(Duration interval);

	/** The tiers every history has, finest first. */
	List<Tier> tiers();

	/** The history of a container that ran while the engine was monitoring; empty otherwise. */
	Optional<UsageHistory> history(String name);

	/** The newest sample of a running container; empty before its second sample (rates need two). */
	default Optional<UsageSample> latest(String name) {
		return history(name).flatMap(UsageHistory::latest);
	}

	/** How many sweeps over all running containers have been made (to wait for fresh samples). */
	long sweeps();

	/**
	 * Samples {@code names} at the {@link #interval()}; while at least one watch is open, the containers no watch names
	 * are sampled only every {@link #backgroundInterval()}. Without any watch every container is sampled at the
	 * interval. Close the watch when the containers are no longer shown.
	 */
	default Watch watch(Collection<String> names) {
		return new Watch() {
			@Override
			public void set(Collection<String> newNames) {
			}

			@Override
			public void close() {
			}
		};
	}

	/** How often containers nobody watches are sampled while some are watched. */
	default Duration backgroundInterval() {
		return interval();
	}

	/** @throws IllegalArgumentException when not positive */
	default void setBackgroundInterval(Duration interval) {
	}

	/** An open {@link Monitoring#watch}. */
	interface Watch extends AutoCloseable {
		/** Replaces the watched containers. */
		void set(Collection<String> names);

		/** Ends the watch (again: nothing). */
		@Override
		void close();
	}
}
