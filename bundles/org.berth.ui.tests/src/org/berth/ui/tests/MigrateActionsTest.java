package org.berth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.MigrationProgress;
import org.berth.core.MigrationProgress.Phase;
import org.berth.core.MigrationResult;
import org.berth.core.Sizes;
import org.berth.ui.handlers.MigrateActions;
import org.berth.ui.handlers.MigrationPhases;
import org.berth.ui.handlers.MigrationPhases.State;
import org.berth.ui.preferences.BerthPreferences;
import org.junit.jupiter.api.Test;

/** When Migrate… acts, the words of the Migrate dialog, its remembered targets and its list of phases. No workbench. */
class MigrateActionsTest {

	private static ContainerSnapshot in(String name, ContainerState state) {
		return new ContainerSnapshot(ContainerSpec.builder(name).build(), state, state.isActive() ? 42 : 0,
				state.isActive() ? Instant.now() : null, null, Map.of());
	}

	private static List<State> states(MigrationPhases p) {
		return p.view().rows().stream().map(MigrationPhases.Row::state).toList();
	}

	private static MigrationProgress step(Phase phase, double fraction) {
		return new MigrationProgress(phase, fraction, phase.label() + " step");
	}

	private static final long MS = 1_000_000L;

	@Test
	void migrateIsForOneRunningOrStoppedContainerAndSaysWhyNot() {
		for (ContainerState s : ContainerState.values()) {
			boolean can = s == ContainerState.RUNNING || s == ContainerState.STOPPED;
			assertEquals(can, MigrateActions.canMigrate(List.of(in("a", s))), s.name());
			assertEquals(can, MigrateActions.blocker(in("a", s)) == null, s.name());
		}
		assertEquals("\"a\" is frozen: a running or a stopped container can migrate", MigrateActions.blocker(in("a",
				ContainerState.FROZEN)));
		assertEquals("\"a\" is starting: a running or a stopped container can migrate", MigrateActions.blocker(in(
				"a", ContainerState.STARTING)));
		assertEquals("The container is gone", MigrateActions.blocker(null));
		assertFalse(MigrateActions.canMigrate(List.of()));
		assertFalse(MigrateActions.canMigrate(List.of(in("a", ContainerState.RUNNING), in("b",
				ContainerState.STOPPED))), "one at a time");
	}

	@Test
	void aTargetIsCheckedBySshUrlAndBlankIsNotAProblem() {
		assertNull(MigrateActions.targetProblem("ssh://root@host2"));
		assertNull(MigrateActions.targetProblem(" ssh://host2:2222/ "));
		assertNull(MigrateActions.targetProblem(""));
		assertTrue(MigrateActions.targetMissing("  "));
		assertFalse(MigrateActions.targetMissing("x"));
		assertEquals("\"host2\" is not a target: write ssh://[user@]host[:port], e.g. ssh://root@host2 or"
				+ " ssh://host2:2222", MigrateActions.targetProblem("host2"));
		assertEquals("port 70000 of \"ssh://h:70000\" is not between 1 and 65535", MigrateActions.targetProblem(
				"ssh://h:70000"));
		assertEquals("ssh://root@host2:2222", MigrateActions.normalTarget(" ssh://root@host2:2222/ "));
	}

	@Test
	void theLastUsedTargetComesFirstOnceAndTheListIsBounded() {
		assertEquals(List.of("ssh://a"), BerthPreferences.remember(List.of(), "ssh://a"));
		assertEquals(List.of("ssh://b", "ssh://a", "ssh://c"), BerthPreferences.remember(List.of("ssh://a",
				"ssh://b", "ssh://c"), "ssh://b"));
		List<String> many = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9");
		List<String> kept = BerthPreferences.remember(many, "new");
		assertEquals(BerthPreferences.MAX_MIGRATION_TARGETS, kept.size());
		assertEquals("new", kept.get(0));
		assertEquals(List.of("ssh://a", "ssh://b"), BerthPreferences.parseTargets("ssh://a\n\n ssh://b \n"));
		assertEquals(List.of(), BerthPreferences.parseTargets(""));
	}

	@Test
	void theEndSaysWhereItRunsHowLongItWasDownAndWhatWasSent() {
		MigrationResult live = new MigrationResult("web", "ssh://host2", true, Duration.ofMillis(912),
				(long) (12.3 * Sizes.MIB), Map.of());
		assertEquals("Running on ssh://host2 — down 0.91 s, 12.3 MiB sent", MigrateActions.summary(live));
		MigrationResult moved = new MigrationResult("web", "ssh://host2", false, Duration.ZERO, 3 * Sizes.MIB,
				Map.of());
		assertEquals("Moved to ssh://host2 — 3 MiB sent", MigrateActions.summary(moved));
		assertEquals("0.05 s", MigrateActions.seconds(Duration.ofMillis(50)));
		assertEquals("12.3 s", MigrateActions.seconds(Duration.ofMillis(12_340)));
		assertEquals("2 min 05 s", MigrateActions.seconds(Duration.ofSeconds(125)));
		assertEquals("1 h 01 min", MigrateActions.seconds(Duration.ofSeconds(3670)));
		assertEquals("Freeze and dump", MigrateActions.phaseName(Phase.DUMP));
		assertEquals("Clean up", MigrateActions.phaseName(Phase.CLEAN_UP));
	}

	@Test
	void aLiveMigrationGoesThroughEveryPhaseWithTheEnginesTimesAtTheEnd() {
		MigrationPhases p = new MigrationPhases();
		assertEquals(List.of(State.WAITING, State.WAITING, State.WAITING, State.WAITING, State.WAITING,
				State.WAITING), states(p));
		assertNull(p.view().current());
		p.heard(step(Phase.CHECK, -1), 0);
		p.heard(step(Phase.TRANSFER, 0), 100 * MS);
		p.heard(step(Phase.TRANSFER, 0.5), 200 * MS);
		MigrationPhases.View v = p.view();
		assertEquals(List.of(State.DONE, State.RUNNING, State.WAITING, State.WAITING, State.WAITING,
				State.WAITING), states(p));
		assertEquals(Duration.ofMillis(100), v.rows().get(0).took(), "measured as the steps came");
		assertNull(v.rows().get(1).took(), "no time while it runs");
		assertEquals(Phase.TRANSFER, v.current());
		assertEquals(0.5, v.fraction());
		assertEquals("transfer step", v.message());
		for (Phase ph : List.of(Phase.DUMP, Phase.COPY, Phase.RESTORE, Phase.CLEAN_UP)) {
			p.heard(step(ph, -1), 300 * MS + ph.ordinal() * MS);
		}
		Map<Phase, Duration> took = new EnumMap<>(Phase.class);
		for (Phase ph : Phase.values()) {
			took.put(ph, Duration.ofMillis(10 * (ph.ordinal() + 1)));
		}
		p.finished(new MigrationResult("web", "ssh://h", true, Duration.ofMillis(500), 1, took), 400 * MS);
		assertEquals(List.of(State.DONE, State.DONE, State.DONE, State.DONE, State.DONE, State.DONE), states(p));
		assertEquals(Duration.ofMillis(20), p.view().rows().get(1).took(), "the engine's own time");
		assertNull(p.view().current());
	}

	@Test
	void aStoppedContainerSkipsThePhasesOfItsProcesses() {
		MigrationPhases p = new MigrationPhases();
		p.heard(step(Phase.CHECK, -1), 0);
		p.heard(step(Phase.TRANSFER, 1), MS);
		p.heard(step(Phase.CLEAN_UP, -1), 2 * MS);
		assertEquals(List.of(State.DONE, State.DONE, State.SKIPPED, State.SKIPPED, State.SKIPPED, State.RUNNING),
				states(p));
		p.finished(new MigrationResult("web", "ssh://h", false, Duration.ZERO, 1, Map.of(Phase.CHECK, Duration
				.ofMillis(1), Phase.TRANSFER, Duration.ofMillis(1), Phase.CLEAN_UP, Duration.ofMillis(1))), 3 * MS);
		assertEquals(List.of(State.DONE, State.DONE, State.SKIPPED, State.SKIPPED, State.SKIPPED, State.DONE),
				states(p));
	}

	@Test
	void aFailureMarksThePhaseBeforeTheEnginesCleanUp() {
		MigrationPhases p = new MigrationPhases();
		p.heard(step(Phase.CHECK, -1), 0);
		p.heard(step(Phase.TRANSFER, 0), 10 * MS);
		p.heard(step(Phase.TRANSFER, 0.3), 20 * MS);
		p.heard(step(Phase.DUMP, -1), 30 * MS);
		p.heard(step(Phase.CLEAN_UP, -1), 70 * MS); // the engine removes what it made on the target, resumes here
		assertEquals(Phase.DUMP, p.failed(90 * MS));
		MigrationPhases.View v = p.view();
		assertEquals(List.of(State.DONE, State.DONE, State.FAILED, State.SKIPPED, State.SKIPPED, State.DONE),
				states(p));
		assertEquals(Duration.ofMillis(40), v.rows().get(Phase.DUMP.ordinal()).took(), "until the clean-up began");
		assertEquals(Duration.ofMillis(20), v.rows().get(Phase.CLEAN_UP.ordinal()).took());

		MigrationPhases refused = new MigrationPhases();
		assertEquals(Phase.CHECK, refused.failed(MS), "refused before a step was heard: the check failed");
		assertEquals(List.of(State.FAILED, State.SKIPPED, State.SKIPPED, State.SKIPPED, State.SKIPPED,
				State.SKIPPED), states(refused));
		assertNull(refused.view().rows().get(0).took());

		MigrationPhases atCheck = new MigrationPhases();
		atCheck.heard(step(Phase.CHECK, -1), 0);
		assertEquals(Phase.CHECK, atCheck.failed(5 * MS));
		assertEquals(Duration.ofMillis(5), atCheck.view().rows().get(0).took());
	}
}
