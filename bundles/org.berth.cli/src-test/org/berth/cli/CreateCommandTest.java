package org.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.berth.core.CommandLines;
import org.berth.core.ContainerKind;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.IdMap;
import org.berth.core.Limits;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;
import org.berth.core.NetworkMode;
import org.berth.core.NetworkSpec;
import org.berth.core.ShellWords;
import org.berth.core.Sizes;
import org.berth.core.linux.LocalEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import picocli.CommandLine;

class CreateCommandTest {

	private final FakeLocalEngine engine = new FakeLocalEngine().addRunning(ContainerSpec.builder("c0").build());
	private final Cli cli = new Cli(engine);

	private ContainerSpec definedOnly() {
		assertEquals(1, engine.defined.size(), "defined specs: " + engine.defined);
		return engine.defined.get(0);
	}

	@Test
	void theDefaultsGiveTheDefaultSpec() {
		Cli.Result r = cli.run("create", "c1");
		assertEquals(0, r.code(), r::toString);
		assertEquals(List.of("c1: created"), r.outLines());
		assertEquals("", r.err());
		assertEquals(ContainerSpec.builder("c1").build(), definedOnly());
	}

	@Test
	void privilegedKeepsTheHostsUserNamespaceAndSaysSoOnce() {
		Cli.Result r = cli.run("create", "old", "--privileged");
		assertEquals(0, r.code(), r::toString);
		assertEquals(List.of("berth: warning: \"old\" is privileged: root inside it is root on the host"
				+ " (user=host); a user namespace of its own (new) makes its root nobody on the host"), r.errLines());
		assertTrue(definedOnly().isPrivileged());
		Cli.Result both = new Cli(new FakeLocalEngine()).run("create", "x", "--privileged", "--uidmap",
				"0:1048576:65536");
		assertEquals(2, both.code(), both::toString);
		assertTrue(both.err().contains("--privileged keeps the host's user namespace"), both::toString);
	}

	@Test
	void aSeccompProfileReachesTheSpecWithAnAbsolutePath() {
		Cli.Result r = cli.run("create", "c1", "--seccomp", "unconfined");
		assertEquals(0, r.code(), r::toString);
		assertEquals("unconfined", definedOnly().seccomp());
		assertTrue(r.err().startsWith("berth: warning: seccomp unconfined"), r::toString);
		r = cli.run("create", "c2", "--seccomp", "profiles/strict");
		assertEquals(0, r.code(), r::toString);
		assertEquals(Path.of("profiles/strict").toAbsolutePath().toString(), engine.defined.get(1).seccomp());
	}

	@Test
	void namespacesLimitsAndNetworkReachTheSpec() {
		Cli.Result r = cli.run("create", "c1", "--template", "alpine", "--ns", "ipc=share:c0", "--ns", "UTS=host",
				"--ns", "user=new", "--uidmap", "0 100000 65536", "--gidmap", "0:200000:1000",
				"--memory", "256M", "--memory-swap", "512M", "--cpus", "0.5", "--cpu-weight", "200",
				"--cpuset", "0-1", "--pids", "100", "--network", "veth", "--address", "10.88.0.5/24",
				"--halt-signal", "rtmin+3", "--drop-cap", "net_raw", "--cap-keep", "sys_time", "--autostart",
				"--", "/sbin/init", "--verbose");
		assertEquals(0, r.code(), r::toString);
		ContainerSpec spec = definedOnly();
		assertEquals("alpine", spec.template());
		assertEquals(NamespaceSpec.share(NamespaceType.IPC, "c0"), spec.namespace(NamespaceType.IPC));
		assertEquals(NamespaceMode.HOST, spec.mode(NamespaceType.UTS));
		assertEquals(NamespaceMode.NEW, spec.mode(NamespaceType.USER));
		assertEquals(NamespaceMode.NEW, spec.mode(NamespaceType.NET));
		assertEquals(NamespaceMode.HOST, spec.mode(NamespaceType.TIME));
		assertEquals(List.of(new IdMap(0, 100000, 65536)), spec.uidMaps());
		assertEquals(List.of(new IdMap(0, 200000, 1000)), spec.gidMaps());
		assertEquals(new Limits(256 * Sizes.MIB, 512 * Sizes.MIB, 0.5, 200, "0-1", 100L), spec.limits());
		assertEquals(NetworkSpec.veth(null, "10.88.0.5/24"), spec.network());
		assertEquals("SIGRTMIN+3", spec.haltSignal());
		Set<String> caps = new java.util.TreeSet<>(ContainerSpec.DEFAULT_DROPPED_CAPABILITIES);
		caps.remove("CAP_SYS_TIME");
		caps.add("CAP_NET_RAW");
		assertEquals(caps, spec.dropCapabilities());
		assertTrue(spec.autostart());
		assertEquals(List.of("/sbin/init", "--verbose"), spec.init());
		// the warning about uts=host is shown, but the container is created
		assertTrue(r.err().startsWith("berth: warning: uts=host"), r::toString);
	}

	@Test
	void networkHostMovesNetToTheHost() {
		assertEquals(0, cli.run("create", "c1", "--net", "host").code());
		ContainerSpec spec = definedOnly();
		assertEquals(NetworkMode.HOST, spec.network().mode());
		assertEquals(NamespaceMode.HOST, spec.mode(NamespaceType.NET));
	}

	@Test
	void anAddressAloneMeansVeth() {
		assertEquals(0, cli.run("create", "c1", "--address=10.88.0.7/24").code());
		assertEquals(NetworkSpec.veth(null, "10.88.0.7/24"), definedOnly().network());
	}

	@Test
	void initAsOneStringIsSplitLikeAShell() {
		Cli.Result r = cli.run("create", "app", "--kind", "application", "--init", "/bin/sh -c 'echo hi; sleep 9'");
		assertEquals(0, r.code(), r::toString);
		ContainerSpec spec = definedOnly();
		assertEquals(ContainerKind.APPLICATION, spec.kind());
		assertEquals(List.of("/bin/sh", "-c", "echo hi; sleep 9"), spec.init());
	}

	@Test
	void aRelativeRootfsIsTakenFromTheCurrentDirectory() {
		assertEquals(0, cli.run("create", "c1", "--rootfs", "images/c1").code());
		ContainerSpec spec = definedOnly();
		assertTrue(spec.rootfs().startsWith("/") && spec.rootfs().endsWith("/images/c1"), spec.rootfs());
		assertNull(spec.template());
	}

	@Test
	void startStartsIt() {
		Cli.Result r = cli.run("create", "c1", "--start");
		assertEquals(0, r.code(), r::toString);
		assertEquals(ContainerState.RUNNING, engine.snapshot("c1").state());
		assertEquals("c1: created", r.outLines().get(0));
		assertTrue(r.outLines().get(1).matches("c1: running \\(pid [0-9]+\\)"), r::toString);
	}

	@Test
	void whatConfigPrintsCreatesTheSameSpec() {
		ContainerSpec original = ContainerSpec.builder("web-2").kind(ContainerKind.APPLICATION).template("alpine")
				.share(NamespaceType.PID, "c0").share(NamespaceType.NET, "c0").uidMap(new IdMap(0, 100000, 65536))
				.gidMap(new IdMap(0, 300000, 65536))
				.namespace(NamespaceType.TIME, NamespaceMode.NEW).monotonicOffsetSeconds(-60)
				.boottimeOffsetSeconds(3600)
				.limits(new Limits(Sizes.GIB + 512 * Sizes.MIB, 2 * Sizes.GIB, 1.25, 50, "0,2-3", 64L))
				.dropCapabilities(Set.of("CAP_NET_RAW", "CAP_SYS_TIME")).haltSignal("SIGTERM").autostart(true)
				.init("/usr/bin/web server", "--port=8080", "it's").build();
		engine.add(original);
		Cli.Result config = cli.run("config", "web-2");
		assertEquals(0, config.code(), config::toString);
		assertEquals(CommandLines.createCommandLine(original) + "\n", config.out());
		List<String> argv = new ArrayList<>(ShellWords.split(config.out().strip()));
		assertEquals(List.of("berth", "create", "web-2"), argv.subList(0, 3));
		argv.set(2, "web-3");
		Cli.Result create = cli.run(argv.subList(1, argv.size()).toArray(String[]::new));
		assertEquals(0, create.code(), create::toString);
		assertEquals(original.withName("web-3"), definedOnly());
	}

	@Test
	void createAndSetReadTheirSharedOptionsAlike() {
		String[] shared = {"--memory", "256M", "--memory-swap", "512M", "--cpus", "0.5", "--cpu-weight", "200",
				"--cpuset", "0-1", "--pids", "100", "--ns", "user=new", "--ns", "ipc=share:c0", "--uidmap",
				"0 100000 65536", "--gidmap", "0:100000:65536", "--net", "veth", "--bridge", "br1", "--address",
				"10.88.0.5/24"};
		engine.add(ContainerSpec.builder("c2").build());
		List<String> create = new ArrayList<>(List.of("create", "c1"));
		List<String> set = new ArrayList<>(List.of("set", "c2"));
		create.addAll(List.of(shared));
		set.addAll(List.of(shared));
		Cli.Result created = cli.run(create.toArray(String[]::new));
		assertEquals(0, created.code(), created::toString);
		Cli.Result changed = cli.run(set.toArray(String[]::new));
		assertEquals(0, changed.code(), changed::toString);
		ContainerSpec spec = definedOnly();
		assertEquals(new Limits(256 * Sizes.MIB, 512 * Sizes.MIB, 0.5, 200, "0-1", 100L), spec.limits());
		assertEquals(NetworkSpec.veth("br1", "10.88.0.5/24"), spec.network());
		assertEquals(spec.withName("c2"), engine.snapshot("c2").spec());
	}

	@Test
	void noneLiftsALimitAsInSet() {
		Cli.Result r = cli.run("create", "c1", "--memory", "none", "--cpus", "max", "--cpuset", "none", "--pids",
				"unlimited");
		assertEquals(0, r.code(), r::toString);
		assertEquals(Limits.NONE, definedOnly().limits());
	}

	/** Specs whose command lines are easy to get wrong (see also {@link #whatConfigPrintsCreatesTheSameSpec}). */
	static Stream<ContainerSpec> awkwardSpecs() {
		return Stream.of(
				ContainerSpec.builder("c1").build(),
				ContainerSpec.builder("raw").rootfs("/srv/raw 2").build(),
				ContainerSpec.builder("h").network(NetworkSpec.HOST).namespace(NamespaceType.UTS, NamespaceMode.HOST)
						.build(),
				ContainerSpec.builder("n").network(NetworkSpec.HOST).namespace(NamespaceType.NET, NamespaceMode.NEW)
						.build(),
				ContainerSpec.builder("v").network(NetworkSpec.veth(null, null)).build(),
				ContainerSpec.builder("caps").dropCapabilities(Set.of()).haltSignal("SIGPWR").build(),
				ContainerSpec.builder("boot").autostart(true).bootOrder(-5).bootDelaySeconds(30).build(),
				ContainerSpec.builder("odd").kind(ContainerKind.APPLICATION).share(NamespaceType.PID, "web")
						.limits(Limits.NONE.withMemoryBytes(1000L).withCpus(0.001))
						.init("/sbin/init", "--", "").build());
	}

	/** {@link CommandLines} writes, {@code berth create} reads: the one parser gives back the spec written. */
	@ParameterizedTest
	@MethodSource("awkwardSpecs")
	void createReadsBackWhatCommandLinesWrites(ContainerSpec spec) {
		List<String> command = CommandLines.createCommand(spec);
		assertEquals(List.of("berth", "create"), command.subList(0, 2));
		Supplier<LocalEngine> none = () -> {
			throw new AssertionError("parsing needs no engine");
		};
		CreateCommand create = new CreateCommand(new Context(System.out, System.err, none, false));
		new CommandLine(create).parseArgs(command.subList(2, command.size()).toArray(String[]::new));
		assertEquals(spec, create.containerSpec());
	}

	@Test
	void aSlowCreateSaysWhatTakesTheTime() {
		FakeLocalEngine slow = new FakeLocalEngine();
		slow.slowDefine = java.time.Duration.ofMillis(300);
		java.time.Duration before = CreateCommand.progressAfter;
		CreateCommand.progressAfter = java.time.Duration.ofMillis(10);
		try {
			Cli.Result r = new Cli(slow).run("create", "c9");
			assertEquals(0, r.code(), r::toString);
			assertEquals(java.util.List.of("c9: making its root file system from the \"busybox\" template; the first"
					+ " time a template downloads, this takes minutes…"), r.errLines());
			assertEquals(java.util.List.of("c9: created"), r.outLines());
		} finally {
			CreateCommand.progressAfter = before;
		}
	}
}
