package org.berth.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class AgentChoiceTest {

	@Test
	void aUserOtherThanRootGoesThroughTheAgentAndRootOnlyWhenAsked() {
		assertTrue(AgentChoice.decide(1000, null, null).useAgent());
		assertTrue(AgentChoice.decide(-1, null, null).useAgent(), "unknown: the agent, which checks for itself");
		assertFalse(AgentChoice.decide(0, null, null).useAgent());
		assertTrue(AgentChoice.decide(0, "1", null).useAgent());
		assertFalse(AgentChoice.decide(1000, "0", null).useAgent(), "BERTH_AGENT=0: the engine in this process");
		assertTrue(AgentChoice.decide(1000, "yes", null).useAgent(), "only 0 turns it off");
	}

	@Test
	void rootsCommandLineStartsAnAgentWhenNoneAnswersUnlessBerthAgentIsZero() {
		assertTrue(AgentChoice.decide(0, null, null).startAgent());
		assertTrue(AgentChoice.decide(0, "1", null).startAgent());
		assertFalse(AgentChoice.decide(0, "0", null).startAgent(), "BERTH_AGENT=0: no agent at all");
		assertFalse(AgentChoice.decide(1000, null, null).startAgent(), "only root can start one");
		assertFalse(AgentChoice.decide(-1, null, null).startAgent());
	}

	@Test
	void theSocketIsTheDefaultUnlessBerthSocketNamesOne() {
		assertEquals(Path.of("/run/berth/berth.sock"), AgentChoice.decide(1000, null, null).socket());
		assertEquals(Path.of("/run/berth/berth.sock"), AgentChoice.decide(1000, null, " ").socket());
		assertEquals(Path.of("/tmp/s.sock"), AgentChoice.decide(1000, null, "/tmp/s.sock").socket());
	}
}
