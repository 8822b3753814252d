package org.berth.core.testing;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.berth.core.Monitoring;
import org.berth.core.Tier;
import org.berth.core.UsageHistory;

/**
 * A sampler the test scripts: histories are {@link ListHistory}s the test fills, every {@link #sweeps()} call is a
 * new sweep, and the open watch is kept for the test to read.
 */
public final class FakeMonitoring implements Monitoring {

	private final Map<String, ListHistory> histories = new ConcurrentHashMap<>();
	private final AtomicLong sweeps = new AtomicLong();
	private volatile Duration interval = Duration.ofSeconds(1);
	/** What the open watch names; null when none is open. */
	private volatile Set<String> watched;

	/** The history of {@code name}, made empty on first use. */
	public ListHistory of(String name) {
		return histories.computeIfAbsent(name, ListHistory::new);
	}

	/** What the open watch names; null when none is open. */
	public Set<String> watched() {
		return watched;
	}

	@Override
	public Duration interval() {
		return interval;
	}

	@Override
	public void setInterval(Duration value) {
		interval = value;
	}

	@Override
	public List<Tier> tiers() {
		return Tier.DEFAULTS;
	}

	@Override
	public Optional<UsageHistory> history(String name) {
		return Optional.ofNullable(histories.get(name));
	}

	@Override
	public long sweeps() {
		return sweeps.incrementAndGet();
	}

	@Override
	public Watch watch(Collection<String> names) {
		watched = Set.copyOf(names);
		return new Watch() {
			@Override
			public void set(Collection<String> newNames) {
				watched = Set.copyOf(newNames);
			}

			@Override
			public void close() {
				watched = null;
			}
		};
	}
}
