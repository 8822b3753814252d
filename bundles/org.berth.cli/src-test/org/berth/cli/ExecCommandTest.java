package org.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import org.berth.core.ContainerSpec;
import org.berth.core.ExecRequest;
import org.junit.jupiter.api.Test;

class ExecCommandTest {

	private final FakeLocalEngine engine = new FakeLocalEngine().addRunning(ContainerSpec.builder("c1").build())
			.add(ContainerSpec.builder("c2").build());
	private final Cli cli = new Cli(engine);

	{
		// "exit N" as the last word exits with N, as a shell would
		engine.exitCode = r -> {
			String last = r.command().get(r.command().size() - 1);
			return last.startsWith("exit ") ? Integer.parseInt(last.substring(5)) : 0;
		};
	}

	@Test
	void theExitCodeIsTheCommands() {
		Cli.Result r = cli.run("exec", "c1", "--", "/bin/sh", "-c", "exit 3");
		assertEquals(3, r.code(), r::toString);
		assertEquals("", r.err());
		assertEquals(List.of("/bin/sh", "-c", "exit 3"), engine.execs.get(0).command());
		assertEquals(0, cli.run("exec", "c1", "/bin/true").code());
	}

	@Test
	void optionsAfterTheNameBelongToTheCommand() {
		assertEquals(42, cli.run("exec", "-e", "A=1", "-e", "B=2", "-w", "/tmp", "c1", "ls", "-l", "--all",
				"exit 42").code());
		ExecRequest req = engine.execs.get(0);
		assertEquals(List.of("ls", "-l", "--all", "exit 42"), req.command());
		assertEquals(Map.of("A", "1", "B", "2"), req.env());
		assertEquals(List.of("A", "B"), List.copyOf(req.env().keySet()));
		assertEquals("/tmp", req.cwd());
		assertEquals(false, req.tty());
	}

	@Test
	void atSignsAreNotExpanded() {
		assertEquals(0, cli.run("exec", "c1", "echo", "@nonexistent-file").code());
		assertEquals(List.of("echo", "@nonexistent-file"), engine.execs.get(0).command());
		assertNull(engine.execs.get(0).cwd());
	}

	@Test
	void aStoppedContainerCannotRunACommand() {
		Cli.Result r = cli.run("exec", "c2", "--", "/bin/sh");
		assertEquals(1, r.code());
		ErrorsTest.assertOneErrorLine(r, "cannot run a command in \"c2\": it is stopped");
	}

	@Test
	void aMissingCommandIsAUsageError() {
		Cli.Result r = cli.run("exec", "c1", "--");
		assertEquals(2, r.code());
		ErrorsTest.assertOneErrorLine(r, "say which command to run");
		assertEquals(List.of(), engine.execs);
	}
}
