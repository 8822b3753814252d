package org.berth.core;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.StampedLock;

/**
 * A {@link UsageHistory} in primitive rings, one per tier: the finest tier takes every sample; each coarser tier
 * takes one point per step (aligned to the epoch), made when the first sample of the next step arrives from the
 * samples of the step: averaged, maximum or last, as each {@link Metric.Aggregation} says. A ring starts small and
 * doubles up to its tier's capacity, so a short-lived container costs little; at capacity a container costs
 * {@code sum(capacity) * (8 + 4 * metrics)} bytes (1.3 MB with the default tiers). Values are floats (24 bits of
 * precision are plenty for a chart); times are epoch milliseconds.
 * <p>
 * One writer ({@link #append}) at a time; readers may call {@link #read} from any thread.
 */
public final class TieredHistory implements UsageHistory {

	private static final Metric[] METRICS = Metric.values();
	private static final int INITIAL_CAPACITY = 64;

	private final String name;
	private final List<Tier> tiers;
	private final Ring[] rings;
	private final Bucket[] buckets;
	private final StampedLock lock = new StampedLock();
	private final double[] scratch = new double[METRICS.length];
	private volatile long version;
	private volatile UsageSample latest;

	public TieredHistory(String name, List<Tier> tiers) {
		this.name = Objects.requireNonNull(name, "name");
		if (tiers.isEmpty()) {
			throw new IllegalArgumentException("a history needs at least one tier");
		}
		this.tiers = List.copyOf(tiers);
		rings = new Ring[tiers.size()];
		buckets = new Bucket[tiers.size()];
		for (int i = 0; i < rings.length; i++) {
			rings[i] = new Ring(tiers.get(i).capacity());
			if (i > 0) {
				buckets[i] = new Bucket(tiers.get(i).stepMillis());
			}
		}
	}

	@Override
	public String name() {
		return name;
	}

	@Override
	public List<Tier> tiers() {
		return tiers;
	}

	@Override
	public long version() {
		return version;
	}

	@Override
	public Optional<UsageSample> latest() {
		return Optional.ofNullable(latest);
	}

	/** Adds a sample taken at {@code timeMillis}. Only one thread may append. */
	public void append(long timeMillis, UsageSample sample) {
		double[] v = scratch;
		for (int m = 0; m < METRICS.length; m++) {
			v[m] = METRICS[m].of(sample);
		}
		long stamp = lock.writeLock();
		try {
			rings[0].add(timeMillis, v);
			for (int i = 1; i < rings.length; i++) {
				buckets[i].add(timeMillis, v, rings[i]);
			}
		} finally {
			lock.unlockWrite(stamp);
		}
		latest = sample;
		version++; // one writer
	}

	/**
	 * Adds points of one tier made elsewhere (a client's copy of an agent's history): {@code values[m][i]} is metric
	 * {@code m} (in {@link Metric} order) at {@code times[i]}, oldest first. Points not newer than the tier's newest
	 * are skipped. Only the writer calls it.
	 */
	public void seed(Tier tier, long[] times, double[][] values, int count) {
		if (values.length != METRICS.length) {
			throw new IllegalArgumentException(values.length + " value arrays for " + METRICS.length + " metrics");
		}
		Ring ring = rings[index(tier)];
		double[] v = new double[METRICS.length];
		long stamp = lock.writeLock();
		try {
			for (int i = 0; i < count; i++) {
				if (ring.size > 0 && times[i] <= ring.newest()) {
					continue;
				}
				for (int m = 0; m < v.length; m++) {
					v[m] = values[m][i];
				}
				ring.add(times[i], v);
			}
		} finally {
			lock.unlockWrite(stamp);
		}
		version++;
	}

	/** The container stopped: no latest sample until its next run has two. Its points stay. */
	public void endRun() {
		latest = null;
		version++;
	}

	@Override
	public int size(Tier tier) {
		int t = index(tier);
		long stamp = lock.readLock();
		try {
			return rings[t].size;
		} finally {
			lock.unlockRead(stamp);
		}
	}

	@Override
	public int read(Tier tier, long sinceMillis, long[] times, Metric[] metrics, double[][] values) {
		int t = index(tier);
		if (values.length < metrics.length) {
			throw new IllegalArgumentException(metrics.length + " metrics but " + values.length + " value arrays");
		}
		for (int k = 0; k < metrics.length; k++) {
			if (values[k].length < times.length) {
				throw new IllegalArgumentException("the value array of " + metrics[k] + " is shorter than times");
			}
		}
		long stamp = lock.readLock();
		try {
			return rings[t].copy(sinceMillis, times, metrics, values);
		} finally {
			lock.unlockRead(stamp);
		}
	}

	private int index(Tier tier) {
		int i = tiers.indexOf(tier);
		if (i < 0) {
			throw new IllegalArgumentException("not a tier of this history: " + tier);
		}
		return i;
	}

	/** A ring of points: times and one float array per metric, growing up to {@code capacity}. */
	static final class Ring {
		final int capacity;
		long[] times;
		float[][] values;
		int start;
		int size;

		Ring(int capacity) {
			this.capacity = capacity;
			allocate(Math.min(capacity, INITIAL_CAPACITY));
		}

		private void allocate(int length) {
			times = new long[length];
			values = new float[METRICS.length][length];
		}

		void add(long time, double[] v) {
			if (size == times.length && times.length < capacity) {
				grow();
			}
			int length = times.length;
			int pos;
			if (size < length) {
				pos = (start + size) % length;
				size++;
			} else {
				pos = start;
				start = (start + 1) % length;
			}
			times[pos] = time;
			for (int m = 0; m < v.length; m++) {
				values[m][pos] = (float) v[m];
			}
		}

		long newest() {
			return times[(start + size - 1) % times.length];
		}

		private void grow() {
			long[] oldTimes = times;
			float[][] oldValues = values;
			allocate(Math.min(capacity, oldTimes.length * 2));
			for (int i = 0; i < size; i++) {
				int from = (start + i) % oldTimes.length;
				times[i] = oldTimes[from];
				for (int m = 0; m < oldValues.length; m++) {
					values[m][i] = oldValues[m][from];
				}
			}
			start = 0;
		}

		int copy(long sinceMillis, long[] outTimes, Metric[] metrics, double[][] out) {
			int length = times.length;
			int newer = 0;
			while (newer < size && newer < outTimes.length
					&& times[(start + size - 1 - newer) % length] > sinceMillis) {
				newer++;
			}
			int first = start + size - newer;
			for (int i = 0; i < newer; i++) {
				int pos = (first + i) % length;
				outTimes[i] = times[pos];
				for (int k = 0; k < metrics.length; k++) {
					out[k][i] = values[metrics[k].ordinal()][pos];
				}
			}
			return newer;
		}
	}

	/** The samples of the current step of a coarser tier. */
	static final class Bucket {
		final long stepMillis;
		long step = Long.MIN_VALUE;
		int samples;
		final double[] sum = new double[METRICS.length];
		final int[] known = new int[METRICS.length];
		final double[] max = new double[METRICS.length];
		final double[] last = new double[METRICS.length];
		final double[] point = new double[METRICS.length];

		Bucket(long stepMillis) {
			this.stepMillis = stepMillis;
		}

		void add(long time, double[] v, Ring ring) {
			long s = Math.floorDiv(time, stepMillis);
			if (s != step) {
				if (samples > 0) {
					ring.add(step * stepMillis, point());
				}
				step = s;
				samples = 0;
				Arrays.fill(sum, 0);
				Arrays.fill(known, 0);
				Arrays.fill(max, Double.NaN);
			}
			samples++;
			for (int m = 0; m < v.length; m++) {
				double x = v[m];
				last[m] = x;
				if (!Double.isNaN(x)) {
					sum[m] += x;
					known[m]++;
					max[m] = Double.isNaN(max[m]) ? x : Math.max(max[m], x);
				}
			}
		}

		private double[] point() {
			for (int m = 0; m < METRICS.length; m++) {
				point[m] = switch (METRICS[m].aggregation()) {
					case AVERAGE -> known[m] == 0 ? Double.NaN : sum[m] / known[m];
					case MAXIMUM -> max[m];
					case LAST -> last[m];
				};
			}
			return point;
		}
	}
}
