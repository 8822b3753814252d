package org.berth.cli;

import java.io.IOException;
import java.util.List;

import org.berth.core.BerthException;
import org.berth.core.ContainerSnapshot;
import org.berth.core.Monitoring;
import org.berth.core.NoSuchContainerException;
import org.berth.core.Tier;
import org.berth.core.UsageCsv;
import org.berth.core.UsageHistory;

/** {@code berth stats NAME --history --csv}: samples for a while, then writes the history as CSV. */
final class HistoryCsv {

	private HistoryCsv() {
	}

	static int print(StatsCommand c) throws BerthException {
		if (!c.history || !c.csv) {
			throw c.usage("--history and --csv go together: the history is written as CSV");
		}
		if (c.json) {
			throw c.usage("--json and --csv exclude each other");
		}
		if (c.interval.compareTo(c.duration) > 0) {
			throw c.usage("--interval (" + c.interval.toMillis() + " ms) is longer than --duration ("
					+ c.duration.toMillis() + " ms)");
		}
		Context ctx = c.ctx;
		ContainerSnapshot snap = ctx.engineFor(List.of(c.name)).get(c.name)
				.orElseThrow(() -> new NoSuchContainerException(c.name));
		if (!snap.isActive()) {
			throw new BerthException("stats", c.name, "\"" + c.name + "\" is not running");
		}
		Monitoring m = Sampling.monitoring(ctx.engineFor(List.of(c.name)), c.interval);
		Tier finest = m.tiers().get(0);
		long wanted = Math.max(1, c.duration.toMillis() / c.interval.toMillis());
		Sampling.await(() -> m.history(c.name).map(h -> h.size(finest) >= wanted).orElse(false),
				c.duration.plus(c.interval.multipliedBy(2)).plusSeconds(5));
		UsageHistory h = m.history(c.name).orElseThrow(() -> new BerthException("stats", c.name,
				"\"" + c.name + "\" could not be sampled"));
		try {
			UsageCsv.write(List.of(h), finest, Long.MIN_VALUE, ctx.out);
		} catch (IOException e) {
			throw new BerthException("stats", c.name, "could not write the CSV: " + e.getMessage(), e);
		}
		return 0;
	}
}
