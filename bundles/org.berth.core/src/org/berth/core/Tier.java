package org.berth.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One resolution of a container's usage history: a point every {@code step}, kept for {@code span}. The finest tier
 * holds every sample the sampler took; each coarser one holds one point per step, made from the samples inside it
 * (see {@link Metric.Aggregation}).
 *
 * @param step how far apart the points are
 * @param span how long points are kept
 */
public record Tier(Duration step, Duration span) {

	/** 1 s for 10 minutes, 10 s for 24 hours, 1 min for 7 days. */
	public static final List<Tier> DEFAULTS = List.of(new Tier(Duration.ofSeconds(1), Duration.ofMinutes(10)),
			new Tier(Duration.ofSeconds(10), Duration.ofHours(24)),
			new Tier(Duration.ofMinutes(1), Duration.ofDays(7)));

	public Tier {
		Objects.requireNonNull(step, "step");
		Objects.requireNonNull(span, "span");
		if (step.isNegative() || step.isZero() || span.compareTo(step) < 0) {
			throw new IllegalArgumentException("a tier needs a positive step no longer than its span: " + step
					+ " for " + span);
		}
	}

	/** How many points the tier holds at most. */
	public int capacity() {
		return (int) Math.max(1, span.toMillis() / step.toMillis());
	}

	/** The step in milliseconds. */
	public long stepMillis() {
		return step.toMillis();
	}

	/**
	 * The finest of {@code tiers} (ordered finest first) whose span covers {@code range}; the coarsest when none
	 * does.
	 */
	public static Tier covering(List<Tier> tiers, Duration range) {
		if (tiers.isEmpty()) {
			throw new IllegalArgumentException("no tiers");
		}
		for (Tier t : tiers) {
			if (t.span().compareTo(range) >= 0) {
				return t;
			}
		}
		return tiers.get(tiers.size() - 1);
	}
}
