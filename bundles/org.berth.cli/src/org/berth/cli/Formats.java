package org.berth.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.berth.core.ContainerSnapshot;
import org.berth.core.Limits;
import org.berth.core.NamespaceSpec;
import org.berth.core.Sizes;
import org.berth.core.wire.ListEntry;

/** How the CLI writes values for people. */
final class Formats {

	private Formats() {
	}

	/** Seconds since the container started, or null when it is not running. */
	static Long uptimeSeconds(ContainerSnapshot s, Instant now) {
		if (!s.isActive() || s.startedAt() == null) {
			return null;
		}
		return Math.max(0, Duration.between(s.startedAt(), now).getSeconds());
	}

	/** 42 → "42s", 125 → "2m 5s", 3725 → "1h 02m", 183600 → "2d 3h". */
	static String duration(long seconds) {
		if (seconds < 60) {
			return seconds + "s";
		}
		if (seconds < 3600) {
			return seconds / 60 + "m " + seconds % 60 + "s";
		}
		if (seconds < 86400) {
			long minutes = seconds % 3600 / 60; // two digits, without a Formatter: berth list need not set one up
			return seconds / 3600 + "h " + (minutes < 10 ? "0" : "") + minutes + "m";
		}
		return seconds / 86400 + "d " + seconds % 86400 / 3600 + "h";
	}

	/** The PID of init, or null when there is none. */
	static Long pid(ContainerSnapshot s) {
		return s.isActive() && s.initPid() > 0 ? s.initPid() : null;
	}

	/** The value of a namespace choice as the command line writes it after "TYPE=": "new", "host", "share:c1". */
	static String choice(NamespaceSpec ns) {
		return ListEntry.choice(ns);
	}

	/** "2.35 s": CPU time with two decimals. */
	static String seconds(long nanos) {
		return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
	}

	/** The limits that are set, for people: "memory 256 MiB, cpus 0.5, pids 100"; "no limits" when none. */
	static String limits(Limits l) {
		List<String> parts = new ArrayList<>();
		if (l.memoryBytes() != null) {
			parts.add("memory " + Sizes.formatBytes(l.memoryBytes()));
		}
		if (l.memorySwapBytes() != null) {
			parts.add("memory+swap " + Sizes.formatBytes(l.memorySwapBytes()));
		}
		if (l.cpus() != null) {
			parts.add("cpus " + Sizes.formatCpus(l.cpus()));
		}
		if (l.cpuWeight() != null) {
			parts.add("cpu weight " + l.cpuWeight());
		}
		if (l.cpuset() != null) {
			parts.add("cpuset " + l.cpuset());
		}
		if (l.pids() != null) {
			parts.add("pids " + l.pids());
		}
		return parts.isEmpty() ? "no limits" : String.join(", ", parts);
	}

	/** What a snapshot's state means after an operation: "running (pid 4242)", "stopped", "frozen". */
	static String state(ContainerSnapshot s) {
		Long pid = pid(s);
		return s.state().cli() + (pid != null && s.isRunning() ? " (pid " + pid + ")" : "");
	}
}
