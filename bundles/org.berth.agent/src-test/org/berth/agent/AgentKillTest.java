package org.berth.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.berth.client.AgentEngine;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.Metric;
import org.berth.core.Monitoring;
import org.berth.core.TerminalRequest;
import org.berth.core.TerminalSession;
import org.berth.core.Tier;
import org.berth.core.UsageHistory;
import org.junit.jupiter.api.Test;

/**
 * The agent as its own process, killed with SIGKILL while a client follows it with 20 running containers, a terminal
 * open, a {@code berth attach} process typing into a shell and a copy of the histories: the containers keep running, a new agent finds all 20 (same init processes), the
 * client reconnects by itself and its graphs still hold the minutes before the kill. The terminal, a stream through
 * the dead agent, ends (its shell gets a hang-up); berth attach ends with status 1 and a sentence that says so.
 */
class AgentKillTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);
	private static final int COUNT = 20;

	@Test
	void aKilledAgentLeavesTheContainersRunningAndItsClientReconnectsToTheNext() throws Exception {
		assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
		assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs Debian's busybox-static");
		String id = "berth-kill-" + HexFormat.of().toHexDigits(new Random().nextInt()).substring(2);
		Path configRoot = Files.createTempDirectory(id);
		Files.setPosixFilePermissions(configRoot, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path runRoot = Path.of("/run", id);
		Path socket = configRoot.resolve("agent/berth.sock");
		List<String> agentCommand = List.of(ProcessHandle.current().info().command().orElse("java"),
				"--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
				"-Dberth.configRoot=" + configRoot.resolve("config"), "-Dberth.runRoot=" + runRoot,
				"-Dberth.cgroupParent=" + id, "-cp",
				System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
				AgentMain.class.getName(), "--socket", socket.toString(), "--audit",
				configRoot.resolve("audit.jsonl").toString());
		Process agent = start(agentCommand, socket, configRoot.resolve("agent1.log"));
		Process next = null;
		Process attach = null;
		AgentEngine client = AgentEngine.connect(socket);
		try {
			Map<String, Long> inits = new TreeMap<>();
			for (int i = 0; i < COUNT; i++) {
				String name = String.format("k%02d", i);
				client.define(ContainerSpec.builder(name).template("busybox").build()).get(60, TimeUnit.SECONDS);
				inits.put(name, client.start(name).get(60, TimeUnit.SECONDS).initPid());
			}
			Monitoring copy = client.monitoring().orElseThrow();
			Tier finest = copy.tiers().get(0);
			waitFor(() -> copy.history("k00").map(h -> h.size(finest) >= 3).orElse(false), "three samples of k00");
			TerminalSession shell = client.openTerminal("k00", TerminalRequest.shell(80, 24)).get(60,
					TimeUnit.SECONDS);
			// a berth attach of its own process, typing into a shell in k01
			Path attachOut = configRoot.resolve("attach.out");
			Path attachErr = configRoot.resolve("attach.err");
			ProcessBuilder attachCommand = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
					"--enable-native-access=ALL-UNNAMED", "-cp",
					System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
					"org.berth.cli.Main", "attach", "k01", "--", "/bin/sh").redirectOutput(attachOut.toFile())
					.redirectError(attachErr.toFile());
			attachCommand.environment().put("BERTH_AGENT", "1");
			attachCommand.environment().put("BERTH_SOCKET", socket.toString());
			attach = attachCommand.start();
			attach.getOutputStream().write("echo attached-$((40+2))\n".getBytes(StandardCharsets.UTF_8));
			attach.getOutputStream().flush();
			waitFor(() -> read(attachOut).contains("attached-42"), "berth attach runs a shell in k01");
			long killedAt = System.currentTimeMillis();

			agent.destroyForcibly(); // SIGKILL: no clean-up of any kind
			assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
			waitFor(() -> !client.isConnected(), "the client notices the agent is gone");
			shell.onExit().get(30, TimeUnit.SECONDS);
			assertTrue(attach.waitFor(30, TimeUnit.SECONDS), "berth attach ends with its agent");
			assertEquals(1, attach.exitValue(), read(attachErr));
			assertTrue(read(attachErr).contains("the connection to the agent ended before the shell did"),
					read(attachErr));
			inits.forEach((name, pid) -> assertTrue(Files.exists(Path.of("/proc", Long.toString(pid))),
					name + "'s init outlives the agent"));

			next = start(agentCommand, socket, configRoot.resolve("agent2.log"));
			waitFor(client::isConnected, "the client reconnects to the new agent");
			for (Map.Entry<String, Long> e : inits.entrySet()) {
				ContainerSnapshot s = client.get(e.getKey()).orElseThrow();
				assertTrue(s.isRunning(), e.getKey() + " running: " + s.state());
				assertEquals(e.getValue(), s.initPid(), e.getKey() + ": the same init, found again");
			}
			UsageHistory h = copy.history("k00").orElseThrow();
			long[] times = new long[finest.capacity()];
			int n = h.read(finest, Long.MIN_VALUE, times, new Metric[0], new double[0][]);
			assertTrue(n > 0 && times[0] < killedAt, "the graphs still hold the time before the kill");
			long sweeps = copy.sweeps();
			waitFor(() -> copy.sweeps() > sweeps + 1 && copy.latest("k00").isPresent(),
					"the copy follows the new agent's samples");
		} finally {
			try {
				for (ContainerSnapshot s : client.list()) {
					if (s.isActive()) {
						client.kill(s.name()).get(60, TimeUnit.SECONDS);
					}
					client.destroy(s.name()).get(60, TimeUnit.SECONDS);
				}
			} finally {
				client.close();
				for (Process p : new Process[]{attach, agent, next}) {
					if (p != null && p.isAlive()) {
						p.destroy();
						if (!p.waitFor(30, TimeUnit.SECONDS)) {
							p.destroyForcibly();
						}
					}
				}
				deleteTree(runRoot);
				deleteTree(configRoot);
			}
		}
		for (Path hierarchy : Files.list(Path.of("/sys/fs/cgroup")).toList()) {
			assertTrue(!Files.isDirectory(hierarchy.resolve(id)), "cgroup left: " + hierarchy.resolve(id));
		}
	}

	private static String read(Path file) {
		try {
			return Files.exists(file) ? Files.readString(file) : "";
		} catch (IOException e) {
			return "";
		}
	}

	/** Starts the agent process and waits for its socket. */
	private static Process start(List<String> command, Path socket, Path log) throws Exception {
		Files.createDirectories(socket.getParent());
		Files.deleteIfExists(log);
		Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		long end = System.nanoTime() + TIMEOUT.toNanos();
		while (!(Files.exists(socket) && Files.readString(log).contains("listening on"))) {
			if (!p.isAlive() || System.nanoTime() > end) {
				p.destroyForcibly();
				throw new AssertionError("the agent did not start: " + Files.readString(log));
			}
			Thread.sleep(20); // polling for the condition
		}
		return p;
	}

	private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
		long end = System.nanoTime() + TIMEOUT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > end) {
				throw new AssertionError("timed out waiting for: " + what);
			}
			Thread.sleep(20); // polling for the condition
		}
	}

	private static void deleteTree(Path root) throws IOException {
		if (!Files.exists(root)) {
			return;
		}
		try (Stream<Path> s = Files.walk(root)) {
			List<Path> all = new ArrayList<>(s.sorted(Comparator.reverseOrder()).toList());
			for (Path p : all) {
				Files.deleteIfExists(p);
			}
		}
	}
}
