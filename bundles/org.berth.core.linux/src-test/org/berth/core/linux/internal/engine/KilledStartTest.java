package org.berth.core.linux.internal.engine;

import static org.berth.core.linux.internal.engine.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.NetworkSpec;
import org.berth.core.linux.EngineConfig;
import org.berth.core.linux.internal.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Starts killed at random points: another process (a JVM, as {@code berth start} is) opens the engine and starts a
 * container with a veth; SIGKILL lands somewhere between opening and long after the start. Once the next engine has
 * opened (what {@code berth list} does), the container is either running whole or stopped with nothing left: no
 * cgroup, no veth, no mount, no helper.
 */
class KilledStartTest {

	private static final int ROUNDS = 50;

	private TestEngine t;

	@BeforeEach
	void setUp() throws Exception {
		assumeTrue(Host.isRoot(), "integration tests start real containers and need root");
		t = new TestEngine();
	}

	@AfterEach
	void tearDown() throws Exception {
		if (t != null) {
			// a failed round may leave the container running behind the test engine's back: stop it afresh
			try (LinuxEngine fresh = t.reopen()) {
				if (fresh.get("k").map(ContainerSnapshot::isActive).orElse(false)) {
					await(fresh.kill("k"));
				}
			}
			t.close();
		}
	}

	/** The other process: opens an engine on the test's roots, says so, starts the container. */
	public static final class Starter {
		public static void main(String[] a) throws Exception {
			EngineConfig config = EngineConfig.defaults().withRoots(Path.of(a[0]), Path.of(a[1]))
					.withCgroupParent(a[2]).withNetwork(a[3], a[4], a[5]);
			LinuxEngine engine = new LinuxEngine(config);
			System.out.println("opened");
			System.out.flush();
			engine.start(a[6]).get(30, TimeUnit.SECONDS);
			System.out.println("started");
			System.out.flush();
			System.in.read(); // until killed
		}
	}

	@Test
	void startsKilledAtRandomPointsLeaveARunningContainerOrNothing() throws Exception {
		t.define(ContainerSpec.builder("k").template("busybox").network(NetworkSpec.veth(null, null)).build());
		long seed = System.nanoTime();
		Random random = new Random(seed);
		int running = 0;
		int swept = 0;
		long startNanos = 0;
		for (int round = 0; round < ROUNDS; round++) {
			Process starter = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
					Starter.class.getName(), t.configRoot.toString(),
					t.runRoot.toString(), t.config.cgroupParent(), t.config.bridge(), t.config.bridgeNetns(),
					t.config.subnet(), "k").redirectError(ProcessBuilder.Redirect.INHERIT).start();
			BufferedReader out = new BufferedReader(new InputStreamReader(starter.getInputStream(),
					StandardCharsets.UTF_8));
			String first = out.readLine();
			assertEquals("opened", first, "round " + round + " (seed " + seed + ")");
			long opened = System.nanoTime();
			if (round == 0) {
				// the first start runs to its end: how long a start takes in another process, for the kill points
				assertEquals("started", out.readLine());
				startNanos = System.nanoTime() - opened;
			} else {
				// the kill point: anywhere from right after the engine opened to a little past the end of a start
				LockSupport.parkNanos((long) (random.nextDouble() * 1.2 * startNanos));
			}
			starter.destroyForcibly();
			assertTrue(starter.waitFor(30, TimeUnit.SECONDS));
			LinuxEngine next = t.reopen();
			try {
				ContainerSnapshot k = next.get("k").orElseThrow();
				assertTrue(k.state() == ContainerState.RUNNING || k.state() == ContainerState.STOPPED,
						"round " + round + ": " + k.state() + " (seed " + seed + ")");
				if (k.state() == ContainerState.RUNNING) {
					running++;
					assertEquals("ok\n", await(next.exec("k", org.berth.core.ExecRequest.of("echo", "ok")))
							.stdoutText(), "a running container is whole");
					await(next.kill("k"));
				} else {
					swept++;
				}
				assertNothingLeft("round " + round + " (seed " + seed + ")");
			} finally {
				next.close();
			}
		}
		System.out.println("killed starts: " + running + " had got the container running, " + swept
				+ " were swept (a start took " + startNanos / 1_000_000 + " ms; seed " + seed + ")");
		assertTrue(running > 0 && swept > 0, "the kill points fell on both sides of a start's end");
	}

	private void assertNothingLeft(String when) throws IOException {
		List<Path> cgroups = new ArrayList<>();
		for (Path parent : t.cgroupsLeft()) {
			try (var children = Files.list(parent)) {
				children.filter(Files::isDirectory).forEach(cgroups::add);
			}
		}
		assertEquals(List.of(), cgroups, when + ": cgroups");
		String links = TestEngine.run("ip", "-n", t.config.bridgeNetns(), "-o", "link", "show");
		assertTrue(links.lines().noneMatch(l -> l.contains(": bv")), when + ": veths left: " + links);
		assertEquals(0, Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
				.filter(l -> l.contains(t.configRoot.toString() + "/k")).count(), when + ": mounts");
		List<String> helpers = new ArrayList<>();
		try (var procs = Files.list(Path.of("/proc"))) {
			for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
					.toList()) {
				try {
					String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
					if (cmdline.contains("berth-helper") && cmdline.contains(t.runRoot.toString())) {
						helpers.add(p.getFileName() + " " + cmdline.replace('\0', ' '));
					}
				} catch (IOException gone) {
					// ended meanwhile
				}
			}
		}
		assertEquals(List.of(), helpers, when + ": helpers");
	}
}
