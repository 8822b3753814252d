package org.berth.cli;

import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import org.berth.core.BerthException;
import org.berth.core.ContainerSnapshot;
import org.berth.core.Monitoring;
import org.berth.core.Sizes;
import org.berth.core.Usage;
import org.berth.core.UsageSample;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "top", description = {"Show every running container's CPU, memory, pids, network and block IO,"
		+ " refreshed every interval (like lxc-top); Ctrl-C ends it.",
		"CPU%% is of the whole host (100 = every CPU busy); QUOTA%% of the container's own CPU quota."})
final class TopCommand extends BaseCommand {

	/** The orders {@code --sort} knows. */
	enum Sort {
		CPU, MEM, NAME;

		static Sort parse(String text) {
			try {
				return valueOf(text.trim().toUpperCase(Locale.ROOT));
			} catch (IllegalArgumentException e) {
				throw new IllegalArgumentException("\"" + text + "\" is no sort key; use cpu, mem or name");
			}
		}
	}

	@Option(names = "--sort", paramLabel = "KEY", converter = SortConverter.class, defaultValue = "cpu",
			description = "Order by cpu (busiest first), mem (largest first) or name (default: ${DEFAULT-VALUE}).")
	Sort sort;

	@Option(names = "--interval", paramLabel = "DURATION", converter = Sampling.DurationConverter.class,
			defaultValue = "1s", description = "How often to sample and refresh, e.g. 2s or 500ms (default:"
					+ " ${DEFAULT-VALUE}).")
	Duration interval;

	@Option(names = "--once", description = "Print the table once (after two samples) and end; for scripts and"
			+ " pipes.")
	boolean once;

	static final class SortConverter implements picocli.CommandLine.ITypeConverter<Sort> {
		@Override
		public Sort convert(String value) {
			return Sort.parse(value);
		}
	}

	TopCommand(Context ctx) {
		super(ctx);
	}

	@Override
	public Integer call() throws BerthException {
		Monitoring m = Sampling.monitoring(ctx.engine(), interval);
		// rates need two samples of each container
		long first = m.sweeps();
		Sampling.await(() -> m.sweeps() >= first + 2 && running().stream().allMatch(s -> m.latest(s.name())
				.isPresent()), interval.multipliedBy(3).plusSeconds(1));
		boolean clear = !once && isTerminal();
		while (true) {
			List<String> lines = lines(running(), m::latest, sort);
			if (clear) {
				ctx.out.print("\033[H\033[2J");
			}
			if (!once) {
				ctx.out.println("berth top - " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + ", every "
						+ interval.toMillis() / 1000.0 + " s, sorted by " + sort.name().toLowerCase(Locale.ROOT));
			}
			lines.forEach(ctx.out::println);
			ctx.out.flush();
			if (once || ctx.out.checkError()) {
				return 0; // a closed pipe ends it too
			}
			long seen = m.sweeps();
			if (!Sampling.await(() -> m.sweeps() > seen, interval.multipliedBy(3).plusSeconds(5))
					&& Thread.currentThread().isInterrupted()) {
				return 0;
			}
		}
	}

	private List<ContainerSnapshot> running() {
		return ctx.engine().list().stream().filter(ContainerSnapshot::isActive).toList();
	}

	/** Whether standard output is a terminal (only then the screen is cleared between refreshes). */
	private boolean isTerminal() {
		if (ctx.out != System.out) {
			return false;
		}
		return Context.isTerminal(1);
	}

	/** The table: a header and one row per running container in {@code sort} order. Pure. */
	static List<String> lines(List<ContainerSnapshot> running, Function<String, Optional<UsageSample>> latest,
			Sort sort) {
		record Row(ContainerSnapshot container, UsageSample sample) {
		}
		List<Row> rows = new ArrayList<>();
		for (ContainerSnapshot c : running) {
			rows.add(new Row(c, latest.apply(c.name()).orElse(null)));
		}
		Comparator<Row> byName = Comparator.comparing(r -> r.container().name());
		Comparator<Row> order = switch (sort) {
			case NAME -> byName;
			case CPU -> Comparator.<Row>comparingDouble(r -> r.sample() == null || Double.isNaN(r.sample().cpuPercent())
					? Double.NEGATIVE_INFINITY : r.sample().cpuPercent()).reversed().thenComparing(byName);
			case MEM -> Comparator.<Row>comparingLong(r -> r.sample() == null ? Long.MIN_VALUE
					: r.sample().usage().memoryBytes()).reversed().thenComparing(byName);
		};
		rows.sort(order);
		Table t = new Table("NAME", "STATE", "CPU%", "QUOTA%", "MEMORY", "LIMIT", "PIDS", "NET RX", "NET TX",
				"READ", "WRITE", "OOM");
		for (Row r : rows) {
			UsageSample s = r.sample();
			if (s == null) {
				t.row(r.container().name(), r.container().state().cli(), "-", "-", "-", "-", "-", "-", "-", "-",
						"-", "-");
				continue;
			}
			Usage u = s.usage();
			t.row(r.container().name(), r.container().state().cli(), Sampling.percent(s.cpuPercent()),
					Sampling.percent(s.cpuQuotaPercent()),
					u.memoryBytes() < 0 ? "-" : Sizes.formatBytes(u.memoryBytes()),
					u.hasMemoryLimit() ? Sizes.formatBytes(u.memoryLimitBytes()) : "-",
					u.pids() < 0 ? "-" : u.pids() + (u.hasPidsLimit() ? "/" + u.pidsLimit() : ""),
					Sampling.rate(s.netRxBytesPerSecond()), Sampling.rate(s.netTxBytesPerSecond()),
					Sampling.rate(s.ioReadBytesPerSecond()), Sampling.rate(s.ioWriteBytesPerSecond()),
					u.oomKills() < 0 ? "-" : Long.toString(u.oomKills()));
		}
		return t.lines();
	}
}
