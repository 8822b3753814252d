package org.berth.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Snapshots taken on time: one every {@code every}, named {@code auto-…}, of which the newest {@code keep} are kept
 * (the others are deleted after each new one). Snapshots the user named are never touched.
 *
 * @param every how often, at least a minute
 * @param keep  how many automatic snapshots stay, 1 to 1000
 */
public record SnapshotSchedule(Duration every, int keep) {

	/** The prefix of the snapshots a schedule takes. */
	public static final String PREFIX = "auto-";

	public SnapshotSchedule {
		Objects.requireNonNull(every, "every");
		if (every.compareTo(Duration.ofMinutes(1)) < 0) {
			throw new IllegalArgumentException("a schedule takes a snapshot at most every minute, not every "
					+ every.toSeconds() + " s");
		}
		if (keep < 1 || keep > 1000) {
			throw new IllegalArgumentException("a schedule keeps 1 to 1000 snapshots, not " + keep);
		}
	}

	/**
	 * "30m", "6h", "1d", "1w", or the words hourly, daily, weekly.
	 *
	 * @throws IllegalArgumentException with the sentence for anything else
	 */
	public static Duration parseEvery(String text) {
		String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
		switch (t) {
			case "hourly" :
				return Duration.ofHours(1);
			case "daily" :
				return Duration.ofDays(1);
			case "weekly" :
				return Duration.ofDays(7);
			default :
				break;
		}
		if (t.matches("\\d{1,6}[mhdw]")) {
			long n = Long.parseLong(t.substring(0, t.length() - 1));
			return switch (t.charAt(t.length() - 1)) {
				case 'm' -> Duration.ofMinutes(n);
				case 'h' -> Duration.ofHours(n);
				case 'd' -> Duration.ofDays(n);
				default -> Duration.ofDays(7 * n);
			};
		}
		throw new IllegalArgumentException("\"" + text + "\" is not a period: use hourly, daily, weekly or a number"
				+ " with m, h, d or w (30m, 6h, 1d, 2w)");
	}

	/** The period as {@link #parseEvery} reads it ("1d", "6h", "30m"). */
	public String everyText() {
		long m = every.toMinutes();
		return m % (7 * 24 * 60) == 0 ? m / (7 * 24 * 60) + "w"
				: m % (24 * 60) == 0 ? m / (24 * 60) + "d" : m % 60 == 0 ? m / 60 + "h" : m + "m";
	}

	/** Whether a snapshot is due at {@code now}, given when the automatic ones were taken. */
	public boolean due(List<Instant> taken, Instant now) {
		return taken.stream().max(Comparator.naturalOrder())
				.map(last -> !now.isBefore(last.plus(every).minusSeconds(30))) // a tick's jitter does not skip one
				.orElse(true);
	}

	/** The automatic snapshots to delete so that {@code keep} stay: the oldest, by time. */
	public <T> List<T> surplus(List<T> automatic, java.util.function.Function<T, Instant> created) {
		List<T> sorted = new ArrayList<>(automatic);
		sorted.sort(Comparator.comparing(created));
		return sorted.size() <= keep ? List.of() : List.copyOf(sorted.subList(0, sorted.size() - keep));
	}
}
