package org.berth.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.linux.EngineConfig;
import org.berth.core.linux.LinuxEngines;
import org.berth.core.linux.LocalEngine;
import org.berth.core.testing.LoopbackSshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/**
 * Another Berth host as the command line reaches it: an agent of this test's own (in this process, on a temp socket,
 * with a real engine) behind a real sshd on 127.0.0.1, and {@code berth} processes (as root) that name it with
 * {@code berth remote add} and use it with {@code --remote NAME} and {@code NAME:container}. Their ssh is the test's
 * ({@code BERTH_SSH}), their remotes file the test's ({@code XDG_CONFIG_HOME}). Everything made is removed.
 */
class RemoteTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	static String id;
	static Path dir;
	static Path runRoot;
	static Path socket;
	static LocalEngine engine;
	static Agent agent;
	static LoopbackSshd sshd;

	record Cli(int status, String out, String err) {
	}

	@BeforeAll
	static void start() throws Exception {
		assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
		assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs Debian's busybox-static");
		assumeTrue(LoopbackSshd.available(), "needs OpenSSH's server and client");
		id = "berth-rt-" + HexFormat.of().toHexDigits(new Random().nextInt()).substring(2);
		dir = Files.createTempDirectory(id);
		Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
		runRoot = Path.of("/run", id);
		socket = dir.resolve("agent/berth.sock");
		run("ip", "netns", "add", id);
		EngineConfig config = EngineConfig.defaults().withRoots(dir.resolve("config"), runRoot).withCgroupParent(id)
				.withNetwork("br-" + id.substring(id.length() - 6), id, "10.213.10.0/24");
		engine = LinuxEngines.open(config);
		agent = Agent.start(Agent.Config.defaults().withSocket(socket).withAuditLog(dir.resolve("audit.jsonl")),
				engine);
		sshd = new LoopbackSshd(dir.resolve("sshd"));
	}

	@AfterAll
	static void stop() throws Exception {
		try {
			if (engine != null) {
				for (ContainerSnapshot s : engine.list()) {
					if (s.isActive()) {
						engine.kill(s.name()).get(60, TimeUnit.SECONDS);
					}
					engine.destroy(s.name()).get(60, TimeUnit.SECONDS);
				}
			}
			if (agent != null) {
				agent.close();
			}
			if (engine != null) {
				engine.close();
			}
			if (sshd != null) {
				sshd.close();
			}
		} finally {
			if (id != null) {
				if (Files.exists(Path.of("/run/netns", id))) {
					run("ip", "netns", "del", id);
				}
				deleteTree(runRoot);
				deleteTree(dir);
				for (Path h : Files.list(Path.of("/sys/fs/cgroup")).toList()) {
					assertFalse(Files.isDirectory(h.resolve(id)), "cgroup left: " + h.resolve(id));
				}
			}
		}
	}

	@Test
	void aBerthHostOverSshIsNamedOnceAndThenUsedLikeThisOne() throws Exception {
		String url = sshd.url() + socket;
		Cli added = berth("remote", "add", "h2", url);
		assertEquals(0, added.status(), added.err());
		assertEquals("added h2 (" + url + "); its agent answers, as root, with 0 containers\n", added.out());
		Cli again = berth("remote", "add", "h2", "ssh://elsewhere");
		assertEquals(1, again.status());
		assertEquals("berth: there is a remote \"h2\" already (" + url + "); remove it first or choose another name\n",
				again.err(), "said before any connection is tried");
		Cli listed = berth("remote", "list");
		assertTrue(listed.out().matches("(?s)NAME +URL\nh2 +" + java.util.regex.Pattern.quote(url) + "\n"),
				listed.out());

		engine.define(ContainerSpec.builder("r1").template("busybox").build()).get(60, TimeUnit.SECONDS);
		engine.start("r1").get(60, TimeUnit.SECONDS);

		Cli json = berth("--remote", "h2", "list", "--json");
		assertEquals(0, json.status(), json.err());
		JsonArray entries = JsonParser.parseString(json.out()).getAsJsonArray();
		assertEquals(1, entries.size(), json.out());
		JsonElement r1 = entries.get(0);
		assertEquals("r1", r1.getAsJsonObject().get("name").getAsString());
		assertEquals("running", r1.getAsJsonObject().get("state").getAsString());
		Cli after = berth("list", "--remote", "h2");
		assertTrue(after.out().matches("(?s)NAME .*\nr1 +running .*"), "--remote after the command: " + after.out());

		Cli hostname = berth("exec", "h2:r1", "--", "hostname");
		assertEquals(0, hostname.status(), hostname.err());
		assertEquals("r1\n", hostname.out(), "the container of the other host");
		assertEquals(7, berth("exec", "h2:r1", "--", "sh", "-c", "exit 7").status(), "its exit status");
		Cli pushed = berthWithInput("over ssh\n", "exec", "h2:r1", "--", "sh", "-c", "cat > /tmp/x; cat /tmp/x");
		assertEquals("over ssh\n", pushed.out(), "stdin through the tunnel");

		Cli stopped = berth("stop", "h2:r1");
		assertEquals(0, stopped.status(), stopped.err());
		assertFalse(engine.get("r1").orElseThrow().isActive(), "stopped there");
		assertTrue(Files.readString(dir.resolve("audit.jsonl")).contains("\"action\":\"stop\",\"container\":\"r1\""),
				"audited by the agent there");

		// one host per command; a remote that is not there
		assertEquals(0, berth("remote", "add", "--no-check", "h3", "ssh://127.0.0.1:1").status());
		Cli both = berth("--remote", "h2", "start", "h3:r1");
		assertEquals(2, both.status(), both.err());
		assertEquals("berth: one command talks to one host: h2 or h3?\n", both.err());
		Cli unknown = berth("--remote", "nope", "list");
		assertEquals(1, unknown.status());
		assertEquals("berth: there is no remote \"nope\" (there are h2, h3)\n", unknown.err());
		assertEquals(0, berth("remote", "remove", "h3").status());
		assertNoTunnelLeft();
	}

	@Test
	void aHostThatDoesNotAnswerIsASentenceAndNotSaved() throws Exception {
		int closed;
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closed = probe.getLocalPort();
		}
		Cli refused = berth("remote", "add", "down", "ssh://root@127.0.0.1:" + closed);
		assertEquals(1, refused.status());
		assertTrue(refused.err().startsWith("berth: cannot reach ssh://root@127.0.0.1:" + closed + ": ssh: connect to"
				+ " host 127.0.0.1 port " + closed + ": Connection refused"), refused.err());

		Cli noAgent = berth("remote", "add", "empty", sshd.url() + dir.resolve("none.sock"));
		assertEquals(1, noAgent.status());
		assertTrue(noAgent.err().startsWith("berth: no Berth agent answers on " + sshd.url() + " at "
				+ dir.resolve("none.sock")), noAgent.err());
		assertTrue(noAgent.err().contains("start one there as root"), noAgent.err());

		Cli bad = berth("remote", "add", "Bad", "ssh://h");
		assertEquals(2, bad.status());
		assertTrue(bad.err().contains("\"Bad\" is not a remote's name"), bad.err());
		String list = berth("remote", "list").out();
		assertFalse(list.contains("down") || list.contains("empty") || list.contains("Bad"), list);
		assertNoTunnelLeft();
	}

	/** No ssh of a berth run is left (each forwards from a socket in a berth-remote- folder). */
	private static void assertNoTunnelLeft() {
		List<String> left = ProcessHandle.allProcesses().map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
				.filter(line -> line.contains(" -L /") && line.contains("/berth-remote-")).toList();
		assertEquals(List.of(), left, "ssh processes of berth left running");
	}

	private static Cli berth(String... args) throws Exception {
		return berthWithInput(null, args);
	}

	/** {@code berth ARGS} as root in its own process, with this test's ssh and remotes file. */
	private static Cli berthWithInput(String stdin, String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
				"--enable-native-access=ALL-UNNAMED", "-cp",
				System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
				"org.berth.cli.Main"));
		command.addAll(List.of(args));
		ProcessBuilder pb = new ProcessBuilder(command);
		pb.environment().put("XDG_CONFIG_HOME", dir.resolve("home-config").toString());
		pb.environment().put("BERTH_SSH", String.join(" ", sshd.sshCommand()));
		pb.environment().put("BERTH_AGENT", "0"); // a command without --remote stays off the machine's own agent
		Path err = Files.createTempFile(dir, "err", ".txt");
		pb.redirectError(err.toFile());
		pb.redirectInput(stdin != null ? ProcessBuilder.Redirect.PIPE
				: ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
		Process p = pb.start();
		if (stdin != null) {
			p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
			p.getOutputStream().close();
		}
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			p.destroyForcibly();
			throw new AssertionError("berth " + String.join(" ", args) + " did not end");
		}
		Cli cli = new Cli(p.exitValue(), out, Files.readString(err));
		Files.delete(err);
		return cli;
	}

	private static void run(String... command) throws IOException, InterruptedException {
		Process p = new ProcessBuilder(command).inheritIO().start();
		assertEquals(0, p.waitFor(), String.join(" ", command));
	}

	private static void deleteTree(Path root) throws IOException {
		if (root == null || !Files.exists(root)) {
			return;
		}
		try (Stream<Path> s = Files.walk(root)) {
			for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		}
	}
}
