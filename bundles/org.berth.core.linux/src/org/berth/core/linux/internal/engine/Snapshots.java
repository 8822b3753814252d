package org.berth.core.linux.internal.engine;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.berth.core.ContainerSnapshot;
import org.berth.core.EngineEvent;
import org.berth.core.NoSuchContainerException;

/**
 * The immutable snapshot of every container, which getters hand out without blocking; a change is published:
 * recorded here, then told to the listeners through {@link Operations#dispatch}. Snapshots of a container are
 * replaced under that container's lock, except by {@link #replaceIfSameRun}.
 */
final class Snapshots {

	private final Map<String, ContainerSnapshot> cache = new ConcurrentHashMap<>();
	private final Operations ops;

	Snapshots(Operations ops) {
		this.ops = ops;
	}

	Optional<ContainerSnapshot> get(String name) {
		return Optional.ofNullable(cache.get(name));
	}

	/** The snapshot, or null. */
	ContainerSnapshot peek(String name) {
		return cache.get(name);
	}

	ContainerSnapshot require(String name) throws NoSuchContainerException {
		ContainerSnapshot snap = cache.get(name);
		if (snap == null) {
			throw new NoSuchContainerException(name);
		}
		return snap;
	}

	boolean contains(String name) {
		return cache.containsKey(name);
	}

	/** A live view. */
	Collection<ContainerSnapshot> values() {
		return cache.values();
	}

	/** A live view. */
	Collection<String> names() {
		return cache.keySet();
	}

	/** Records a snapshot found at open, before anyone listens. */
	void found(ContainerSnapshot snap) {
		cache.put(snap.name(), snap);
	}

	/** Records {@code snap} and tells the listeners. */
	void publish(EngineEvent.Kind kind, ContainerSnapshot snap) {
		cache.put(snap.name(), snap);
		ops.dispatch(new EngineEvent(kind, snap.name(), snap));
	}

	/** Forgets the container and tells the listeners it is gone ({@code last} is what it was). */
	void publishDestroyed(String name, ContainerSnapshot last) {
		cache.remove(name);
		ops.dispatch(new EngineEvent(EngineEvent.Kind.DESTROYED, name, last));
	}

	/**
	 * Replaces the snapshot of {@code updated}'s container while it is of the same run (same init), and tells the
	 * listeners; the namespace picture changes this way from any container's operation.
	 */
	void replaceIfSameRun(ContainerSnapshot updated) {
		cache.computeIfPresent(updated.name(),
				(n, current) -> current.initPid() == updated.initPid() ? updated : current);
		ops.dispatch(new EngineEvent(EngineEvent.Kind.UPDATED, updated.name(), updated));
	}
}
