package org.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.NamespaceType;
import org.junit.jupiter.api.Test;

class LifecycleCommandTest {

	private final FakeLocalEngine engine = new FakeLocalEngine().add(ContainerSpec.builder("c1").build())
			.add(ContainerSpec.builder("c2").build());
	private final Cli cli = new Cli(engine);

	@Test
	void startStopReportEachContainer() {
		Cli.Result start = cli.run("start", "c1", "c2");
		assertEquals(0, start.code(), start::toString);
		assertEquals(2, start.outLines().size());
		assertTrue(start.outLines().get(0).matches("c1: running \\(pid [0-9]+\\)"), start::toString);
		assertTrue(start.outLines().get(1).matches("c2: running \\(pid [0-9]+\\)"), start::toString);
		Cli.Result stop = cli.run("stop", "c1", "c2");
		assertEquals(List.of("c1: stopped", "c2: stopped"), stop.outLines());
		assertTrue(engine.calls.contains("stop c1 10"), engine.calls::toString);
	}

	@Test
	void theStopTimeoutIsPassedOn() {
		cli.run("start", "c1");
		assertEquals(0, cli.run("stop", "--timeout", "3", "c1").code());
		assertTrue(engine.calls.contains("stop c1 3"), engine.calls::toString);
		cli.run("start", "c1");
		assertEquals(0, cli.run("restart", "-t", "0", "c1").code());
		assertTrue(engine.calls.contains("restart c1 0"), engine.calls::toString);
		Cli.Result bad = cli.run("stop", "--timeout", "-5", "c1");
		assertEquals(2, bad.code());
		ErrorsTest.assertOneErrorLine(bad, "--timeout: a timeout of -5 seconds is not possible");
	}

	@Test
	void oneFailureFailsTheCommandButTheOthersAreDone() {
		cli.run("start", "c1", "c2");
		Cli.Result r = cli.run("stop", "c1", "ghost", "c2");
		assertEquals(1, r.code(), r::toString);
		assertEquals(List.of("c1: stopped", "c2: stopped"), r.outLines());
		assertEquals(List.of("berth: no container named \"ghost\""), r.errLines());
		assertEquals(ContainerState.STOPPED, engine.snapshot("c2").state());
	}

	@Test
	void startGoesInTheOrderGivenSoThatSharesWork() {
		engine.add(ContainerSpec.builder("app").share(NamespaceType.NET, "c1").build());
		Cli.Result r = cli.run("start", "c1", "app");
		assertEquals(0, r.code(), r::toString);
		assertEquals(engine.snapshot("c1").namespaces().get(NamespaceType.NET).inode(),
				engine.snapshot("app").namespaces().get(NamespaceType.NET).inode());
	}

	@Test
	void startTakesTheSharedOneFirstAndDestroyTheSharer() {
		engine.add(ContainerSpec.builder("app").share(NamespaceType.NET, "c1").build());
		Cli.Result start = cli.run("start", "app", "c1");
		assertEquals(0, start.code(), start::toString);
		assertTrue(start.outLines().get(0).startsWith("c1: running"), start::toString);
		assertTrue(start.outLines().get(1).startsWith("app: running"), start::toString);
		assertEquals(0, cli.run("stop", "app", "c1").code());
		Cli.Result destroy = cli.run("destroy", "c1", "app");
		assertEquals(0, destroy.code(), destroy::toString);
		assertEquals(List.of("app: destroyed", "c1: destroyed"), destroy.outLines());
		assertEquals(List.of("destroy app", "destroy c1"),
				engine.calls.stream().filter(c -> c.startsWith("destroy")).toList());
	}

	@Test
	void aNameGivenTwiceIsActedOnOnce() {
		Cli.Result r = cli.run("start", "c1", "c1");
		assertEquals(0, r.code(), r::toString);
		assertEquals(1, r.outLines().size());
	}

	@Test
	void freezeThawKill() {
		cli.run("start", "c1");
		assertEquals(List.of("c1: frozen"), cli.run("freeze", "c1").outLines());
		Cli.Result again = cli.run("freeze", "c1");
		assertEquals(1, again.code());
		ErrorsTest.assertOneErrorLine(again, "cannot freeze \"c1\": it is already frozen");
		assertEquals(0, cli.run("thaw", "c1").code());
		assertEquals(ContainerState.RUNNING, engine.snapshot("c1").state());
		assertEquals(List.of("c1: stopped"), cli.run("kill", "c1").outLines());
	}

	@Test
	void destroyRefusesARunningContainerUnlessForced() {
		cli.run("start", "c1");
		Cli.Result refused = cli.run("destroy", "c1");
		assertEquals(1, refused.code());
		ErrorsTest.assertOneErrorLine(refused, "cannot destroy \"c1\": it is running; stop it first"
				+ " (or use berth destroy --force)");
		assertTrue(engine.get("c1").isPresent());
		Cli.Result forced = cli.run("destroy", "--force", "c1", "c2");
		assertEquals(0, forced.code(), forced::toString);
		assertEquals(List.of("c1: destroyed", "c2: destroyed"), forced.outLines());
		assertTrue(engine.list().isEmpty());
		assertTrue(engine.calls.contains("kill c1"));
		assertTrue(!engine.calls.contains("kill c2"), "a stopped container is not killed");
	}
}
