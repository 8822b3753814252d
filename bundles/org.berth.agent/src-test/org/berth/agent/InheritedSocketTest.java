package org.berth.agent;

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
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.berth.client.AgentEngine;
import org.berth.core.ContainerSpec;
import org.junit.jupiter.api.Test;

/**
 * Socket activation as systemd does it with {@code berth.socket} and {@code berth.service}: a holder process (here a
 * few lines of Python in systemd's place) makes and keeps the listening socket and starts the agent with it as
 * standard input ({@code --inherit-socket}); when the agent ends, the socket's file stays, and the next agent started
 * on the same socket answers the client that connects meanwhile.
 */
class InheritedSocketTest {

	/** Binds and listens on argv[1], then runs argv[2:] twice in a row with the socket as stdin; prints their PIDs. */
	private static final String HOLDER = String.join("\n", "import os, socket, subprocess, sys",
			"s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)", "s.bind(sys.argv[1])", "s.listen(16)",
			"for _ in range(2):", "    p = subprocess.Popen(sys.argv[2:], stdin=s.fileno())",
			"    print(p.pid, flush=True)", "    p.wait()");

	@Test
	void anAgentServesTheSocketItIsGivenAndLeavesItForTheNext() throws Exception {
		assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
		assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs python3 (releng/setup-host installs it)");
		String id = "berth-inherit-" + HexFormat.of().toHexDigits(new Random().nextInt()).substring(2);
		Path dir = Files.createTempDirectory(id);
		Path socket = dir.resolve("berth.sock");
		List<String> command = new ArrayList<>(List.of("python3", "-c", HOLDER, socket.toString(),
				ProcessHandle.current().info().command().orElse("java"), "--add-exports",
				"java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
				"-Dberth.configRoot=" + dir.resolve("config"), "-Dberth.runRoot=" + Path.of("/run", id),
				"-Dberth.cgroupParent=" + id, "-cp",
				System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
				AgentMain.class.getName(), "--inherit-socket", "--socket", socket.toString(), "--audit",
				dir.resolve("audit.jsonl").toString()));
		Process holder = new ProcessBuilder(command).redirectError(dir.resolve("agents.log").toFile()).start();
		BufferedReader pids = new BufferedReader(new InputStreamReader(holder.getInputStream(),
				StandardCharsets.UTF_8));
		try {
			long first = Long.parseLong(pids.readLine().strip());
			try (AgentEngine client = AgentEngine.connectOnce(socket)) {
				client.define(ContainerSpec.builder("inh").template("busybox").build()).get(60, TimeUnit.SECONDS);
				assertTrue(client.get("inh").isPresent(), "the agent on the inherited socket answers");
			}
			ProcessHandle agent = ProcessHandle.of(first).orElseThrow();
			agent.destroy(); // SIGTERM: the agent ends as systemd stops it
			agent.onExit().get(60, TimeUnit.SECONDS);
			assertTrue(Files.exists(socket), "the socket's file stays for the next agent");

			long second = Long.parseLong(pids.readLine().strip());
			// connecting at once: the holder's socket queues the client until the new agent accepts
			try (AgentEngine client = AgentEngine.connectOnce(socket)) {
				assertEquals(List.of("inh"), client.list().stream().map(s -> s.name()).toList(),
						"the next agent on the same socket");
				client.destroy("inh").get(60, TimeUnit.SECONDS);
			}
			ProcessHandle next = ProcessHandle.of(second).orElseThrow();
			next.destroy();
			next.onExit().get(60, TimeUnit.SECONDS);
			assertTrue(holder.waitFor(60, TimeUnit.SECONDS), "the holder ends after its two agents");
		} finally {
			if (holder.isAlive()) {
				holder.descendants().forEach(ProcessHandle::destroy);
				holder.destroy();
				holder.waitFor(30, TimeUnit.SECONDS);
			}
			deleteTree(Path.of("/run", id));
			deleteTree(dir);
		}
		for (Path hierarchy : Files.list(Path.of("/sys/fs/cgroup")).toList()) {
			assertTrue(!Files.isDirectory(hierarchy.resolve(id)), "cgroup left: " + hierarchy.resolve(id));
		}
	}

	private static void deleteTree(Path root) throws IOException {
		if (!Files.exists(root)) {
			return;
		}
		try (Stream<Path> all = Files.walk(root)) {
			for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		}
	}
}
