package org.berth.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * {@code AgentMain} as its own process, as bin/berth-agent runs it: it makes the socket's folder, gives the socket
 * mode 0660, answers curl, and ends cleanly on SIGTERM (exit status 143, the socket removed, nothing on stderr but its
 * one line).
 */
class AgentMainTest {

	@Test
	void startsAnswersAndEndsOnSigterm() throws Exception {
		assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
		String id = "berth-test-" + HexFormat.of().toHexDigits(new Random().nextInt()).substring(2);
		Path dir = Files.createTempDirectory(id);
		Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path socket = dir.resolve("run/berth.sock");
		Path runRoot = Path.of("/run", id);
		run("ip", "netns", "add", id);
		Process agent = null;
		try {
			String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
			agent = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
					"--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
					"-Dberth.configRoot=" + dir.resolve("config"), "-Dberth.runRoot=" + runRoot,
					"-Dberth.cgroupParent=" + id, "-Dberth.bridgeNetns=" + id,
					"-Dberth.bridge=br-" + id.substring(id.length() - 6), "-Dberth.subnet=10.213.11.0/24",
					AgentMain.class.getName(), "--socket", socket.toString(), "--audit",
					dir.resolve("audit.jsonl").toString())
					.redirectOutput(ProcessBuilder.Redirect.DISCARD)
					.redirectError(dir.resolve("stderr").toFile())
					.start();
			long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			while (!Files.exists(socket) || !curl(socket).contains("\"user\":\"root\"")) {
				assertTrue(agent.isAlive(), "the agent ended: " + Files.readString(dir.resolve("stderr")));
				assertTrue(System.nanoTime() < end, "the agent does not answer");
				Thread.sleep(100);
			}
			assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
			agent.destroy(); // SIGTERM
			assertTrue(agent.waitFor(30, TimeUnit.SECONDS), "ends on SIGTERM");
			assertEquals(143, agent.exitValue());
			assertFalse(Files.exists(socket), "the socket is removed");
			List<String> stderr = Files.readAllLines(dir.resolve("stderr"));
			assertEquals(1, stderr.size(), String.join("\n", stderr));
			assertTrue(stderr.get(0).startsWith("berth-agent: listening on " + socket), stderr.get(0));
		} finally {
			if (agent != null && agent.isAlive()) {
				agent.destroyForcibly().waitFor();
			}
			run("ip", "netns", "del", id);
			deleteTree(runRoot);
			deleteTree(dir);
			for (Path h : Files.list(Path.of("/sys/fs/cgroup")).toList()) {
				if (Files.isDirectory(h.resolve(id))) {
					Files.delete(h.resolve(id));
				}
			}
		}
	}

	private static String curl(Path socket) throws IOException, InterruptedException {
		Process p = new ProcessBuilder("curl", "-s", "--unix-socket", socket.toString(), "http://berth/1.0")
				.redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		p.waitFor();
		return out;
	}

	private static void run(String... command) throws IOException, InterruptedException {
		assertEquals(0, new ProcessBuilder(command).inheritIO().start().waitFor(), String.join(" ", command));
	}

	private static void deleteTree(Path root) throws IOException {
		if (!Files.exists(root)) {
			return;
		}
		try (Stream<Path> s = Files.walk(root)) {
			for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		}
	}
}
