package org.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.berth.core.ContainerSpec;
import org.berth.core.Limits;
import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;
import org.berth.core.NetworkSpec;
import org.berth.core.Sizes;
import org.junit.jupiter.api.Test;

class SetCommandTest {

	private static final Limits BEFORE = new Limits(256 * Sizes.MIB, 512 * Sizes.MIB, 0.5, 300, "0-1", 100L);

	private final FakeLocalEngine engine = new FakeLocalEngine()
			.addRunning(ContainerSpec.builder("c1").limits(BEFORE).build())
			.add(ContainerSpec.builder("c2").limits(BEFORE).build());
	private final Cli cli = new Cli(engine);

	@Test
	void onlyTheGivenLimitsChange() {
		Cli.Result r = cli.run("set", "c1", "--memory", "384M", "--pids", "200");
		assertEquals(0, r.code(), r::toString);
		assertEquals(new Limits(384 * Sizes.MIB, 512 * Sizes.MIB, 0.5, 300, "0-1", 200L),
				engine.snapshot("c1").spec().limits());
		assertEquals(List.of("setLimits c1"), engine.calls.stream().filter(c -> c.startsWith("set")).toList());
		assertEquals(List.of("c1: memory 384 MiB, memory+swap 512 MiB, cpus 0.5, cpu weight 300, cpuset 0-1,"
				+ " pids 200"), r.outLines());
	}

	@Test
	void noneLiftsALimit() {
		Cli.Result r = cli.run("set", "c1", "--cpus", "none", "--cpuset", "max", "--cpu-weight", "unlimited");
		assertEquals(0, r.code(), r::toString);
		assertEquals(new Limits(256 * Sizes.MIB, 512 * Sizes.MIB, null, null, null, 100L),
				engine.snapshot("c1").spec().limits());
	}

	@Test
	void liftingMemoryButNotSwapIsRefusedWithTheValidatorsSentence() {
		Cli.Result r = cli.run("set", "c1", "--memory", "none");
		assertEquals(1, r.code(), r::toString);
		ErrorsTest.assertOneErrorLine(r, "needs a memory limit as well");
		assertEquals(BEFORE, engine.snapshot("c1").spec().limits());
		assertEquals(0, cli.run("set", "c1", "--memory", "none", "--memory-swap", "none").code());
		assertEquals(BEFORE.withMemoryBytes(null).withMemorySwapBytes(null), engine.snapshot("c1").spec().limits());
	}

	@Test
	void aStoppedContainerGetsThemInItsSpec() {
		Cli.Result r = cli.run("set", "c2", "--cpus", "1.5");
		assertEquals(0, r.code(), r::toString);
		assertEquals(BEFORE.withCpus(1.5), engine.snapshot("c2").spec().limits());
		assertTrue(engine.calls.contains("update c2"), engine.calls::toString);
		assertTrue(r.out().strip().endsWith("(from its next start)"), r::toString);
	}

	@Test
	void nothingToChangeIsAUsageError() {
		Cli.Result r = cli.run("set", "c1");
		assertEquals(2, r.code());
		ErrorsTest.assertOneErrorLine(r, "say what to change");
	}

	@Test
	void badValuesAreUsageErrors() {
		Cli.Result memory = cli.run("set", "c1", "--memory", "abc");
		assertEquals(2, memory.code());
		ErrorsTest.assertOneErrorLine(memory, "--memory: \"abc\" is not a size");
		Cli.Result cpus = cli.run("set", "c1", "--cpus", "-1");
		assertEquals(2, cpus.code());
		ErrorsTest.assertOneErrorLine(cpus, "--cpus: \"-1\" is not a number of CPUs");
		assertEquals(BEFORE, engine.snapshot("c1").spec().limits());
	}

	@Test
	void namespacesAndTheNetworkAreSavedForTheNextStart() {
		Cli.Result r = cli.run("set", "c1", "--ns", "uts=host", "--network", "veth", "--address", "10.88.0.7/24");
		assertEquals(0, r.code(), r::toString);
		assertEquals(List.of("c1: uts=host, network veth 10.88.0.7/24 (from its next start)"), r.outLines());
		ContainerSpec now = engine.snapshot("c1").spec();
		assertEquals(NamespaceSpec.host(NamespaceType.UTS), now.namespace(NamespaceType.UTS));
		assertEquals(NetworkSpec.veth(null, "10.88.0.7/24"), now.network());
		assertEquals(BEFORE, now.limits());
		assertEquals(List.of("update c1"), engine.calls.stream().filter(c -> c.startsWith("update")
				|| c.startsWith("setLimits")).toList());
	}

	@Test
	void limitsLiveAndNamespacesLaterInOneCommand() {
		Cli.Result r = cli.run("set", "c1", "--pids", "50", "--ns", "ipc=host");
		assertEquals(0, r.code(), r::toString);
		assertEquals(2, r.outLines().size(), r::toString);
		assertTrue(r.outLines().get(0).endsWith("pids 50"), r::toString);
		assertEquals("c1: ipc=host (from its next start)", r.outLines().get(1));
		assertEquals(List.of("setLimits c1", "update c1"), engine.calls.stream().filter(c -> c.startsWith("update")
				|| c.startsWith("setLimits")).toList());
		assertEquals(50L, engine.snapshot("c1").spec().limits().pids());
		assertEquals(NamespaceSpec.host(NamespaceType.IPC), engine.snapshot("c1").spec().namespace(NamespaceType.IPC));
	}

	@Test
	void aChoiceTheValidatorRefusesChangesNothing() {
		ContainerSpec before = engine.snapshot("c2").spec();
		Cli.Result r = cli.run("set", "c2", "--ns", "net=host", "--network", "veth", "--pids", "10");
		assertEquals(1, r.code(), r::toString);
		ErrorsTest.assertOneErrorLine(r, "network veth needs a net namespace of its own");
		assertEquals(before, engine.snapshot("c2").spec());

		Cli.Result twice = cli.run("set", "c2", "--ns", "net=host", "--ns", "net=new");
		assertEquals(2, twice.code());
		ErrorsTest.assertOneErrorLine(twice, "--ns net is given twice (net=host and net=new); give it once");
		Cli.Result bridge = cli.run("set", "c2", "--network", "host", "--bridge", "br0");
		assertEquals(2, bridge.code());
		ErrorsTest.assertOneErrorLine(bridge, "--bridge and --address need --network veth, not --network host");
		assertEquals(before, engine.snapshot("c2").spec());
	}
}
