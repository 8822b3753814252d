package org.berth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.berth.core.CheckpointInfo;
import org.berth.core.CheckpointRequest;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.Sizes;
import org.berth.ui.handlers.CheckpointActions;
import org.junit.jupiter.api.Test;

/** When Checkpoint… and Restore Checkpoint act, and the words of the dialog and the page. No workbench. */
class CheckpointActionsTest {

	private static ContainerSnapshot in(String name, ContainerState state) {
		return new ContainerSnapshot(ContainerSpec.builder(name).build(), state, state.isActive() ? 42 : 0,
				state.isActive() ? Instant.now() : null, null, Map.of());
	}

	@Test
	void checkpointIsForOneRunningContainerAndRestoreForOneStoppedOne() {
		for (ContainerState s : ContainerState.values()) {
			List<ContainerSnapshot> one = List.of(in("a", s));
			assertEquals(s == ContainerState.RUNNING, CheckpointActions.canCheckpoint(one), s.name());
			assertEquals(s == ContainerState.STOPPED, CheckpointActions.canRestore(one), s.name());
		}
		assertFalse(CheckpointActions.canCheckpoint(List.of()));
		assertFalse(CheckpointActions.canRestore(List.of()));
		assertFalse(CheckpointActions.canCheckpoint(List.of(in("a", ContainerState.RUNNING), in("b",
				ContainerState.RUNNING))), "one at a time");
		assertFalse(CheckpointActions.canRestore(List.of(in("a", ContainerState.STOPPED), in("b",
				ContainerState.STOPPED))), "one at a time");
	}

	@Test
	void aDisabledRestoreSaysWhy() {
		assertNull(CheckpointActions.restoreBlocker(in("a", ContainerState.STOPPED)));
		assertEquals("Stop \"a\" to restore a checkpoint: it is running", CheckpointActions.restoreBlocker(in("a",
				ContainerState.RUNNING)));
		assertEquals("Stop \"a\" to restore a checkpoint: it is frozen", CheckpointActions.restoreBlocker(in("a",
				ContainerState.FROZEN)));
		assertEquals("The container is gone", CheckpointActions.restoreBlocker(null));
	}

	@Test
	void anEmptyNameIsTheEnginesAndABadOneIsSaid() {
		assertNull(CheckpointActions.nameProblem(""));
		assertNull(CheckpointActions.nameProblem("  "));
		assertNull(CheckpointActions.nameProblem("before-upgrade.1"));
		assertTrue(CheckpointActions.nameProblem("two words").startsWith("\"two words\" is not a valid checkpoint"
				+ " name: use letters"));
		assertTrue(CheckpointActions.nameProblem("-x") != null, "starts with a letter or digit");
		assertTrue(CheckpointActions.nameProblem("a/b") != null, "no path");
		assertEquals(new CheckpointRequest(null, null, false, false), CheckpointActions.request(" ", false, false));
		assertEquals(new CheckpointRequest("first", null, true, true), CheckpointActions.request(" first ", true,
				true));
	}

	@Test
	void theSummaryCountsAndAddsUp() {
		assertTrue(CheckpointActions.summary("a", List.of()).startsWith("\"a\" has no checkpoints."));
		CheckpointInfo one = new CheckpointInfo("a", "c1", Instant.EPOCH, 2 * Sizes.MIB, "/x/c1", false, false);
		CheckpointInfo two = new CheckpointInfo("a", "c2", Instant.EPOCH, 3 * Sizes.MIB, "/x/c2", true, true);
		assertTrue(CheckpointActions.summary("a", List.of(one)).startsWith("1 checkpoint, 2"));
		assertTrue(CheckpointActions.summary("a", List.of(one, two)).startsWith("2 checkpoints, "
				+ Sizes.formatBytes(5 * Sizes.MIB) + "."), CheckpointActions.summary("a", List.of(one, two)));
	}
}
