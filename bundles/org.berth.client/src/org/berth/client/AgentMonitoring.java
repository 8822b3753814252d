package org.berth.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.berth.core.Metric;
import org.berth.core.Monitoring;
import org.berth.core.Tier;
import org.berth.core.TieredHistory;
import org.berth.core.UsageHistory;
import org.berth.core.UsageSample;
import org.berth.core.wire.Api;

/**
 * The agent's monitoring as a client keeps it: a thread asks the agent for its newest samples
 * ({@code GET /1.0/samples}) every {@link #interval()} and appends them to a copy of each container's history. A
 * container's copy starts with what the agent already has ({@code GET …/history}, every tier), so a console opened
 * later still shows the minutes before it. The agent's sampler serves all clients at its own interval; this one
 * only decides how often to ask.
 */
final class AgentMonitoring implements Monitoring {

	private final AgentEngine agent;
	private final Map<String, TieredHistory> histories = new ConcurrentHashMap<>();
	private final Map<String, Long> newest = new ConcurrentHashMap<>();
	private volatile List<Tier> tiers = Tier.DEFAULTS;
	private volatile Duration interval = Duration.ofSeconds(1);
	private volatile long sweeps;
	private volatile long agentSweeps = -1;
	private final Thread poller;

	AgentMonitoring(AgentEngine agent) {
		this.agent = agent;
		poller = Thread.ofPlatform().daemon().name("berth-client-samples").start(this::poll);
	}

	@Override
	public Duration interval() {
		return interval;
	}

	@Override
	public void setInterval(Duration newInterval) {
		if (newInterval.isZero() || newInterval.isNegative()) {
			throw new IllegalArgumentException("the interval must be positive, not " + newInterval);
		}
		interval = newInterval;
		poller.interrupt(); // ask again now, at the new pace
	}

	@Override
	public List<Tier> tiers() {
		return tiers;
	}

	@Override
	public Optional<UsageHistory> history(String name) {
		return Optional.ofNullable(histories.get(name));
	}

	@Override
	public long sweeps() {
		return sweeps;
	}

	void close() {
		poller.interrupt();
	}

	private void poll() {
		while (!agent.isClosed()) {
			try {
				if (agent.isConnected()) {
					take(agent.samples().get(30, TimeUnit.SECONDS));
				}
			} catch (InterruptedException e) {
				if (agent.isClosed()) {
					return;
				}
				Thread.interrupted(); // a new interval: ask now
				continue;
			} catch (Exception e) {
				// the agent is away: the engine reconnects, and the next round asks again
			}
			try {
				Thread.sleep(interval); // the pace of the samples, not a wait for a condition
			} catch (InterruptedException e) {
				if (agent.isClosed()) {
					return;
				}
			}
		}
	}

	/** One answer of the agent: new histories are seeded from the agent's, then every newer sample appended. */
	private void take(Api.Samples s) throws Exception {
		if (s.tierSteps() != null && s.tierSteps().length > 0 && s.tierSteps().length == s.tierSpans().length) {
			List<Tier> t = new ArrayList<>();
			for (int i = 0; i < s.tierSteps().length; i++) {
				t.add(new Tier(Duration.ofMillis(s.tierSteps()[i]), Duration.ofMillis(s.tierSpans()[i])));
			}
			if (!t.equals(tiers)) {
				tiers = List.copyOf(t);
				histories.clear();
				newest.clear();
			}
		}
		for (Map.Entry<String, UsageSample> e : s.latest().entrySet()) {
			String name = e.getKey();
			TieredHistory h = histories.computeIfAbsent(name, n -> new TieredHistory(n, tiers));
			if (!newest.containsKey(name)) {
				newest.put(name, seed(h));
			}
			UsageSample sample = e.getValue();
			long time = sample.usage().at().toEpochMilli();
			if (time > newest.get(name)) {
				h.append(time, sample);
				newest.put(name, time);
			}
		}
		for (Map.Entry<String, TieredHistory> e : histories.entrySet()) {
			if (!s.latest().containsKey(e.getKey()) && e.getValue().latest().isPresent()) {
				e.getValue().endRun(); // stopped (or gone): its points stay for the graphs
			}
		}
		histories.keySet().removeIf(n -> agent.get(n).isEmpty());
		newest.keySet().retainAll(histories.keySet());
		if (s.sweeps() != agentSweeps) {
			agentSweeps = s.sweeps();
			sweeps++;
		}
	}

	/** Copies every tier the agent has of this container, oldest first; returns the time of the finest's newest. */
	private long seed(TieredHistory h) throws Exception {
		long newestFinest = Long.MIN_VALUE;
		Metric[] metrics = Metric.values();
		for (Tier tier : tiers) {
			Api.History a = agent.history(h.name(), Long.toString(tier.stepMillis())).get(30, TimeUnit.SECONDS);
			int n = a.times() == null ? 0 : a.times().length;
			double[][] values = new double[metrics.length][n];
			for (int m = 0; m < metrics.length; m++) {
				double[] column = a.values() == null ? null : a.values().get(metrics[m].column());
				for (int i = 0; i < n; i++) {
					values[m][i] = column == null || i >= column.length ? Double.NaN : column[i];
				}
			}
			h.seed(tier, a.times() == null ? new long[0] : a.times(), values, n);
			if (tier == tiers.get(0) && n > 0) {
				newestFinest = a.times()[n - 1];
			}
		}
		return newestFinest;
	}
}
