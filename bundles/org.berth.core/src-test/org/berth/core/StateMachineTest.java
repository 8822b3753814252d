package org.berth.core;

import static org.berth.core.Action.DESTROY;
import static org.berth.core.Action.EXEC;
import static org.berth.core.Action.FREEZE;
import static org.berth.core.Action.KILL;
import static org.berth.core.Action.RESTART;
import static org.berth.core.Action.START;
import static org.berth.core.Action.STOP;
import static org.berth.core.Action.THAW;
import static org.berth.core.Action.UPDATE_LIVE;
import static org.berth.core.ContainerState.ABORTING;
import static org.berth.core.ContainerState.FREEZING;
import static org.berth.core.ContainerState.FROZEN;
import static org.berth.core.ContainerState.RUNNING;
import static org.berth.core.ContainerState.STARTING;
import static org.berth.core.ContainerState.STOPPED;
import static org.berth.core.ContainerState.STOPPING;
import static org.berth.core.ContainerState.THAWING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class StateMachineTest {

	/** The table, written out independently of the implementation. */
	static final Map<Action, Set<ContainerState>> ALLOWED = Map.of(
			START, EnumSet.of(STOPPED),
			STOP, EnumSet.of(RUNNING, FROZEN),
			KILL, EnumSet.of(RUNNING, FROZEN, STOPPING, STARTING, FREEZING, THAWING),
			RESTART, EnumSet.of(RUNNING, FROZEN),
			FREEZE, EnumSet.of(RUNNING),
			THAW, EnumSet.of(FROZEN),
			DESTROY, EnumSet.of(STOPPED),
			EXEC, EnumSet.of(RUNNING),
			UPDATE_LIVE, EnumSet.of(RUNNING, FROZEN));

	static final Map<Action, ContainerState> TRANSITIONAL = Map.of(
			START, STARTING, STOP, STOPPING, KILL, STOPPING, RESTART, STOPPING, FREEZE, FREEZING, THAW, THAWING);

	static Stream<Arguments> everyPair() {
		return Stream.of(ContainerState.values())
				.flatMap(s -> Stream.of(Action.values()).map(a -> Arguments.of(s, a)));
	}

	@ParameterizedTest(name = "{1} in {0}")
	@MethodSource("everyPair")
	void allowedMatchesTheTable(ContainerState state, Action action) throws IllegalTransitionException {
		boolean expected = ALLOWED.get(action).contains(state);
		assertEquals(expected, StateMachine.allowed(state, action));
		if (expected) {
			assertEquals(TRANSITIONAL.getOrDefault(action, state), StateMachine.transitional("c1", state, action));
		} else {
			IllegalTransitionException e = assertThrows(IllegalTransitionException.class,
					() -> StateMachine.transitional("c1", state, action));
			assertEquals(state, e.state());
			assertEquals(action, e.action());
			assertEquals("c1", e.target());
			assertEquals(action.cli(), e.operation());
		}
	}

	@Test
	void uiEnablement() {
		assertEquals(Set.of(START, DESTROY), allowedIn(STOPPED));
		assertEquals(Set.of(STOP, KILL, RESTART, FREEZE, EXEC, UPDATE_LIVE), allowedIn(RUNNING));
		assertEquals(Set.of(STOP, KILL, RESTART, THAW, UPDATE_LIVE), allowedIn(FROZEN));
		assertEquals(Set.of(KILL), allowedIn(STARTING));
		assertEquals(Set.of(KILL), allowedIn(STOPPING));
		assertEquals(Set.of(), allowedIn(ABORTING));
	}

	private static Set<Action> allowedIn(ContainerState state) {
		Set<Action> out = EnumSet.noneOf(Action.class);
		for (Action a : Action.values()) {
			if (StateMachine.allowed(state, a)) {
				out.add(a);
			}
		}
		return out;
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"RUNNING  | START       | cannot start \"c1\": it is already running",
			"FROZEN   | START       | cannot start \"c1\": it is already running (frozen)",
			"STOPPED  | STOP        | cannot stop \"c1\": it is already stopped",
			"STOPPED  | KILL        | cannot kill \"c1\": it is already stopped",
			"STOPPED  | FREEZE      | cannot freeze \"c1\": it is stopped",
			"FROZEN   | FREEZE      | cannot freeze \"c1\": it is already frozen",
			"RUNNING  | THAW        | cannot thaw \"c1\": it is not frozen (it is running)",
			"RUNNING  | DESTROY     | cannot destroy \"c1\": it is running; stop it first",
			"FROZEN   | DESTROY     | cannot destroy \"c1\": it is frozen; stop it first",
			"FROZEN   | EXEC        | cannot run a command in \"c1\": it is frozen; thaw it first",
			"STOPPED  | EXEC        | cannot run a command in \"c1\": it is stopped",
			"STOPPED  | UPDATE_LIVE | cannot change the limits of \"c1\" while it runs: it is stopped",
			"STARTING | STOP        | cannot stop \"c1\": it is still starting",
			"STOPPING | STOP        | cannot stop \"c1\": it is already stopping",
			"STOPPING | START       | cannot start \"c1\": it is stopping",
			"FREEZING | FREEZE      | cannot freeze \"c1\": it is already being frozen",
			"THAWING  | EXEC        | cannot run a command in \"c1\": it is being thawed",
			"ABORTING | KILL        | cannot kill \"c1\": its start failed and it is being cleaned up",
	})
	void illegalTransitionsSaySo(ContainerState from, Action action, String message) {
		IllegalTransitionException e = assertThrows(IllegalTransitionException.class,
				() -> StateMachine.transitional("c1", from, action));
		assertEquals(message, e.getMessage());
	}

	@Test
	void withoutNameTheMessageSaysTheContainer() {
		IllegalTransitionException e = assertThrows(IllegalTransitionException.class,
				() -> StateMachine.transitional(RUNNING, START));
		assertEquals("cannot start the container: it is already running", e.getMessage());
	}

	@ParameterizedTest
	@CsvSource({
			"START, true, STOPPED, RUNNING",
			"START, false, STOPPED, STOPPED",
			"START, false, STARTING, STOPPED",
			"STOP, true, RUNNING, STOPPED",
			"STOP, false, RUNNING, RUNNING",
			"STOP, false, FROZEN, FROZEN",
			"STOP, false, STOPPING, RUNNING",
			"KILL, true, FROZEN, STOPPED",
			"KILL, false, RUNNING, RUNNING",
			"RESTART, true, RUNNING, RUNNING",
			"RESTART, false, RUNNING, STOPPED",
			"FREEZE, true, RUNNING, FROZEN",
			"FREEZE, false, RUNNING, RUNNING",
			"FREEZE, false, FREEZING, RUNNING",
			"THAW, true, FROZEN, RUNNING",
			"THAW, false, FROZEN, FROZEN",
			"THAW, false, THAWING, FROZEN",
			"DESTROY, true, STOPPED, STOPPED",
			"EXEC, true, RUNNING, RUNNING",
			"EXEC, false, RUNNING, RUNNING",
			"UPDATE_LIVE, true, FROZEN, FROZEN",
			"UPDATE_LIVE, false, RUNNING, RUNNING",
	})
	void settles(Action action, boolean success, ContainerState from, ContainerState expected) {
		assertEquals(expected, StateMachine.settled(action, success, from));
	}

	@Test
	void statesHaveCliWords() {
		assertEquals("running", RUNNING.cli());
		assertEquals("stopped", STOPPED.cli());
		assertEquals("frozen", FROZEN.cli());
		assertEquals(FROZEN, ContainerState.parse("Frozen"));
		assertEquals("\"paused\" is not a container state; use stopped, starting, running, stopping, freezing,"
				+ " frozen, thawing or aborting",
				assertThrows(IllegalArgumentException.class, () -> ContainerState.parse("paused")).getMessage());
		assertEquals(Set.of(STARTING, STOPPING, FREEZING, THAWING, ABORTING),
				EnumSet.copyOf(Stream.of(ContainerState.values()).filter(ContainerState::isTransitional).toList()));
		assertEquals("update-live", UPDATE_LIVE.cli());
	}
}
