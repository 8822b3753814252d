package org.berth.core;

import java.util.Locale;
import java.util.Optional;

/**
 * The Linux capabilities with their numbers ({@code linux/capability.h}, up to Linux 6.x). The constant names are
 * the capability names, so {@code Capability.valueOf("CAP_SYS_TIME")} works.
 */
public enum Capability {
	CAP_CHOWN(0),
	CAP_DAC_OVERRIDE(1),
	CAP_DAC_READ_SEARCH(2),
	CAP_FOWNER(3),
	CAP_FSETID(4),
	CAP_KILL(5),
	CAP_SETGID(6),
	CAP_SETUID(7),
	CAP_SETPCAP(8),
	CAP_LINUX_IMMUTABLE(9),
	CAP_NET_BIND_SERVICE(10),
	CAP_NET_BROADCAST(11),
	CAP_NET_ADMIN(12),
	CAP_NET_RAW(13),
	CAP_IPC_LOCK(14),
	CAP_IPC_OWNER(15),
	CAP_SYS_MODULE(16),
	CAP_SYS_RAWIO(17),
	CAP_SYS_CHROOT(18),
	CAP_SYS_PTRACE(19),
	CAP_SYS_PACCT(20),
	CAP_SYS_ADMIN(21),
	CAP_SYS_BOOT(22),
	CAP_SYS_NICE(23),
	CAP_SYS_RESOURCE(24),
	CAP_SYS_TIME(25),
	CAP_SYS_TTY_CONFIG(26),
	CAP_MKNOD(27),
	CAP_LEASE(28),
	CAP_AUDIT_WRITE(29),
	CAP_AUDIT_CONTROL(30),
	CAP_SETFCAP(31),
	CAP_MAC_OVERRIDE(32),
	CAP_MAC_ADMIN(33),
	CAP_SYSLOG(34),
	CAP_WAKE_ALARM(35),
	CAP_BLOCK_SUSPEND(36),
	CAP_AUDIT_READ(37),
	CAP_PERFMON(38),
	CAP_BPF(39),
	CAP_CHECKPOINT_RESTORE(40);

	private final int number;

	Capability(int number) {
		this.number = number;
	}

	/** The kernel's number of this capability (the bit in the capability sets). */
	public int number() {
		return number;
	}

	/** The highest capability number known here ({@code CAP_LAST_CAP}). */
	public static int lastNumber() {
		return CAP_CHECKPOINT_RESTORE.number;
	}

	/** "sys_time", "SYS_TIME", "cap_sys_time" → "CAP_SYS_TIME"; unknown names are only upper-cased and prefixed. */
	public static String normalize(String name) {
		String n = name.trim().toUpperCase(Locale.ROOT);
		return n.startsWith("CAP_") ? n : "CAP_" + n;
	}

	/** The capability of this name (with or without "CAP_", any case), if there is one. */
	public static Optional<Capability> find(String name) {
		if (name == null) {
			return Optional.empty();
		}
		String n = normalize(name);
		for (Capability c : values()) {
			if (c.name().equals(n)) {
				return Optional.of(c);
			}
		}
		return Optional.empty();
	}

	/** The capability with this number, if known. */
	public static Optional<Capability> ofNumber(int number) {
		return number >= 0 && number < values().length ? Optional.of(values()[number]) : Optional.empty();
	}

	/**
	 * Parses a capability name (with or without "CAP_", any case).
	 *
	 * @throws IllegalArgumentException with a sentence, suggesting the nearest name when there is one
	 */
	public static Capability parse(String name) {
		return find(name).orElseThrow(() -> new IllegalArgumentException(unknownMessage(name)));
	}

	/** The sentence for an unknown capability name, e.g. {@code "CAP_SYS_TIM" is not a Linux capability; did you mean CAP_SYS_TIME?}. */
	static String unknownMessage(String name) {
		String n = name == null ? "" : normalize(name);
		Capability best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (Capability c : values()) {
			int d = distance(n, c.name());
			if (d < bestDistance) {
				bestDistance = d;
				best = c;
			}
		}
		String hint = best != null && bestDistance <= 2 ? "did you mean " + best.name() + "?"
				: "use names such as CAP_NET_RAW or CAP_SYS_ADMIN";
		return Text.quote(name) + " is not a Linux capability; " + hint;
	}

	private static int distance(String a, String b) {
		int[] prev = new int[b.length() + 1];
		int[] cur = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			prev[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			cur[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
				cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
			}
			int[] t = prev;
			prev = cur;
			cur = t;
		}
		return prev[b.length()];
	}
}
