package org.berth.cli;

import static org.berth.cli.RootTests.deleteTree;
import static org.berth.cli.RootTests.classPath;
import static org.berth.cli.RootTests.isRoot;
import static org.berth.cli.RootTests.quote;

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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.berth.core.ContainerSpec;
import org.berth.core.linux.EngineConfig;
import org.berth.core.linux.LinuxEngines;
import org.berth.core.linux.LocalEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code berth attach} in a real terminal: tmux runs it in a 132x43 window on a busybox container (root only;
 * skipped without tmux). The shell inside sees the window's size, a resize of the window reaches a foreground job,
 * and berth exits with the shell's status. Cleans up the tmux server, the container, its cgroups and directories.
 */
class AttachTmuxTest {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final String id = "berth-test-" + Long.toString(System.nanoTime() ^ ProcessHandle.current().pid() << 20,
			36).replace("-", "");
	private Path configRoot;
	private final Path runRoot = Path.of("/run", id);
	private LocalEngine engine;
	private EngineConfig config;

	@BeforeEach
	void setUp() throws Exception {
		assumeTrue(isRoot(), "attach starts a real container and needs root");
		assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs Debian's busybox-static");
		assumeTrue(run("tmux", "-V").startsWith("tmux"), "needs tmux");
		configRoot = Files.createTempDirectory(id,
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
		// as /var/lib/berth is: a container with a user namespace of its own (host uid 1048576+) must reach it
		config = EngineConfig.defaults().withRoots(configRoot, runRoot).withCgroupParent(id)
				.withNetwork("br-" + id.substring(id.length() - 6), id, "10.213.9.0/24");
		engine = LinuxEngines.open(config);
		engine.define(ContainerSpec.builder("c1").template("busybox").build()).get(30, TimeUnit.SECONDS);
		engine.start("c1").get(30, TimeUnit.SECONDS);
	}

	@AfterEach
	void tearDown() throws Exception {
		if (configRoot == null) {
			return;
		}
		try {
			tmux("kill-server");
		} catch (IOException e) {
			// no server left
		}
		try {
			if (engine != null) {
				if (engine.get("c1").map(s -> s.isActive()).orElse(false)) {
					engine.kill("c1").get(30, TimeUnit.SECONDS);
				}
				engine.destroy("c1").get(30, TimeUnit.SECONDS);
				engine.close();
			}
			List<Path> left = new ArrayList<>();
			try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
				hierarchies.map(h -> h.resolve(id)).filter(Files::isDirectory).forEach(left::add);
			}
			assertEquals(List.of(), left, "cgroups left behind");
		} finally {
			deleteTree(runRoot);
			deleteTree(configRoot);
		}
	}

	@Test
	void attachInA132x43WindowSeesThatSizeFollowsResizesAndExitsWithTheShellsStatus() throws Exception {
		String javaBin = ProcessHandle.current().info().command().orElse("java");
		List<String> berth = new ArrayList<>(List.of(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp", classPath(),
				"-Dberth.configRoot=" + configRoot, "-Dberth.runRoot=" + runRoot, "-Dberth.cgroupParent=" + id,
				"-Dberth.bridge=" + config.bridge(), "-Dberth.bridgeNetns=" + id, "-Dberth.subnet=" + config.subnet(),
				Main.class.getName(), "attach", "c1"));
		// berth's exit status through a file: a tmux server started from a JVM may never reap its panes (it
		// inherits a signal mask with SIGCHLD blocked), so #{pane_dead_status} is not reliable here
		Path status = configRoot.resolve("status");
		String script = berth.stream().map(RootTests::quote).collect(java.util.stream.Collectors.joining(" "))
				+ "; echo $? > " + quote(status + ".tmp") + " && mv " + quote(status + ".tmp") + " " + quote(
						status.toString());
		List<String> cmd = List.of("tmux", "-L", id, "-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", "132",
				"-y", "43", "sh", "-c", script);
		run(cmd.toArray(String[]::new));

		awaitPane("c1:~# ");
		tmux("send-keys", "-t", "t", "echo \"S=$(stty size) T=$(tty)\"", "Enter");
		Matcher m = awaitPane("S=(\\d+ \\d+) T=(/dev/pts/\\d+)");
		assertEquals("43 132", m.group(1));

		// ash swallows SIGWINCH at its prompt: a foreground job reports the new size
		tmux("send-keys", "-t", "t", "sh -c 'trap \"echo W=\\$(stty size)\" WINCH; echo TRAP\"\"SET; while :; do sleep"
				+ " 0.1; done'", "Enter");
		awaitPane("TRAPSET");
		tmux("resize-window", "-t", "t", "-x", "100", "-y", "30");
		awaitPane("W=30 100");
		tmux("send-keys", "-t", "t", "C-c");
		tmux("send-keys", "-t", "t", "exit 3", "Enter");
		awaitFile(status);
		assertEquals("3", Files.readString(status).trim(), "berth exits with the shell's status");
	}

	@Test
	void execInATerminalNeverHandsTheTerminalToTheContainer() throws Exception {
		String javaBin = ProcessHandle.current().info().command().orElse("java");
		List<String> berth = new ArrayList<>(List.of(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp", classPath(),
				"-Dberth.configRoot=" + configRoot, "-Dberth.runRoot=" + runRoot, "-Dberth.cgroupParent=" + id,
				"-Dberth.bridge=" + config.bridge(), "-Dberth.bridgeNetns=" + id, "-Dberth.subnet=" + config.subnet(),
				Main.class.getName(), "exec", "c1", "--", "sh", "-c",
				"echo IN=$(readlink /proc/self/fd/0) OUT=$(readlink /proc/self/fd/1);"
						+ " (echo x > /dev/tty) 2>/dev/null && echo TTY=open || echo TTY=none; read line; echo GOT=$line"));
		Path status = configRoot.resolve("status");
		String script = berth.stream().map(RootTests::quote).collect(java.util.stream.Collectors.joining(" "))
				+ "; echo $? > " + quote(status + ".tmp") + " && mv " + quote(status + ".tmp") + " " + quote(
						status.toString())
				+ "; sleep 600";
		run("tmux", "-L", id, "-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", "132", "-y", "43", "sh", "-c",
				script);
		Matcher m = awaitPane("IN=(\\S+) OUT=(\\S+)");
		assertTrue(m.group(1).startsWith("pipe:") && m.group(2).startsWith("pipe:"),
				"the command's stdin and stdout are pipes, not the invoking terminal: " + m.group());
		awaitPane("TTY=none");
		tmux("send-keys", "-t", "t", "typed-here", "Enter");
		awaitPane("GOT=typed-here");
		awaitFile(status);
		assertEquals("0", Files.readString(status).trim());
	}

	private Matcher awaitPane(String regex) throws Exception {
		Pattern p = Pattern.compile(regex);
		long deadline = System.nanoTime() + WAIT.toNanos();
		long pause = 5;
		String screen = "";
		while (System.nanoTime() < deadline) {
			screen = tmux("capture-pane", "-p", "-J", "-t", "t");
			Matcher m = p.matcher(screen);
			if (m.find()) {
				return m;
			}
			Thread.sleep(pause);
			pause = Math.min(pause * 2, 100);
		}
		throw new AssertionError("timed out waiting for /" + regex + "/ in the tmux pane:\n" + screen);
	}

	private static void awaitFile(Path file) throws Exception {
		long deadline = System.nanoTime() + WAIT.toNanos();
		long pause = 5;
		while (!Files.exists(file)) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("timed out waiting for " + file);
			}
			Thread.sleep(pause);
			pause = Math.min(pause * 2, 100);
		}
	}

	private String tmux(String... args) throws IOException {
		List<String> cmd = new ArrayList<>(List.of("tmux", "-L", id));
		cmd.addAll(List.of(args));
		return run(cmd.toArray(String[]::new));
	}

	private static String run(String... cmd) throws IOException {
		Process p;
		try {
			p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		} catch (IOException e) {
			return "";
		}
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		try {
			if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
				throw new IOException(String.join(" ", cmd) + " failed: " + out);
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", e);
		}
		return out;
	}

}
