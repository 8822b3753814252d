package org.berth.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.function.BooleanSupplier;

import org.berth.core.BerthException;
import org.berth.core.ContainerEngine;
import org.berth.core.Monitoring;

import picocli.CommandLine.ITypeConverter;

/** What {@code berth top} and {@code berth stats --history} share: the engine's sampler, durations, waiting. */
final class Sampling {

	private Sampling() {
	}

	/** A duration such as 2s, 500ms, 1m, 1h or a plain number of seconds (0.5). */
	static final class DurationConverter implements ITypeConverter<Duration> {
		@Override
		public Duration convert(String value) {
			return parse(value);
		}
	}

	static Duration parse(String text) {
		String t = text.trim().toLowerCase(Locale.ROOT);
		java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)?").matcher(t);
		if (!m.matches()) {
			throw new IllegalArgumentException("\"" + text + "\" is not a duration; write e.g. 2s, 500ms or 1m");
		}
		double number = Double.parseDouble(m.group(1));
		String unit = m.group(2) == null ? "s" : m.group(2);
		double millis = number * switch (unit) {
			case "ms" -> 1;
			case "m" -> 60_000;
			case "h" -> 3_600_000;
			default -> 1000;
		};
		if (millis < 1) {
			throw new IllegalArgumentException("\"" + text + "\" is too short; the least is 1ms");
		}
		return Duration.ofMillis(Math.round(millis));
	}

	/** The engine's sampler, sampling every {@code interval}. */
	static Monitoring monitoring(ContainerEngine engine, Duration interval) throws BerthException {
		Monitoring m = engine.monitoring().orElseThrow(() -> new BerthException(null, null,
				"this engine keeps no usage history, so it cannot sample"));
		m.setInterval(interval);
		return m;
	}

	/** Waits until {@code done} holds or {@code timeout} passes; false on timeout or interrupt. */
	static boolean await(BooleanSupplier done, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!done.getAsBoolean()) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			try {
				Thread.sleep(Math.max(1, Math.min(20, left / 1_000_000)));
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return true;
	}

	/** "12.5" for a percentage; "-" when unknown. */
	static String percent(double value) {
		return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
	}

	/** "1.5 KiB/s"; "-" when unknown. */
	static String rate(double bytesPerSecond) {
		return Double.isNaN(bytesPerSecond) ? "-" : org.berth.core.Sizes.formatBytes(Math.round(bytesPerSecond))
				+ "/s";
	}
}
