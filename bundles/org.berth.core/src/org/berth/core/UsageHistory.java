package org.berth.core;

import java.util.List;
import java.util.Optional;

/**
 * The usage history of one container in {@link Tier tiers}, kept while the engine runs (across restarts of the
 * container; a restart shows as the counters starting again). Memory-bounded: each tier is a ring of primitive
 * arrays that never grows past the tier's capacity.
 * <p>
 * One writer (the sampler) and any number of readers: {@link #read} copies one consistent snapshot into arrays the
 * caller owns and reuses, so a chart allocates nothing per refresh. It never waits for more than one append.
 */
public interface UsageHistory {

	/** The container's name. */
	String name();

	/** The tiers, finest first. */
	List<Tier> tiers();

	/** How many points {@code tier} holds now. */
	int size(Tier tier);

	/**
	 * A number that changes whenever a sample is added: a reader that saw the same number before can skip its
	 * refresh.
	 */
	long version();

	/** The newest sample, if any was taken since the container's current run started. */
	Optional<UsageSample> latest();

	/**
	 * Copies the newest points of {@code tier} taken after {@code sinceMillis} (epoch milliseconds), oldest first:
	 * their times into {@code times} and, for each {@code metrics[k]}, their values into {@code values[k]}. At most
	 * {@code times.length} points are copied (the newest ones); every {@code values[k]} must be at least as long.
	 *
	 * @return how many points were copied
	 * @throws IllegalArgumentException when {@code tier} is not one of {@link #tiers()} or the arrays do not fit
	 */
	int read(Tier tier, long sinceMillis, long[] times, Metric[] metrics, double[][] values);
}
