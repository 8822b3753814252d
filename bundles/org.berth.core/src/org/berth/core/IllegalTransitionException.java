package org.berth.core;

import java.util.Objects;

/**
 * An action that the container's state does not allow, e.g. {@code cannot start "c1": it is already running}.
 * {@link #operation()} is the action's {@link Action#cli()} word, {@link #target()} the container's name.
 */
public class IllegalTransitionException extends BerthException {

	private static final long serialVersionUID = 1L;

	private final ContainerState state;
	private final Action action;

	/**
	 * @param name   the container's name (null gives "the container")
	 * @param from   its state
	 * @param action what was asked for
	 */
	public IllegalTransitionException(String name, ContainerState from, Action action) {
		super(action.cli(), name, "cannot " + action.describe(name == null ? "the container" : Text.quote(name))
				+ ": " + StateMachine.reason(Objects.requireNonNull(from, "from"), action));
		this.state = from;
		this.action = action;
	}

	/** The state the container was in. */
	public ContainerState state() {
		return state;
	}

	/** What was asked for. */
	public Action action() {
		return action;
	}
}
