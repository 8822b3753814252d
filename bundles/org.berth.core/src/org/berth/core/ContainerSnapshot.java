package org.berth.core;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable picture of one container, as the engine's cache holds it. Getters hand these out without blocking.
 *
 * @param spec       the configuration
 * @param state      the life cycle state
 * @param initPid    the host PID of the container's init; 0 when not running
 * @param startedAt  when it was started; null when not running
 * @param lastExit   how the last run ended, e.g. "exited with 0" or "killed by SIGKILL"; null when unknown
 * @param namespaces the actual namespaces of the running container; empty when not running
 */
public record ContainerSnapshot(ContainerSpec spec, ContainerState state, long initPid, Instant startedAt,
		String lastExit, Map<NamespaceType, NamespaceIdentity> namespaces) {

	public ContainerSnapshot {
		Objects.requireNonNull(spec, "spec");
		Objects.requireNonNull(state, "state");
		EnumMap<NamespaceType, NamespaceIdentity> copy = new EnumMap<>(NamespaceType.class);
		if (namespaces != null) {
			copy.putAll(namespaces);
		}
		namespaces = Collections.unmodifiableMap(copy);
	}

	/** A stopped container that has never run. */
	public static ContainerSnapshot stopped(ContainerSpec spec) {
		return new ContainerSnapshot(spec, ContainerState.STOPPED, 0, null, null, Map.of());
	}

	/** The container's name. */
	public String name() {
		return spec.name();
	}

	/** Whether the state is RUNNING (not frozen, not in a transition). */
	public boolean isRunning() {
		return state == ContainerState.RUNNING;
	}

	/** Whether the container may have processes (any state but STOPPED). */
	public boolean isActive() {
		return state.isActive();
	}

	/** This snapshot in another state (the other values kept). */
	public ContainerSnapshot withState(ContainerState newState) {
		return new ContainerSnapshot(spec, newState, initPid, startedAt, lastExit, namespaces);
	}

	/** This snapshot with another spec (the other values kept). */
	public ContainerSnapshot withSpec(ContainerSpec newSpec) {
		return new ContainerSnapshot(newSpec, state, initPid, startedAt, lastExit, namespaces);
	}
}
