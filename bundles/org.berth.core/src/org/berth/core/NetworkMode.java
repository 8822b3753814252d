package org.berth.core;

import java.util.Locale;

/** How a container is connected to the network. */
public enum NetworkMode {
	/** No interface but loopback (in a new net namespace), or whatever the chosen net namespace has. */
	NONE,
	/** The host's network (implies net=host). */
	HOST,
	/** A veth pair: one end in the container, the other on a bridge of the host. */
	VETH;

	/** The word used on the command line: "none", "host" or "veth". */
	public String cli() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Parses "none", "host" or "veth" in any case.
	 *
	 * @throws IllegalArgumentException with a sentence naming the accepted words
	 */
	public static NetworkMode parse(String text) {
		String t = text == null ? "" : text.trim();
		for (NetworkMode m : values()) {
			if (m.cli().equalsIgnoreCase(t)) {
				return m;
			}
		}
		throw new IllegalArgumentException(Text.quote(text) + " is not a network mode; use none, host or veth");
	}
}
