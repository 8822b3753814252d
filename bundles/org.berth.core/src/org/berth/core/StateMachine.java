package org.berth.core;

/**
 * The container life cycle as a pure table: which actions are allowed in which state, which transitional state an
 * action enters, and where it settles. Engines use it to decide and to report; the UI uses {@link #allowed} to
 * enable actions.
 *
 * <pre>
 *   STOPPED  --start--&gt;  STARTING --ok--&gt; RUNNING        (failure: ABORTING, then STOPPED)
 *   RUNNING  --stop/kill/restart--&gt; STOPPING --ok--&gt; STOPPED (restart: then STARTING, RUNNING)
 *   RUNNING  --freeze--&gt; FREEZING --ok--&gt; FROZEN --thaw--&gt; THAWING --ok--&gt; RUNNING
 *   FROZEN   --stop/kill/restart--&gt; STOPPING  (the engine thaws as needed)
 *   STOPPED  --destroy--&gt; (gone)
 * </pre>
 */
public final class StateMachine {

	private StateMachine() {
	}

	/**
	 * Whether {@code action} may be asked for in {@code state}: START in STOPPED; STOP and RESTART in RUNNING or
	 * FROZEN; KILL in any state with processes except ABORTING; FREEZE and EXEC in RUNNING; THAW in FROZEN; DESTROY
	 * in STOPPED; UPDATE_LIVE in RUNNING or FROZEN.
	 */
	public static boolean allowed(ContainerState state, Action action) {
		return switch (action) {
			case START, DESTROY -> state == ContainerState.STOPPED;
			case STOP, RESTART, UPDATE_LIVE -> state == ContainerState.RUNNING || state == ContainerState.FROZEN;
			case KILL -> switch (state) {
				case RUNNING, FROZEN, STOPPING, STARTING, FREEZING, THAWING -> true;
				case STOPPED, ABORTING -> false;
			};
			case FREEZE, EXEC -> state == ContainerState.RUNNING;
			case THAW -> state == ContainerState.FROZEN;
		};
	}

	/**
	 * The state shown while {@code action} runs, for a container without a name at hand. See
	 * {@link #transitional(String, ContainerState, Action)}.
	 */
	public static ContainerState transitional(ContainerState from, Action action) throws IllegalTransitionException {
		return transitional(null, from, action);
	}

	/**
	 * The state shown while {@code action} runs: START → STARTING; STOP, KILL, RESTART → STOPPING; FREEZE →
	 * FREEZING; THAW → THAWING; DESTROY, EXEC and UPDATE_LIVE keep the state.
	 *
	 * @param name the container's name, for the message (may be null)
	 * @throws IllegalTransitionException when the action is not {@link #allowed} in {@code from}, with a message
	 *                                    such as {@code cannot start "c1": it is already running}
	 */
	public static ContainerState transitional(String name, ContainerState from, Action action)
			throws IllegalTransitionException {
		if (!allowed(from, action)) {
			throw new IllegalTransitionException(name, from, action);
		}
		return switch (action) {
			case START -> ContainerState.STARTING;
			case STOP, KILL, RESTART -> ContainerState.STOPPING;
			case FREEZE -> ContainerState.FREEZING;
			case THAW -> ContainerState.THAWING;
			case DESTROY, EXEC, UPDATE_LIVE -> from;
		};
	}

	/**
	 * The state after {@code action} ended.
	 *
	 * @param action  what was done
	 * @param success whether it worked
	 * @param from    the state before the action began (a transitional state is read as the stable state before it)
	 * @return on success: START, RESTART, THAW → RUNNING; STOP, KILL, DESTROY → STOPPED; FREEZE → FROZEN; EXEC and
	 *         UPDATE_LIVE → {@code from}. On failure: START and RESTART → STOPPED (a failed start is cleaned up;
	 *         the engine re-reads the real state when it knows better), the others → {@code from}.
	 */
	public static ContainerState settled(Action action, boolean success, ContainerState from) {
		ContainerState before = stable(from);
		if (!success) {
			return action == Action.START || action == Action.RESTART ? ContainerState.STOPPED : before;
		}
		return switch (action) {
			case START, RESTART, THAW -> ContainerState.RUNNING;
			case STOP, KILL, DESTROY -> ContainerState.STOPPED;
			case FREEZE -> ContainerState.FROZEN;
			case EXEC, UPDATE_LIVE -> before;
		};
	}

	/** The stable state a transitional state started from: STARTING, ABORTING → STOPPED; STOPPING, FREEZING → RUNNING; THAWING → FROZEN. */
	public static ContainerState stable(ContainerState state) {
		return switch (state) {
			case STARTING, ABORTING -> ContainerState.STOPPED;
			case STOPPING, FREEZING -> ContainerState.RUNNING;
			case THAWING -> ContainerState.FROZEN;
			case STOPPED, RUNNING, FROZEN -> state;
		};
	}

	/** Why {@code action} is not possible in {@code state}: "it is already running", "it is frozen; thaw it first". */
	static String reason(ContainerState state, Action action) {
		return switch (state) {
			case STOPPED -> switch (action) {
				case STOP, KILL -> "it is already stopped";
				default -> "it is stopped";
			};
			case STARTING -> "it is still starting";
			case RUNNING -> switch (action) {
				case START -> "it is already running";
				case THAW -> "it is not frozen (it is running)";
				case DESTROY -> "it is running; stop it first";
				default -> "it is running";
			};
			case STOPPING -> action == Action.STOP ? "it is already stopping" : "it is stopping";
			case FREEZING -> action == Action.FREEZE ? "it is already being frozen" : "it is being frozen";
			case FROZEN -> switch (action) {
				case START -> "it is already running (frozen)";
				case FREEZE -> "it is already frozen";
				case EXEC -> "it is frozen; thaw it first";
				case DESTROY -> "it is frozen; stop it first";
				default -> "it is frozen";
			};
			case THAWING -> action == Action.THAW ? "it is already being thawed" : "it is being thawed";
			case ABORTING -> "its start failed and it is being cleaned up";
		};
	}
}
