package org.berth.core;

import java.util.Locale;

/** What a container does with one namespace type. */
public enum NamespaceMode {
	/** The container gets a new namespace of its own. */
	NEW,
	/** The container stays in the host's namespace. */
	HOST,
	/** The container joins the namespace of another (running) container. */
	SHARE;

	/** The word used on the command line: "new", "host" or "share". */
	public String cli() {
		return name().toLowerCase(Locale.ROOT);
	}
}
