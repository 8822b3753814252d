package org.berth.core;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The lifecycle operations a client offers on named containers, and how every client (the console's jobs, the
 * command line) carries them out: the engine call each one makes, how long a stop waits unless told otherwise, and the
 * order in which to act on several containers. Whether an operation is allowed in a state is the
 * {@link StateMachine}'s to say, and the engine's to enforce.
 */
public enum Lifecycle {
	START(Action.START, ShareOrder::sharedFirst),
	STOP(Action.STOP, null),
	RESTART(Action.RESTART, ShareOrder::sharedFirst),
	KILL(Action.KILL, null),
	FREEZE(Action.FREEZE, null),
	THAW(Action.THAW, null),
	DESTROY(Action.DESTROY, ShareOrder::sharersFirst);

	/** How long stop and restart wait for init to end before they kill it, unless the user says otherwise. */
	public static final long DEFAULT_TIMEOUT_SECONDS = 10;

	/** {@link #DEFAULT_TIMEOUT_SECONDS} as a duration. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);

	/** One of {@link ShareOrder}'s orders. */
	private interface Order {
		List<String> of(List<String> names, Function<String, Optional<ContainerSpec>> specs);
	}

	private final Action action;
	private final Order order;

	Lifecycle(Action action, Order order) {
		this.action = action;
		this.order = order;
	}

	/** The state machine's action: for enablement ({@link StateMachine#allowed}) and messages. */
	public Action action() {
		return action;
	}

	/**
	 * Whether acting on a container depends on the others that share its namespaces, so that the order of several
	 * matters: start and restart need a container whose namespace another joins to run first, destroy must remove
	 * those that join one first (the engine refuses otherwise). Such an operation goes one container after the other,
	 * in {@link #order}, and needs to know the other containers of the engine; the others may act on all the named
	 * containers at once, knowing only those.
	 */
	public boolean ordered() {
		return order != null;
	}

	/**
	 * The order in which to act on {@code names}, each name once (where it is first given): for start and restart a
	 * container after those of the list whose namespaces it joins ({@link ShareOrder#sharedFirst}), for destroy after
	 * those of the list that join one of its namespaces ({@link ShareOrder#sharersFirst}), for the others as given.
	 * Reads the specs from the engine's cache; non-blocking.
	 */
	public List<String> order(ContainerEngine engine, List<String> names) {
		List<String> once = List.copyOf(new LinkedHashSet<>(names));
		return order == null ? once : order.of(once, name -> engine.get(name).map(ContainerSnapshot::spec));
	}

	/** {@link #run(ContainerEngine, String, Duration)} with the {@link #DEFAULT_TIMEOUT}. */
	public CompletableFuture<Optional<ContainerSnapshot>> run(ContainerEngine engine, String name) {
		return run(engine, name, DEFAULT_TIMEOUT);
	}

	/**
	 * Asks the engine to do this to one container.
	 *
	 * @param timeout for stop and restart, how long to wait for init to end before killing it (see
	 *                {@link ContainerEngine#stop}); the other operations do not wait
	 * @return the engine's future: the container's snapshot afterwards, empty after destroy (it is gone); it fails
	 *         as the engine's does
	 */
	public CompletableFuture<Optional<ContainerSnapshot>> run(ContainerEngine engine, String name, Duration timeout) {
		CompletableFuture<ContainerSnapshot> after = switch (this) {
			case START -> engine.start(name);
			case STOP -> engine.stop(name, timeout);
			case RESTART -> engine.restart(name, timeout);
			case KILL -> engine.kill(name);
			case FREEZE -> engine.freeze(name);
			case THAW -> engine.thaw(name);
			case DESTROY -> engine.destroy(name).thenApply(gone -> null);
		};
		return after.thenApply(Optional::ofNullable);
	}
}
