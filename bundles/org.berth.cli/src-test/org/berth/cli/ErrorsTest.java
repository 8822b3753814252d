package org.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.InvalidSpecException;
import org.berth.core.NativeException;
import org.berth.core.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input: one line on stderr starting "berth: ", a non-zero exit code, no stack trace, nothing done. */
class ErrorsTest {

	static Stream<Arguments> badCreates() {
		return Stream.of(
				Arguments.of(List.of("create", "bad name!"), 1, "\"bad name!\" is not a valid container name"),
				Arguments.of(List.of("create", "c1", "--template", "debian"), 1, "there is no template \"debian\""),
				Arguments.of(List.of("create", "c1", "--ns", "net=share:ghost"), 1,
						"no container named \"ghost\""),
				Arguments.of(List.of("create", "c1", "--memory", "abc"), 2, "--memory: \"abc\" is not a size"),
				Arguments.of(List.of("create", "c1", "--memory", "1K"), 1, "memory limit 1 KiB is too small"),
				Arguments.of(List.of("create", "c1", "--ns", "foo=new"), 2, "\"foo\" is not a namespace type"),
				Arguments.of(List.of("create", "c1", "--ns", "net"), 2, "is not a namespace setting"),
				Arguments.of(List.of("create", "c1", "--ns", "net=host", "--ns", "net=new"), 2, "given twice"),
				Arguments.of(List.of("create", "c1", "--cpus", "-1"), 2, "\"-1\" is not a number of CPUs"),
				Arguments.of(List.of("create", "c1", "--cpus", "0"), 1, "cpus 0 is out of range"),
				Arguments.of(List.of("create", "c1", "--pids", "lots"), 2, "--pids: \"lots\" is not a whole number"),
				Arguments.of(List.of("create", "c1", "--kind", "vm"), 2, "\"vm\" is not a container kind"),
				Arguments.of(List.of("create", "c1", "--network", "wifi"), 2, "\"wifi\" is not a network mode"),
				Arguments.of(List.of("create", "c1", "--network", "host", "--address", "10.0.0.2/24"), 2,
						"--bridge and --address need --network veth"),
				Arguments.of(List.of("create", "c1", "--cap-drop", "sys_tim"), 2, "did you mean CAP_SYS_TIME?"),
				Arguments.of(List.of("create", "c1", "--uidmap", "0 1"), 2, "is not an id map"),
				Arguments.of(List.of("create", "c1", "--init", "/bin/sh", "--", "/sbin/init"), 2, "given twice"),
				Arguments.of(List.of("create", "c1", "--init", "/bin/sh -c 'x"), 2, "is not closed"),
				Arguments.of(List.of("create", "c1", "c2"), 2, "unexpected argument \"c2\""),
				Arguments.of(List.of("create", "c1", "--halt-signal", "SIGFOO"), 1, "is not a signal name"),
				Arguments.of(List.of("create", "c1", "--network", "veth", "--ns", "net=host"), 1,
						"network veth needs a net namespace of its own"),
				Arguments.of(List.of("create", "c0"), 1, "a container named \"c0\" already exists"),
				Arguments.of(List.of("create", "c1", "--frobnicate"), 2, "unknown option: '--frobnicate'"),
				Arguments.of(List.of("create"), 2, "missing required parameter"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badCreates")
	void aBadCreateSaysWhyInOneLineAndDefinesNothing(List<String> args, int code, String expected) {
		FakeLocalEngine engine = new FakeLocalEngine().add(ContainerSpec.builder("c0").build());
		Cli.Result r = new Cli(engine).run(args.toArray(String[]::new));
		assertEquals(code, r.code(), r::toString);
		assertOneErrorLine(r, expected);
		assertTrue(engine.defined.isEmpty(), () -> "defined: " + engine.defined);
		assertEquals(List.of("c0"), engine.list().stream().map(s -> s.name()).toList());
	}

	static Stream<Arguments> badSnapshotsDiffsAndFiles() {
		return Stream.of(
				Arguments.of(List.of("snapshot", "create", "ghost"), 1, "no container named \"ghost\""),
				Arguments.of(List.of("snapshot", "restore", "c0"), 2, "missing required parameter: 'SNAP'"),
				Arguments.of(List.of("snapshot", "delete", "c0", "nope"), 1, "\"c0\" has no snapshot \"nope\""),
				Arguments.of(List.of("snapshot"), 2, "say what to do: create, list, restore, delete or schedule"),
				Arguments.of(List.of("create", "c1", "--from", "c0"), 2, "\"c0\" names no snapshot"),
				Arguments.of(List.of("create", "c1", "--from", "c0/nope"), 1, "\"c0\" has no snapshot \"nope\""),
				Arguments.of(List.of("diff", "c0"), 2, "missing required parameter: 'B'"),
				Arguments.of(List.of("diff", "c0", "ghost/s"), 1, "no container named \"ghost\""),
				Arguments.of(List.of("file", "push", "x", "c0"), 2, "\"c0\" names no file in a container"),
				Arguments.of(List.of("file", "push", "/nonexistent/x", "c0:/x"), 2, "there is no file /nonexistent/x"),
				Arguments.of(List.of("file", "pull", "c0", "x"), 2, "\"c0\" names no file in a container"),
				Arguments.of(List.of("file"), 2, "say what to do: push or pull"),
				Arguments.of(List.of("import", "/nonexistent.tar.zst"), 2, "there is no file /nonexistent.tar.zst"),
				Arguments.of(List.of("export", "c0"), 2, "missing required parameter: 'FILE'"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badSnapshotsDiffsAndFiles")
	void aBadSnapshotDiffOrFileCommandSaysWhyInOneLineAndChangesNothing(List<String> args, int code,
			String expected) {
		FakeLocalEngine engine = new FakeLocalEngine().add(ContainerSpec.builder("c0").build());
		Cli.Result r = new Cli(engine).run(args.toArray(String[]::new));
		assertEquals(code, r.code(), r::toString);
		assertOneErrorLine(r, expected);
		assertEquals("", r.out());
		assertEquals(List.of("c0"), engine.list().stream().map(s -> s.name()).toList());
		assertEquals(List.of(), engine.snapshots("c0").join());
	}

	static void assertOneErrorLine(Cli.Result r, String expected) {
		assertEquals(1, r.errLines().size(), r::toString);
		String line = r.errLines().get(0);
		assertTrue(line.startsWith("berth: "), r::toString);
		assertTrue(line.contains(expected), () -> "expected \"" + expected + "\" in: " + line);
		assertFalse(line.contains("Exception") || line.contains("\tat "), r::toString);
	}

	@Test
	void startingTwiceIsRefused() {
		FakeLocalEngine engine = new FakeLocalEngine().add(ContainerSpec.builder("c1").build());
		Cli cli = new Cli(engine);
		assertEquals(0, cli.run("start", "c1").code());
		Cli.Result r = cli.run("start", "c1");
		assertEquals(1, r.code(), r::toString);
		assertOneErrorLine(r, "cannot start \"c1\": it is already running");
		assertEquals("", r.out());
	}

	@Test
	void anEngineErrorOfSetIsOneLine() {
		FakeLocalEngine engine = new FakeLocalEngine().addRunning(ContainerSpec.builder("c1").build())
				.usage("c1", FakeLocalEngine.usageWithMemory(64 * org.berth.core.Sizes.MIB));
		Cli.Result r = new Cli(engine).run("set", "c1", "--memory", "8M");
		assertEquals(1, r.code(), r::toString);
		assertOneErrorLine(r, "cannot lower the memory limit of \"c1\" to 8 MiB: it uses 64 MiB now");
		assertEquals(null, engine.snapshot("c1").spec().limits().memoryBytes());
	}

	@Test
	void invalidLimitsArePrintedOneProblemALine() {
		FakeLocalEngine engine = new FakeLocalEngine().add(ContainerSpec.builder("c1").build());
		Cli.Result r = new Cli(engine).run("set", "c1", "--memory", "1K", "--cpus", "2000");
		assertEquals(1, r.code(), r::toString);
		assertEquals(2, r.errLines().size(), r::toString);
		assertTrue(r.errLines().get(0).startsWith("berth: memory limit 1 KiB is too small"), r::toString);
		assertTrue(r.errLines().get(1).startsWith("berth: cpus 2000 is out of range"), r::toString);
		assertFalse(engine.calls.stream().anyMatch(c -> c.startsWith("update") || c.startsWith("setLimits")));
	}

	@Test
	void anInvalidSpecExceptionOfTheEnginePrintsEachProblemOnItsOwnLine() {
		FakeLocalEngine engine = new FakeLocalEngine() {
			@Override
			public CompletableFuture<ContainerSnapshot> define(ContainerSpec spec) {
				return CompletableFuture.failedFuture(new InvalidSpecException(spec.name(), List.of(
						Problem.error("rootfs", "rootfs \"/srv/x\" does not exist"),
						Problem.error("network.address", "network address \"10.88.0.5/24\" is taken by \"c9\""))));
			}
		};
		Cli.Result r = new Cli(engine).run("create", "c1", "--rootfs", "/srv/x", "--address", "10.88.0.5/24");
		assertEquals(1, r.code(), r::toString);
		assertEquals(List.of("berth: rootfs \"/srv/x\" does not exist",
				"berth: network address \"10.88.0.5/24\" is taken by \"c9\""), r.errLines());
		assertEquals("", r.out());
	}

	@Test
	void aShareCycleIsAUsageErrorNamingTheCycleAndChangesNothing() {
		FakeLocalEngine engine = new FakeLocalEngine();
		Cli cli = new Cli(engine);
		assertEquals(0, cli.run("create", "a").code());
		assertEquals(0, cli.run("create", "b", "--ns", "uts=share:a").code());
		ContainerSpec before = engine.snapshot("a").spec();
		int calls = engine.calls.size();
		Cli.Result r = cli.run("set", "a", "--ns", "ipc=share:b");
		assertEquals(2, r.code(), r::toString);
		assertOneErrorLine(r, "a shares b's ipc while b shares a's uts: a share cycle, neither could start");
		assertEquals(before, engine.snapshot("a").spec());
		assertEquals(calls, engine.calls.size(), () -> "called: " + engine.calls);
		assertEquals("", r.out());
	}

	@Test
	void moreCpusThanTheHostHasAreRefused() {
		FakeLocalEngine engine = new FakeLocalEngine().add(ContainerSpec.builder("c1").build());
		engine.hostCpus = 2;
		Cli.Result r = new Cli(engine).run("set", "c1", "--cpus", "100");
		assertEquals(1, r.code(), r::toString);
		assertOneErrorLine(r, "cpus 100 is more than the host's 2 CPUs; use at most 2");
		assertEquals(null, engine.snapshot("c1").spec().limits().cpus());
	}

	@Test
	void anUnknownContainerIsNamed() {
		Cli.Result r = new Cli(new FakeLocalEngine()).run("config", "ghost");
		assertEquals(1, r.code());
		assertOneErrorLine(r, "no container named \"ghost\"");
	}

	@Test
	void anEngineThatCannotBeOpenedGivesItsSentence() {
		Cli cli = new Cli(() -> {
			throw new UncheckedBerthException(new NativeException("mkdir", "/run/berth", NativeException.EACCES,
					"Permission denied"));
		});
		Cli.Result r = cli.run("list");
		assertEquals(1, r.code(), r::toString);
		assertEquals(List.of("berth: mkdir(/run/berth): Permission denied; this needs root"), r.errLines());
	}

	@Test
	void helpVersionAndUsageErrorsNeedNoEngine() {
		Cli cli = new Cli(() -> {
			throw new AssertionError("the engine must not be opened");
		});
		Cli.Result help = cli.run("--help");
		assertEquals(0, help.code(), help::toString);
		assertTrue(help.out().contains("Usage: berth"), help::toString);
		for (String cmd : List.of("list", "create", "start", "stop", "set", "exec", "ns", "stats", "console")) {
			Cli.Result r = cli.run(cmd, "--help");
			assertEquals(0, r.code(), r::toString);
			assertTrue(r.out().startsWith("Usage: berth " + cmd), r::toString);
		}
		Cli.Result version = cli.run("version");
		assertEquals(0, version.code());
		assertTrue(version.out().startsWith("berth "), version::toString);
		assertEquals(0, cli.run("-V").code());
		assertEquals(2, cli.run("create", "c1", "--memory", "lots").code());
		assertEquals(2, cli.run("stop").code());
		assertEquals(0, cli.engineOpened.get());
	}

	@Test
	void anUnknownCommandSuggestsOne() {
		Cli.Result r = new Cli(new FakeLocalEngine()).run("lsit");
		assertEquals(2, r.code());
		assertOneErrorLine(r, "there is no command \"lsit\"; did you mean list");
	}

	@Test
	void noCommandIsAUsageError() {
		Cli.Result r = new Cli(new FakeLocalEngine()).run();
		assertEquals(2, r.code());
		assertOneErrorLine(r, "say which command to run");
	}

	@Test
	void aBugIsOneLineWithoutDebugAndATraceWithIt() {
		FakeLocalEngine engine = new FakeLocalEngine() {
			@Override
			public List<ContainerSnapshot> list() {
				throw new NullPointerException("boom");
			}
		};
		Cli.Result plain = new Cli(engine).run("list");
		assertEquals(1, plain.code());
		assertEquals(List.of("berth: internal error: java.lang.NullPointerException: boom"
				+ " (BERTH_DEBUG=1 shows the stack trace)"), plain.errLines());
		Cli.Result debug = new Cli(engine).debug().run("list");
		assertEquals(1, debug.code());
		assertTrue(debug.errLines().size() > 2 && debug.err().contains("\tat "), debug::toString);
	}

	@Test
	void theEngineIsClosedAfterwards() {
		FakeLocalEngine engine = new FakeLocalEngine();
		assertEquals(0, new Cli(engine).run("list").code());
		assertTrue(engine.closed);
	}

	@Test
	void whatAnEngineCannotDoIsItsSentenceNotAnInternalError() {
		assertEquals("this engine cannot stream a command's input and output", Errors.describe(
				new UnsupportedOperationException("this engine cannot stream a command's input and output")));
		assertTrue(Errors.describe(new UnsupportedOperationException()).startsWith("internal error: "));
	}
}
