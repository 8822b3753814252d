package org.berth.core;

/** How bad a {@link Problem} is. */
public enum Severity {
	/** The engine refuses to act on the spec. */
	ERROR,
	/** Allowed, but the user should know. */
	WARNING
}
