package org.berth.ui.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import org.berth.core.ContainerKind;
import org.berth.core.NamespaceType;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceSpec;
import org.berth.core.NetworkSpec;
import org.berth.core.Sizes;

/** How the console writes states, durations, sizes and namespace choices. Pure. */
public final class Formats {

	private Formats() {
	}

	/** "Running", "Stopped", "Starting…". */
	public static String state(ContainerState s) {
		String w = s.cli();
		String text = Character.toUpperCase(w.charAt(0)) + w.substring(1);
		return s.isTransitional() ? text + "…" : text;
	}

	public static String kind(ContainerKind k) {
		return k == ContainerKind.SYSTEM ? "System" : "Application";
	}

	/** "3 s", "4 min 05 s", "2 h 03 min", "3 d 4 h". */
	public static String uptime(Instant since, Instant now) {
		if (since == null) {
			return "";
		}
		long s = Math.max(0, Duration.between(since, now).getSeconds());
		if (s < 60) {
			return s + " s";
		}
		if (s < 3600) {
			return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
		}
		if (s < 86400) {
			return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
		}
		return String.format(Locale.ROOT, "%d d %d h", s / 86400, (s % 86400) / 3600);
	}

	/** "12.5 %"; empty when unknown. */
	public static String percent(double p) {
		return Double.isNaN(p) ? "" : String.format(Locale.ROOT, "%.1f %%", p);
	}

	/** "12 MiB / 256 MiB", "12 MiB / no limit". */
	public static String memory(long used, long limit) {
		return Sizes.formatBytes(used) + " / " + (limit < 0 ? "no limit" : Sizes.formatBytes(limit));
	}

	/** "7 / 512", "7". */
	public static String pids(long pids, long limit) {
		return limit < 0 ? Long.toString(pids) : pids + " / " + limit;
	}

	/**
	 * A configured network: "none (loopback only)", "the host's", "veth on br0, 10.88.0.5/24" (or "the default
	 * bridge", "an address from the engine's range" where none is chosen).
	 */
	public static String network(NetworkSpec n) {
		return switch (n.mode()) {
			case NONE -> "none (loopback only)";
			case HOST -> "the host's";
			case VETH -> "veth on " + (n.bridge() == null ? "the default bridge" : n.bridge()) + ", "
					+ (n.address() == null ? "an address from the engine's range" : n.address());
		};
	}

	/** "1.2 KiB / 300 B" (received / sent); "host's network" for a container in the host's network namespace. */
	public static String net(long rx, long tx) {
		if (rx < 0) {
			return "host's network";
		}
		return Sizes.formatBytes(rx) + " / " + Sizes.formatBytes(tx);
	}

	/** A configured namespace choice: "new", "host", "share with c1". */
	public static String configured(NamespaceSpec ns) {
		return switch (ns.mode()) {
			case NEW -> "new";
			case HOST -> "host";
			case SHARE -> "share with " + ns.shareWith();
		};
	}

	/** An actual namespace: "new", "host", "shared with c1". */
	public static String actual(NamespaceMode mode, String sharedWith) {
		return switch (mode) {
			case NEW -> "new";
			case HOST -> "host";
			case SHARE -> "shared with " + sharedWith;
		};
	}

	/**
	 * Who root inside a container is on the host: "Privileged: …" for the host's user namespace, "Unprivileged: …"
	 * with the block of host ids for one of its own, or the container whose user namespace it shares.
	 */
	public static String privilege(ContainerSpec spec) {
		NamespaceSpec user = spec.namespace(NamespaceType.USER);
		return switch (user.mode()) {
			case HOST -> "Privileged: root inside is root on the host (the host's user namespace)";
			case SHARE -> "Unprivileged: the user namespace of \"" + user.shareWith() + "\"";
			case NEW -> spec.idBlock().map(b -> "Unprivileged: root inside is host uid " + b.outsideId() + " (ids 0–"
					+ (b.count() - 1) + " are host ids " + b.outsideId() + "–" + (b.outsideId() + b.count() - 1) + ")")
					.orElse("Unprivileged: a user namespace of its own");
		};
	}
}
