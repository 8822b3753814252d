package org.berth.core;

import java.util.Locale;

/** What a container runs: a whole Linux system, or one program. */
public enum ContainerKind {
	/** A whole Linux system: its own init as PID 1, hostname, network stack, mounts, terminals. */
	SYSTEM,
	/** One program in a subset of a system container's isolation. */
	APPLICATION;

	/** The word used on the command line: {@code system} or {@code application}. */
	public String cli() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Parses {@code system} or {@code application} (also {@code app}), ignoring case.
	 *
	 * @throws IllegalArgumentException with a sentence saying what is accepted
	 */
	public static ContainerKind parse(String text) {
		String t = text == null ? "" : text.trim();
		for (ContainerKind k : values()) {
			if (k.cli().equalsIgnoreCase(t)) {
				return k;
			}
		}
		if (t.equalsIgnoreCase("app")) {
			return APPLICATION;
		}
		throw new IllegalArgumentException(Text.quote(text) + " is not a container kind; use system or application");
	}
}
