package org.berth.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;

import org.berth.core.Action;
import org.berth.core.BerthException;
import org.berth.core.ContainerExistsException;
import org.berth.core.ContainerState;
import org.berth.core.IllegalTransitionException;
import org.berth.core.InvalidSpecException;
import org.berth.core.NoSuchContainerException;
import org.berth.core.Problem;
import org.berth.core.wire.Api;
import org.berth.core.wire.Wire;
import org.junit.jupiter.api.Test;

/** The agent's error bodies become the engine's exceptions, with the sentence the engine itself would say. */
class AgentErrorsTest {

	private static Exception roundTrip(int status, Exception original, Api.ErrorBody body) {
		Exception back = AgentEngine.error(status, Wire.toJson(body));
		assertEquals(original.getMessage(), back.getMessage());
		return back;
	}

	@Test
	void engineExceptionsComeBackAsThemselves() {
		NoSuchContainerException none = new NoSuchContainerException("c9");
		assertInstanceOf(NoSuchContainerException.class, roundTrip(404, none,
				new Api.ErrorBody(none.getMessage(), "NoSuchContainer", "c9", null, null, null)));
		ContainerExistsException exists = new ContainerExistsException("c1");
		assertInstanceOf(ContainerExistsException.class, roundTrip(409, exists,
				new Api.ErrorBody(exists.getMessage(), "ContainerExists", "c1", null, null, null)));
		IllegalTransitionException illegal = new IllegalTransitionException("c1", ContainerState.STOPPED,
				Action.FREEZE);
		IllegalTransitionException back = (IllegalTransitionException) roundTrip(409, illegal, new Api.ErrorBody(
				illegal.getMessage(), "IllegalTransition", "c1", "STOPPED", "FREEZE", null));
		assertEquals(ContainerState.STOPPED, back.state());
		List<Problem> problems = List.of(Problem.error("limits.cpus", "must be more than 0"));
		InvalidSpecException invalid = new InvalidSpecException("c1", problems);
		assertEquals(problems, ((InvalidSpecException) roundTrip(422, invalid, new Api.ErrorBody(invalid.getMessage(),
				"InvalidSpec", "c1", null, null, problems))).problems());
	}

	@Test
	void aRefusalIsItsSentence() {
		String sentence = "alice (uid 1000) is not in group berth: ask an administrator to run `usermod -aG berth"
				+ " alice`, then log in again.";
		Exception e = AgentEngine.error(403, Wire.toJson(Api.ErrorBody.of(sentence, "Forbidden")));
		assertInstanceOf(AgentRefusedException.class, e);
		assertEquals(sentence, e.getMessage());
	}

	@Test
	void otherFailuresKeepTheAgentsSentence() {
		Exception e = AgentEngine.error(500, Wire.toJson(Api.ErrorBody.of("The disk is full.", "Failed")));
		assertEquals(BerthException.class, e.getClass());
		assertEquals("The disk is full.", e.getMessage());
		assertEquals("The agent answered 502 without a reason.", AgentEngine.error(502, "<html>").getMessage());
	}
}
