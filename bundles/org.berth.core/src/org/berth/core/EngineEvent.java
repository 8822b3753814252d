package org.berth.core;

import java.util.Objects;

/**
 * Something changed in the engine.
 *
 * @param kind     what happened
 * @param name     the container's name
 * @param snapshot the container as it is now; for DESTROYED the last snapshot before it went (may be null)
 */
public record EngineEvent(Kind kind, String name, ContainerSnapshot snapshot) {

	/** What happened. */
	public enum Kind {
		/** A container was defined (created or cloned). */
		DEFINED,
		/** Its spec or limits changed. */
		UPDATED,
		/** Its state changed. */
		STATE_CHANGED,
		/** It was destroyed. */
		DESTROYED
	}

	public EngineEvent {
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(name, "name");
		if (snapshot == null && kind != Kind.DESTROYED) {
			throw new IllegalArgumentException(kind + " events carry the container's snapshot");
		}
	}
}
