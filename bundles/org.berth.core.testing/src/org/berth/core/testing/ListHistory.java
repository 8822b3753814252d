package org.berth.core.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.berth.core.Metric;
import org.berth.core.Tier;
import org.berth.core.Usage;
import org.berth.core.UsageHistory;
import org.berth.core.UsageSample;

/** A history in lists: every tier holds every sample (enough for clients, which only read). */
public final class ListHistory implements UsageHistory {

	private final String name;
	private final List<Long> times = new ArrayList<>();
	private final List<UsageSample> samples = new ArrayList<>();

	public ListHistory(String name) {
		this.name = name;
	}

	/** A sample with these values and otherwise nothing unusual; {@code quota} NaN for none, limits -1 for none. */
	public static UsageSample sample(double cpu, double quota, long memory, long memoryLimit, long pids,
			long pidsLimit, double rx, double tx, long oomKills) {
		Usage u = new Usage(Instant.EPOCH, 0, memory, memory, memoryLimit, pids, pidsLimit, oomKills, 0, 0, 0, 0, 0,
				0, 0);
		return new UsageSample(u, cpu, quota, 0, rx, tx, 0, 0);
	}

	/** Appends a sample taken at {@code time} (epoch milliseconds). */
	public synchronized ListHistory add(long time, UsageSample s) {
		times.add(time);
		samples.add(s);
		return this;
	}

	@Override
	public String name() {
		return name;
	}

	@Override
	public List<Tier> tiers() {
		return Tier.DEFAULTS;
	}

	@Override
	public synchronized int size(Tier tier) {
		return samples.size();
	}

	@Override
	public synchronized long version() {
		return samples.size();
	}

	@Override
	public synchronized Optional<UsageSample> latest() {
		return samples.isEmpty() ? Optional.empty() : Optional.of(samples.get(samples.size() - 1));
	}

	@Override
	public synchronized int read(Tier tier, long sinceMillis, long[] t, Metric[] metrics, double[][] values) {
		int n = 0;
		for (int i = 0; i < samples.size() && n < t.length; i++) {
			if (times.get(i) > sinceMillis) {
				t[n] = times.get(i);
				for (int k = 0; k < metrics.length; k++) {
					values[k][n] = metrics[k].of(samples.get(i));
				}
				n++;
			}
		}
		return n;
	}
}
