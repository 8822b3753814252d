package org.berth.cli;

import static org.berth.cli.RootTests.deleteTree;
import static org.berth.cli.RootTests.classPath;
import static org.berth.cli.RootTests.isRoot;
import static org.berth.cli.RootTests.quote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.MigrationProgress;
import org.berth.core.MigrationRequest;
import org.berth.core.MigrationResult;
import org.berth.core.NetworkSpec;
import org.berth.core.linux.EngineConfig;
import org.berth.core.linux.LinuxEngines;
import org.berth.core.linux.LocalEngine;
import org.berth.core.testing.LoopbackSshd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code berth migrate} between two Berth hosts on this machine, as root: the source is an engine in this process,
 * the target another configuration root and cgroup parent reached through a real sshd on 127.0.0.1, running the real
 * {@code berth} command line. Both hosts' bridges are one bridge in a network namespace of the test's (two hosts on
 * one LAN), where the test's TCP client is. Removes both hosts' containers, cgroups, folders, the namespace and the
 * sshd.
 */
class MigrateTest {

	private static final Duration WAIT = Duration.ofSeconds(30);
	private static final String SUBNET = "10.214.7.0/24";

	/** Counts in its memory, writing "PID VALUE" (its pid inside) ten times a second. */
	private static final String COUNTER = "i=0; while true; do i=$((i+1)); echo \"$$ $i\" >/tmp/count.new;"
			+ " mv /tmp/count.new /tmp/count; sleep 0.1; done";

	/** Connects to port 7000 and sends each line of its input, printing the answer (a closed socket: CLOSED). */
	private static final String ECHO_CLIENT = String.join("\n", "import socket, sys, time",
			"deadline = time.time() + 15", "while True:", "    try:",
			"        s = socket.create_connection((sys.argv[1], 7000), timeout=5); break", "    except OSError:",
			"        if time.time() > deadline: raise", "        time.sleep(0.1)", "s.settimeout(60)",
			"print('CONNECTED', flush=True)", "for line in sys.stdin:", "    s.sendall(line.encode())",
			"    data = b''", "    while not data.endswith(b'\\n'):", "        chunk = s.recv(100)",
			"        if not chunk:", "            print('CLOSED', flush=True); sys.exit(1)", "        data += chunk",
			"    print(data.decode().strip(), flush=True)");

	/** The start of a shell test that matches the target's berth when it is asked to resume (then, else). */
	private static final String RESUMING = "if [ \"$1\" = migrate-receive ] && [ \"$2\" = --resume ]; then ";

	private final String id = "bm" + Long.toString(System.nanoTime() ^ ProcessHandle.current().pid() << 20, 36)
			.replace("-", "");
	private Path work;
	private LoopbackSshd sshd;
	private final List<Host> hosts = new ArrayList<>();
	private String lan;
	private Host source;
	private Host target;

	/** One Berth host: its configuration and an engine on it in this process. */
	private record Host(String tag, EngineConfig config, String netns, LocalEngine engine) {
	}

	@BeforeEach
	void setUp() throws Exception {
		assumeTrue(isRoot(), "migration starts real containers and needs root");
		assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs Debian's busybox-static");
		assertTrue(LoopbackSshd.available(), "no OpenSSH (releng/setup-host installs openssh-server)");
		assertTrue(Files.isExecutable(Path.of("/usr/bin/rsync")), "no rsync (releng/setup-host installs it)");
		assertTrue(Files.isExecutable(Path.of("/var/cache/berth/criu/criu")) || onPath("criu"),
				"no CRIU: releng/setup-criu (run by releng/test as root) provides it");
		work = Files.createTempDirectory(id, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
				"rwxr-xr-x")));
		lan = id;
		run("ip", "netns", "add", lan);
		source = host("s");
		target = host("t");
		sshd = new LoopbackSshd(work.resolve("ssh"));
		writeTargetBerth(work.resolve("berth-target"), target.config());
	}

	private Host host(String tag) throws Exception {
		String netns = lan;
		Path root = work.resolve(tag);
		Files.createDirectories(root);
		// as /var/lib/berth is: a container with a user namespace of its own (host uid 1048576+) must reach it
		EngineConfig config = EngineConfig.defaults().withRoots(root, Path.of("/run", id + tag))
				.withCgroupParent(id + tag).withNetwork("br" + id.substring(id.length() - 6), netns, SUBNET);
		Host h = new Host(tag, config, netns, LinuxEngines.open(config));
		hosts.add(h);
		return h;
	}

	/** The target's berth: the real command line with the target's configuration, as a script ssh can run. */
	private static void writeTargetBerth(Path file, EngineConfig c) throws Exception {
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> argv = List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", classPath(),
				"-Dberth.configRoot=" + c.configRoot(), "-Dberth.runRoot=" + c.runRoot(),
				"-Dberth.cgroupParent=" + c.cgroupParent(), "-Dberth.bridge=" + c.bridge(),
				"-Dberth.bridgeNetns=" + c.bridgeNetns(), "-Dberth.subnet=" + c.subnet(), Main.class.getName());
		Files.writeString(file, "#!/bin/sh\nexec " + argv.stream().map(RootTests::quote).collect(Collectors
				.joining(" ")) + " \"$@\"\n");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
	}

	@AfterEach
	void tearDown() throws Exception {
		try {
			for (Host h : hosts) {
				h.engine().close();
				// what is on the host's disk now (the other side's berth may have made or ended containers)
				try (LocalEngine e = LinuxEngines.open(h.config())) {
					for (ContainerSnapshot c : e.list()) {
						if (c.isActive()) {
							e.kill(c.name()).get(30, TimeUnit.SECONDS);
						}
						e.destroy(c.name()).get(30, TimeUnit.SECONDS);
					}
				}
			}
			if (sshd != null) {
				sshd.close();
			}
			List<Path> left = new ArrayList<>();
			try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
				for (Path hierarchy : hierarchies.toList()) {
					for (Host h : hosts) {
						if (Files.isDirectory(hierarchy.resolve(h.config().cgroupParent()))) {
							left.add(hierarchy.resolve(h.config().cgroupParent()));
						}
					}
				}
			}
			assertEquals(List.of(), left, "cgroups left behind");
		} finally {
			if (lan != null) {
				run("ip", "netns", "del", lan);
			}
			for (Host h : hosts) {
				deleteTree(h.config().runRoot());
			}
			deleteTree(work);
		}
	}

	private MigrationRequest request(String remoteBerth) {
		return new MigrationRequest(sshd.url(), sshd.sshCommand(), remoteBerth, false);
	}

	@Test
	void aRunningContainerMovesLiveCountsOnThereWithItsPidsAddressAndMacAndKeepsItsTcpConnection() throws Exception {
		LocalEngine s = source.engine();
		s.define(ContainerSpec.builder("c1").template("busybox").network(NetworkSpec.veth(null, null)).build())
				.get(30, TimeUnit.SECONDS);
		s.start("c1").get(30, TimeUnit.SECONDS);
		sh(s, "c1", "/bin/sh -c '" + COUNTER + "' </dev/null >/dev/null 2>&1 &");
		sh(s, "c1", "/bin/busybox nc -ll -p 7000 -e /bin/cat </dev/null >/dev/null 2>&1 &");
		// files that come and go while the files are sent (rsync finds some listed and gone: its status 24)
		sh(s, "c1", "/bin/sh -c 'mkdir -p /tmp/churn; while true; do for i in $(seq 100); do echo x > /tmp/churn/$i;"
				+ " done; rm -f /tmp/churn/*; done' </dev/null >/dev/null 2>&1 &");
		long[] before = countAbove(s, "c1", 3);
		String link = sh(s, "c1", "cat /sys/class/net/eth0/address; ip -4 -o addr show eth0 | awk '{print $4}'");
		String address = link.lines().toList().get(1).replaceAll("/.*", "");
		Process client = new ProcessBuilder("ip", "netns", "exec", lan, "python3", "-u", "-c", ECHO_CLIENT, address)
				.redirectErrorStream(true).start();
		try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(client.getInputStream(),
				StandardCharsets.UTF_8)); var out = new java.io.PrintStream(client.getOutputStream(), true)) {
			assertEquals("CONNECTED", in.readLine(), "the client in the test's namespace reaches the server");
			out.println("one");
			assertEquals("one", in.readLine());

			List<MigrationProgress> heard = new CopyOnWriteArrayList<>();
			MigrationResult r = s.migrate("c1", new MigrationRequest(sshd.url(), sshd.sshCommand(),
					work.resolve("berth-target").toString(), true), heard::add).get(5, TimeUnit.MINUTES);

			assertTrue(r.live(), r.toString());
			assertTrue(r.downtime().compareTo(Duration.ZERO) > 0 && r.bytesSent() > 0, r.toString());
			List<MigrationProgress.Phase> order = heard.stream().map(MigrationProgress::phase).distinct().toList();
			assertEquals(List.of(MigrationProgress.Phase.CHECK, MigrationProgress.Phase.TRANSFER,
					MigrationProgress.Phase.DUMP, MigrationProgress.Phase.COPY, MigrationProgress.Phase.RESTORE,
					MigrationProgress.Phase.CLEAN_UP), order, heard.toString());
			assertTrue(heard.stream().anyMatch(p -> p.phase() == MigrationProgress.Phase.TRANSFER
					&& p.fraction() == 1), "the transfer's end is heard: " + heard);
			assertTrue(s.get("c1").isEmpty(), "gone from the source");
			assertFalse(Files.exists(source.config().configRoot().resolve("c1")), "its folder too");

			out.println("two");
			assertEquals("two", in.readLine(), "answered on the same connection, now by the target");
			assertTrue(client.isAlive());
		} finally {
			client.destroy();
			client.waitFor();
		}
		LocalEngine t = reopenTarget();
		assertEquals(ContainerState.RUNNING, t.get("c1").orElseThrow().state());
		long[] after = countAbove(t, "c1", before[1]);
		assertEquals(before[0], after[0], "the counter's pid inside");
		assertEquals(link, sh(t, "c1", "cat /sys/class/net/eth0/address; ip -4 -o addr show eth0 | awk '{print $4}'"),
				"the same MAC and address");
		assertTrue(ping(address), "reachable through its new veth");
		assertTrue(t.checkpoints("c1").get(30, TimeUnit.SECONDS).isEmpty(), "the landed checkpoint is removed");
	}

	@Test
	void whenTheTargetCannotResumeItTheContainerResumesHereAndNothingIsLeftThere() throws Exception {
		Path failing = work.resolve("berth-failing");
		Files.writeString(failing, "#!/bin/sh\n" + RESUMING + "echo ready; read ck; echo 'berth: refused by the"
				+ " test' >&2; exit 1; fi\nexec " + quote(work.resolve("berth-target").toString()) + " \"$@\"\n");
		Files.setPosixFilePermissions(failing, PosixFilePermissions.fromString("rwxr-xr-x"));
		LocalEngine s = source.engine();
		s.define(ContainerSpec.builder("c2").template("busybox").build()).get(30, TimeUnit.SECONDS);
		s.start("c2").get(30, TimeUnit.SECONDS);
		sh(s, "c2", "/bin/sh -c '" + COUNTER + "' </dev/null >/dev/null 2>&1 &");
		long[] before = countAbove(s, "c2", 3);

		String why = failure(s.migrate("c2", request(failing.toString()), p -> {
		})).getMessage();
		assertTrue(why.contains("could not resume \"c2\": berth: refused by the test"), why);
		assertTrue(why.contains("it runs here again, resumed from its checkpoint"), why);
		assertEquals(ContainerState.RUNNING, s.get("c2").orElseThrow().state());
		long[] after = countAbove(s, "c2", before[1]);
		assertEquals(before[0], after[0], "the same counter goes on here");
		assertTrue(s.checkpoints("c2").get(30, TimeUnit.SECONDS).isEmpty(), "the migration's checkpoint is removed");
		assertFalse(Files.exists(target.config().configRoot().resolve("c2")), "nothing of it is left on the target");

		// the ssh connection killed (sshd's process of it) when the target is told to resume: the same
		Path cut = work.resolve("berth-cut");
		Files.writeString(cut, "#!/bin/sh\n" + RESUMING + "echo ready; read ck; kill -KILL $PPID; exit 1; fi\nexec "
				+ quote(work.resolve("berth-target").toString()) + " \"$@\"\n");
		Files.setPosixFilePermissions(cut, PosixFilePermissions.fromString("rwxr-xr-x"));
		why = failure(s.migrate("c2", request(cut.toString()), p -> {
		})).getMessage();
		assertTrue(why.contains("could not resume \"c2\"") && why.contains("it runs here again"), why);
		after = countAbove(s, "c2", after[1]);
		assertEquals(before[0], after[0], "the same counter goes on here");
		assertFalse(Files.exists(target.config().configRoot().resolve("c2")), "nothing of it is left on the target");

		// a target that already has a container of that name is asked first: the source is not touched
		target.engine().define(ContainerSpec.builder("c2").template("busybox").build()).get(30, TimeUnit.SECONDS);
		why = failure(s.migrate("c2", request(work.resolve("berth-target").toString()), p -> {
		})).getMessage();
		assertTrue(why.contains("did not take \"c2\"") && why.contains("already exists")
				&& why.contains("it keeps running here"), why);
		assertEquals(ContainerState.RUNNING, s.get("c2").orElseThrow().state());
		why = failure(s.migrate("c2", new MigrationRequest("host2", null, null, false), p -> {
		})).getMessage();
		assertTrue(why.contains("is not a target: write ssh://[user@]host[:port]"), why);
	}

	@Test
	void aStoppedContainerMovesWithItsFilesAndSnapshots() throws Exception {
		LocalEngine s = source.engine();
		s.define(ContainerSpec.builder("c3").template("busybox").build()).get(30, TimeUnit.SECONDS);
		// a container that shares a namespace of c3's (even stopped) keeps it here: refused before anything is sent
		s.define(ContainerSpec.builder("c4").template("busybox").share(org.berth.core.NamespaceType.UTS, "c3")
				.build()).get(30, TimeUnit.SECONDS);
		String why = failure(s.migrate("c3", request(work.resolve("berth-target").toString()), p -> {
		})).getMessage();
		assertEquals("\"c4\" shares its uts namespace with \"c3\": a migration moves one container; change \"c4\""
				+ " first", why);
		why = failure(s.migrate("c4", request(work.resolve("berth-target").toString()), p -> {
		})).getMessage();
		assertTrue(why.startsWith("\"c4\" shares the uts namespace of \"c3\""), why);
		s.destroy("c4").get(30, TimeUnit.SECONDS);
		assertFalse(Files.exists(target.config().configRoot().resolve("c3")), "nothing was sent");
		s.writeFile("c3", "/root/note", "kept\n".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
		s.createSnapshot("c3", "first").get(60, TimeUnit.SECONDS);

		MigrationResult r = s.migrate("c3", request(work.resolve("berth-target").toString()), p -> {
		}).get(5, TimeUnit.MINUTES);
		assertFalse(r.live());
		assertEquals(Duration.ZERO, r.downtime());
		assertTrue(s.get("c3").isEmpty());
		LocalEngine t = reopenTarget();
		assertEquals(ContainerState.STOPPED, t.get("c3").orElseThrow().state());
		assertEquals("kept\n", new String(t.readFile("c3", "/root/note", 100).get(30, TimeUnit.SECONDS),
				StandardCharsets.UTF_8));
		assertEquals(List.of("first"), t.snapshots("c3").get(30, TimeUnit.SECONDS).stream()
				.map(org.berth.core.SnapshotInfo::name).toList());
		t.start("c3").get(30, TimeUnit.SECONDS);
		assertEquals("kept", sh(t, "c3", "cat /root/note"));
	}

	// ---- helpers ----------------------------------------------------------------------------------------------

	/** The target's engine opened again: what the target's berth made there is on its disk, not in this engine. */
	private LocalEngine reopenTarget() throws Exception {
		target.engine().close();
		Host again = new Host(target.tag(), target.config(), target.netns(), LinuxEngines.open(target.config()));
		hosts.set(hosts.indexOf(target), again);
		target = again;
		return again.engine();
	}

	private static Throwable failure(CompletableFuture<?> f) {
		return assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.MINUTES)).getCause();
	}

	private static String sh(LocalEngine e, String name, String script) throws Exception {
		ExecResult r = e.exec(name, ExecRequest.of("sh", "-c", script)).get(30, TimeUnit.SECONDS);
		assertEquals(0, r.exitCode(), script + ": " + r.stderrText());
		return r.stdoutText().trim();
	}

	/** The counter's "PID VALUE" once its value is above {@code above}. */
	private static long[] countAbove(LocalEngine e, String name, long above) throws Exception {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (true) {
			String[] f = sh(e, name, "cat /tmp/count 2>/dev/null || echo 0 0").split(" ");
			long[] seen = {Long.parseLong(f[0]), Long.parseLong(f[1])};
			if (seen[1] > above) {
				return seen;
			}
			assertTrue(System.nanoTime() < deadline, "the counter of " + name + " stayed at " + seen[1]);
			Thread.sleep(50);
		}
	}

	/** One ping from the bridge's namespace to {@code address}. */
	private boolean ping(String address) throws Exception {
		return run("ip", "netns", "exec", lan, "/bin/busybox", "ping", "-c", "1", "-W", "5", address)
				.contains("1 packets received");
	}

	private static boolean onPath(String command) {
		return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
				.anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, command)));
	}

	/** Runs a command; its output, or "" when it failed. */
	private static String run(String... cmd) throws IOException, InterruptedException {
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!p.waitFor(30, TimeUnit.SECONDS)) {
			p.destroyForcibly();
			return "";
		}
		return p.exitValue() == 0 ? out : "";
	}

}
