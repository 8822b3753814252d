package org.berth.cli;

import java.time.Duration;

import org.berth.core.Lifecycle;

import picocli.CommandLine.Option;

/** {@code -t, --timeout S} of stop and restart: how long init has to end before it is killed. */
final class TimeoutOption {

	@Option(names = {"-t", "--timeout"}, paramLabel = "S", converter = Converters.Timeout.class,
			defaultValue = "" + Lifecycle.DEFAULT_TIMEOUT_SECONDS,
			description = "Seconds to wait for init to end before killing (default ${DEFAULT-VALUE}).")
	long seconds;

	Duration duration() {
		return Duration.ofSeconds(seconds);
	}
}
