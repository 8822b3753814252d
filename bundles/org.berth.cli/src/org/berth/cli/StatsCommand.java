package org.berth.cli;

import java.time.Duration;
import java.util.List;

import org.berth.core.BerthException;
import org.berth.core.Sizes;
import org.berth.core.Usage;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stats", description = {"Show the resource counters of a running container.",
		"With --history --csv: sample it every --interval for --duration and write that history as CSV. A berth"
				+ " process keeps no history of its own from before it started (the console does), so this samples"
				+ " first."})
final class StatsCommand extends BaseCommand {

	@Parameters(index = "0", paramLabel = "NAME", description = "The container.")
	String name;

	@Option(names = "--json", description = "Write JSON: an object with name, at, cpuNanos, cpuSeconds,"
			+ " memoryBytes, memoryPeakBytes, memoryLimitBytes, pids, pidsLimit, oomKills, pidsLimitHits, netRxBytes,"
			+ " netTxBytes, ioReadBytes, ioWriteBytes, cpuThrottledPeriods and cpuThrottledNanos"
			+ " (limits null when none; netRxBytes and netTxBytes null when it has the host's network namespace).")
	boolean json;

	@Option(names = "--history", description = "Write the usage history (see --csv, --duration, --interval).")
	boolean history;

	@Option(names = "--csv", description = "Write the history as CSV: time, container, then "
			+ "cpu_percent, cpu_quota_percent, throttled_percent, memory_bytes, memory_max_bytes, memory_limit_bytes,"
			+ " pids, pids_limit, net_rx/tx_bytes_per_second, io_read/write_bytes_per_second, oom_kills,"
			+ " throttled_periods, pids_limit_hits (empty when unknown).")
	boolean csv;

	@Option(names = "--duration", paramLabel = "DURATION", converter = Sampling.DurationConverter.class,
			defaultValue = "10s", description = "How long to sample for --history (default: ${DEFAULT-VALUE}).")
	Duration duration;

	@Option(names = "--interval", paramLabel = "DURATION", converter = Sampling.DurationConverter.class,
			defaultValue = "1s", description = "How often to sample for --history (default: ${DEFAULT-VALUE}).")
	Duration interval;

	/** {@code stats --json}. The field names are an interface: add fields, never rename them. */
	record Stats(String name, String at, long cpuNanos, double cpuSeconds, long memoryBytes, long memoryPeakBytes,
			Long memoryLimitBytes, long pids, Long pidsLimit, long oomKills, long pidsLimitHits, Long netRxBytes,
			Long netTxBytes, long ioReadBytes, long ioWriteBytes, long cpuThrottledPeriods,
			long cpuThrottledNanos) {
	}

	StatsCommand(Context ctx) {
		super(ctx);
	}

	@Override
	public Integer call() throws BerthException {
		if (history || csv) {
			return HistoryCsv.print(this);
		}
		Usage u = Context.await(ctx.engineFor(List.of(name)).usage(name));
		if (json) {
			Json.print(ctx.out, new Stats(name, u.at() == null ? null : u.at().toString(), u.cpuNanos(),
					u.cpuNanos() / 1e9, u.memoryBytes(), u.memoryPeakBytes(),
					u.hasMemoryLimit() ? u.memoryLimitBytes() : null, u.pids(), u.hasPidsLimit() ? u.pidsLimit() : null,
					u.oomKills(), u.pidsLimitHits(), u.hasOwnNetwork() ? u.netRxBytes() : null,
					u.hasOwnNetwork() ? u.netTxBytes() : null, u.ioReadBytes(),
					u.ioWriteBytes(), u.cpuThrottledPeriods(), u.cpuThrottledNanos()));
			return 0;
		}
		Table t = Table.withoutHeader(2);
		t.row("cpu", Formats.seconds(u.cpuNanos()));
		t.row("throttled", u.cpuThrottledPeriods() + " periods, " + Formats.seconds(u.cpuThrottledNanos()));
		t.row("memory", Sizes.formatBytes(u.memoryBytes()) + " (peak " + Sizes.formatBytes(u.memoryPeakBytes())
				+ ", " + (u.hasMemoryLimit() ? "limit " + Sizes.formatBytes(u.memoryLimitBytes()) : "no limit") + ")");
		t.row("oom kills", Long.toString(u.oomKills()));
		t.row("pids", u.pids() + " (" + (u.hasPidsLimit() ? "limit " + u.pidsLimit() : "no limit") + ")");
		t.row("pids limit hits", Long.toString(u.pidsLimitHits()));
		t.row("network", u.hasOwnNetwork() ? "received " + Sizes.formatBytes(u.netRxBytes()) + ", sent "
				+ Sizes.formatBytes(u.netTxBytes()) : "the host's (no network namespace of its own)");
		t.row("block io", "read " + Sizes.formatBytes(u.ioReadBytes()) + ", written "
				+ Sizes.formatBytes(u.ioWriteBytes()));
		t.print(ctx.out);
		return 0;
	}
}
