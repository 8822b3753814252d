package org.berth.cli;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.berth.core.ContainerSpec;
import org.junit.jupiter.api.Test;

/** {@code berth checkpoint} and {@code berth restore}: what the command line refuses before it asks the engine. */
class CheckpointCommandTest {

	private final Cli cli = new Cli(new FakeLocalEngine().add(ContainerSpec.builder("c1").build()));

	private void refused(String sentence, String... args) {
		Cli.Result r = cli.run(args);
		assertNotEquals(0, r.code(), r::toString);
		assertTrue(r.err().contains(sentence), r::toString);
	}

	@Test
	void contradictoryOptionsAreRefusedWithASentence() {
		refused("give --list or --delete, not both", "checkpoint", "c1", "--list", "--delete");
		refused("are for taking a checkpoint", "checkpoint", "c1", "--list", "--leave-running");
		refused("--json goes with --list", "checkpoint", "c1", "--json");
		refused("say which checkpoint to delete", "checkpoint", "c1", "--delete");
		refused("give a CHECKPOINT or --dir, not both", "restore", "c1", "ck", "--dir", "/srv/ck");
		refused("--dir must be an absolute path", "restore", "c1", "--dir", "ck");
	}

	@Test
	void anEngineThatCannotCheckpointSaysSo() {
		refused("cannot checkpoint", "checkpoint", "c1");
		refused("cannot checkpoint", "stop", "--stateful", "c1");
		refused("cannot restore", "restore", "c1");
	}
}
