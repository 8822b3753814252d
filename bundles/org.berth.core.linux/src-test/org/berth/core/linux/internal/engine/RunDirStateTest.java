package org.berth.core.linux.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

/** {@code state.json} of a run: written and read back by hand; a broken one is no state. */
class RunDirStateTest {

	@Test
	void stateRoundTripsAndABrokenOneIsNoState() throws Exception {
		RunDir.State state = new RunDir.State(42, 1234, 41, "berth/c1-1", 1700000000000L, null);
		java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("berth-rundir");
		try {
			RunDir run = new RunDir(dir);
			run.writeState(state);
			assertEquals(state, run.readState().orElseThrow());
			assertEquals("{\"initPid\":42,\"initStartTicks\":1234,\"monitorPid\":41,\"cgroup\":\"berth/c1-1\","
					+ "\"startedAtMillis\":1700000000000}", java.nio.file.Files.readString(dir.resolve(RunDir.STATE)));
			RunDir.State veth = new RunDir.State(42, 1234, 41, "berth/c1-1", 1700000000000L, "bv-c1");
			run.writeState(veth);
			assertEquals(veth, run.readState().orElseThrow());
			for (String broken : List.of("", "[]", "{\"initPid\": 1}", "{\"initPid\": \"x\", \"initStartTicks\": 1,"
					+ " \"monitorPid\": 1, \"cgroup\": \"g\", \"startedAtMillis\": 1}", "{not json")) {
				java.nio.file.Files.writeString(dir.resolve(RunDir.STATE), broken);
				assertEquals(java.util.Optional.empty(), run.readState(), broken);
			}
		} finally {
			Files2.deleteTree(dir);
		}
		assertNull(RunDir.describeExit(""));
		assertEquals("checkpointed as ck1 (berth restore resumes it)", RunDir.describeExit("checkpointed ck1"));
		assertEquals("checkpointed as stateful (berth start resumes it)",
				RunDir.describeExit("checkpointed stateful\n"));
	}
}
