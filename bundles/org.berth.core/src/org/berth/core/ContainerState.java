package org.berth.core;

import java.util.Locale;

/** The life cycle state of a container. The transitional states are shown while an operation is under way. */
public enum ContainerState {
	STOPPED,
	/** Transitional: being started. */
	STARTING,
	RUNNING,
	/** Transitional: being stopped or killed. */
	STOPPING,
	/** Transitional: being frozen. */
	FREEZING,
	/** All its processes are frozen (cgroup freezer). */
	FROZEN,
	/** Transitional: being thawed. */
	THAWING,
	/** Transitional: a start failed and the engine is cleaning up. */
	ABORTING;

	/** The lower-case word used by the CLI and in the state directory: "running", "stopped", "frozen", ... */
	public String cli() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Whether an operation is under way. */
	public boolean isTransitional() {
		return switch (this) {
			case STARTING, STOPPING, FREEZING, THAWING, ABORTING -> true;
			case STOPPED, RUNNING, FROZEN -> false;
		};
	}

	/** Whether the container may have processes (anything but STOPPED). */
	public boolean isActive() {
		return this != STOPPED;
	}

	/**
	 * Parses the {@link #cli()} word in any case.
	 *
	 * @throws IllegalArgumentException with a sentence naming the states
	 */
	public static ContainerState parse(String text) {
		String t = text == null ? "" : text.trim();
		for (ContainerState s : values()) {
			if (s.cli().equalsIgnoreCase(t)) {
				return s;
			}
		}
		throw new IllegalArgumentException(Text.quote(text) + " is not a container state; use stopped, starting,"
				+ " running, stopping, freezing, frozen, thawing or aborting");
	}
}
