package org.berth.ui.containers;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSnapshot;
import org.berth.core.Usage;
import org.berth.ui.jobs.BerthJobs;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;

/**
 * The one periodic job of the Containers view: samples {@code usage()} of the running containers, turns CPU
 * counters into percentages, hands the batch to the view (which coalesces one refresh) and reschedules itself.
 * Cancelled for good by {@link #stop()}.
 */
final class UsageSampler extends Job {

	/** One sample of one container with its CPU rate. */
	record Sample(Usage usage, double cpuPercent) {
	}

	private final ContainerEngine engine;
	private final LongSupplier intervalMillis;
	private final Consumer<Map<String, Sample>> sink;
	/**
	 * The samples of the last batch: the readings the next CPU rates start from, handed again while the engine has no
	 * newer reading.
	 */
	private final Map<String, Sample> shown = new HashMap<>();
	/** When the run of each sampled container began: a restart's counters start again, not continue. */
	private final Map<String, java.time.Instant> runs = new HashMap<>();
	private volatile boolean stopped;

	UsageSampler(ContainerEngine engine, LongSupplier intervalMillis, Consumer<Map<String, Sample>> sink) {
		super("Sampling container usage");
		this.engine = engine;
		this.intervalMillis = intervalMillis;
		this.sink = sink;
		setSystem(true);
		setPriority(DECORATE);
	}

	@Override
	protected IStatus run(IProgressMonitor monitor) {
		try {
			Map<String, CompletableFuture<Usage>> pending = new LinkedHashMap<>();
			for (ContainerSnapshot s : engine.list()) {
				if (s.isRunning()) {
					if (!java.util.Objects.equals(runs.put(s.name(), s.startedAt()), s.startedAt())) {
						shown.remove(s.name()); // another run: its CPU time is not the old run's
					}
					pending.put(s.name(), engine.usage(s.name()));
				}
			}
			int cpus = hostCpus(engine);
			Map<String, Sample> batch = new LinkedHashMap<>();
			for (Map.Entry<String, CompletableFuture<Usage>> e : pending.entrySet()) {
				if (monitor.isCanceled() || stopped) {
					return Status.CANCEL_STATUS;
				}
				Usage u;
				try {
					u = e.getValue().get(5, TimeUnit.SECONDS);
				} catch (Exception ex) {
					continue; // it stopped between list() and usage(), or is slow: skip it in this round
				}
				Sample last = shown.get(e.getKey());
				if (last != null && u.at() != null && u.at().equals(last.usage().at())) {
					batch.put(e.getKey(), last); // the engine had no newer sample (an Incus instance nobody charts)
					continue;
				}
				batch.put(e.getKey(), new Sample(u, cpuPercent(last == null ? null : last.usage(), u, cpus)));
			}
			runs.keySet().retainAll(pending.keySet());
			shown.clear();
			shown.putAll(batch);
			sink.accept(batch);
			return Status.OK_STATUS;
		} finally {
			if (!stopped) {
				schedule(intervalMillis.getAsLong());
			}
		}
	}

	/** The host's CPUs as the engine says, else this machine's (the graphs' "% of host" is of the same). */
	static int hostCpus(ContainerEngine engine) {
		try {
			int n = engine.validationContext().hostCpus();
			return n > 0 ? n : Runtime.getRuntime().availableProcessors();
		} catch (RuntimeException e) {
			return Runtime.getRuntime().availableProcessors();
		}
	}

	/**
	 * CPU use between two samples, in percent of the whole host (100 = every CPU busy), the unit of the graphs; NaN
	 * without an earlier sample.
	 */
	static double cpuPercent(Usage before, Usage now, int hostCpus) {
		if (before == null || now.at() == null || before.at() == null) {
			return Double.NaN;
		}
		long wall = java.time.Duration.between(before.at(), now.at()).toNanos();
		long cpu = now.cpuNanos() - before.cpuNanos();
		if (wall <= 0 || cpu < 0) {
			return Double.NaN;
		}
		return cpu * 100.0 / wall / Math.max(1, hostCpus);
	}

	/** Stops rescheduling and cancels a pending run. */
	void stop() {
		stopped = true;
		cancel();
	}

	@Override
	public boolean belongsTo(Object family) {
		return family == BerthJobs.USAGE_FAMILY;
	}
}
