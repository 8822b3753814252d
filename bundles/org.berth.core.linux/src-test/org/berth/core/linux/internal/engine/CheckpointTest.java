package org.berth.core.linux.internal.engine;

import static org.berth.core.linux.internal.engine.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.berth.core.CheckpointInfo;
import org.berth.core.CheckpointRequest;
import org.berth.core.ContainerKind;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.ExecSession;
import org.berth.core.NamespaceType;
import org.berth.core.NetworkSpec;
import org.berth.core.linux.internal.checkpoint.Criu;
import org.berth.core.linux.internal.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checkpoint and restore with CRIU, as root with real containers of the default kind (a user namespace of their own):
 * the processes come back with their memory and their pids inside, and what cannot be checkpointed is refused while
 * the container runs on. CI provides CRIU with releng/setup-criu.
 */
class CheckpointTest {

	private static final Duration WAIT = Duration.ofSeconds(20);

	/** Counts in its memory, writing "PID VALUE" (its pid inside) ten times a second. */
	private static final String COUNTER = "i=0; while true; do i=$((i+1)); echo \"$$ $i\" >/tmp/count.new;"
			+ " mv /tmp/count.new /tmp/count; sleep 0.1; done";

	private TestEngine t;

	@BeforeEach
	void setUp() throws Exception {
		assumeTrue(Host.isRoot(), "integration tests start real containers and need root");
		assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs Debian's busybox-static");
		assertTrue(Criu.locate().isPresent(), "no CRIU: releng/setup-criu (run by releng/test as root) provides it");
		t = new TestEngine();
	}

	@AfterEach
	void tearDown() throws Exception {
		if (t != null) {
			t.close();
		}
	}

	private String sh(String name, String script) throws Exception {
		ExecResult r = await(t.engine.exec(name, ExecRequest.of("sh", "-c", script)));
		assertEquals(0, r.exitCode(), script + ": " + r.stderrText());
		return r.stdoutText().trim();
	}

	private static Throwable failure(CompletableFuture<?> f) {
		return assertThrows(ExecutionException.class, f::get).getCause();
	}

	/** The counter's "PID VALUE" once its value is above {@code above}. */
	private long[] countAbove(String name, long above) throws Exception {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (true) {
			String[] f = sh(name, "cat /tmp/count 2>/dev/null || echo 0 0").split(" ");
			long[] seen = {Long.parseLong(f[0]), Long.parseLong(f[1])};
			if (seen[1] > above) {
				return seen;
			}
			assertTrue(System.nanoTime() < deadline, "the counter of " + name + " stayed at " + seen[1]);
			Thread.sleep(50);
		}
	}

	/** An application container whose init is the counter, started; its pid and value once above {@code above}. */
	private long[] startCounting(String name, long above) throws Exception {
		t.define(ContainerSpec.builder(name).kind(ContainerKind.APPLICATION).template("busybox")
				.init(List.of("/bin/sh", "-c", COUNTER)).build());
		t.start(name);
		return countAbove(name, above);
	}

	/** "PID COMMAND" of the container's processes but the ps that lists them (and a sleep of the counter's). */
	private List<String> processes(String name) throws Exception {
		return sh(name, "ps").lines().skip(1).map(l -> l.trim().split("\\s+"))
				.map(f -> f[0] + " " + f[2])
				.filter(l -> !l.endsWith(" ps") && !l.endsWith(" {ps}") && !l.endsWith(" sleep")).toList();
	}

	@Test
	void anApplicationContainersCounterGoesOnFromItsValueWithTheSamePidInside() throws Exception {
		long[] before = startCounting("app", 5);
		String groups = Files.readString(Path.of("/proc", Long.toString(t.engine.get("app").orElseThrow().initPid()),
				"cgroup"));

		CheckpointInfo c = await(t.engine.checkpoint("app", CheckpointRequest.stopping()));
		ContainerSnapshot stopped = t.engine.get("app").orElseThrow();
		assertEquals(ContainerState.STOPPED, stopped.state());
		assertTrue(stopped.lastExit().contains("checkpointed as " + c.name()), stopped.lastExit());
		try (LinuxEngine later = t.reopen()) {
			assertEquals("checkpointed as " + c.name() + " (berth restore resumes it)",
					later.get("app").orElseThrow().lastExit(), "another process's engine says so too");
		}
		assertEquals(List.of(c.name()), await(t.engine.checkpoints("app")).stream().map(CheckpointInfo::name).toList());
		assertTrue(c.sizeBytes() > 0 && c.path().startsWith(t.configRoot.toString()), c.toString());
		assertEquals("750", Integer.toOctalString(Files.getPosixFilePermissions(Path.of(c.path())).stream()
				.mapToInt(p -> 1 << (8 - p.ordinal())).sum()), "the container's root reads its images, no one else");
		// what the counter wrote last, before it was frozen: a counter started afresh would write 1, 2, ...
		long dumped = Long.parseLong(Files.readString(t.configRoot.resolve("app/rootfs/tmp/count")).trim()
				.split(" ")[1]);
		Files.writeString(t.configRoot.resolve("app/rootfs/tmp/count"), "0 0\n");

		ContainerSnapshot running = await(t.engine.restoreCheckpoint("app", null));
		assertEquals(ContainerState.RUNNING, running.state());
		long[] after = countAbove("app", 0);
		assertEquals(before[0], after[0], "the counter's pid inside");
		assertTrue(after[1] > dumped && after[1] < dumped + 100, "went on from " + dumped + ": " + after[1]);
		assertEquals(groups, Files.readString(Path.of("/proc", Long.toString(running.initPid()), "cgroup")),
				"the restored init is in the groups of the run it was dumped from, in every hierarchy");

		await(t.engine.stop("app", Duration.ofSeconds(5)));
		assertEquals(ContainerState.STOPPED, t.engine.get("app").orElseThrow().state());
	}

	/**
	 * The engine freezes the container itself before CRIU (CRIU's own freeze sleeps 100 ms whenever the freezer still
	 * reads FREEZING) and CRIU leaves a group it found frozen frozen: a checkpoint that keeps the container running
	 * thaws it again, and one of a container the user froze leaves it frozen.
	 */
	@Test
	void aCheckpointThatKeepsTheContainerRunningLeavesItRunningOrFrozenAsItWas() throws Exception {
		long[] before = startCounting("on", 2);
		CheckpointRequest leaving = new CheckpointRequest("first", null, true, false);
		await(t.engine.checkpoint("on", leaving));
		assertEquals(ContainerState.RUNNING, t.engine.get("on").orElseThrow().state());
		long[] after = countAbove("on", before[1] + 2);
		assertEquals(before[0], after[0], "the same counter, counting on");

		await(t.engine.freeze("on"));
		await(t.engine.checkpoint("on", new CheckpointRequest("second", null, true, false)));
		assertEquals(ContainerState.FROZEN, t.engine.get("on").orElseThrow().state(), "frozen by the user: left so");
		await(t.engine.thaw("on"));
		countAbove("on", after[1] + 2);
		assertEquals(List.of("first", "second"),
				await(t.engine.checkpoints("on")).stream().map(CheckpointInfo::name).sorted().toList());
	}

	@Test
	void aBusyboxSystemContainerStoppedWithItsStateComesBackAtStartInitAndChildrenAlike() throws Exception {
		t.define(ContainerSpec.builder("sys").template("busybox").build());
		t.start("sys");
		// a child of init's: started by exec, it outlives its shell, its output inside the container
		sh("sys", "/bin/sh -c '" + COUNTER + "' </dev/null >/dev/null 2>&1 &");
		long[] before = countAbove("sys", 3);
		List<String> psBefore = processes("sys");

		CheckpointInfo c = await(t.engine.checkpoint("sys", CheckpointRequest.stateful()));
		assertEquals(CheckpointInfo.STATEFUL, c.name());
		assertEquals(ContainerState.STOPPED, t.engine.get("sys").orElseThrow().state());

		ContainerSnapshot resumed = t.start("sys");
		assertEquals(ContainerState.RUNNING, resumed.state());
		long[] after = countAbove("sys", before[1]);
		assertEquals(before[0], after[0]);
		List<String> psAfter = processes("sys");
		assertTrue(psAfter.contains("1 init") && psAfter.contains(before[0] + " /bin/sh"), psAfter.toString());
		assertEquals(psBefore, psAfter, "the same processes with the same pids inside");
		assertEquals(List.of(), await(t.engine.checkpoints("sys")), "a stateful stop's checkpoint is resumed once");
		assertEquals("0 0", sh("sys", "touch /root/written && stat -c '%u %g' /root/written"),
				"its root owns what it writes: the root file system is idmapped again");
	}

	@Test
	void whatCannotBeCheckpointedIsRefusedByNameAndTheContainerRunsOn() throws Exception {
		t.define(ContainerSpec.builder("a").template("busybox").build());
		t.define(ContainerSpec.builder("b").template("busybox").share(NamespaceType.UTS, "a").build());
		t.start("a");
		t.start("b");
		String why = failure(t.engine.checkpoint("b", CheckpointRequest.stopping())).getMessage();
		assertTrue(why.contains("shares its uts namespace with \"a\""), why);
		why = failure(t.engine.checkpoint("a", CheckpointRequest.stopping())).getMessage();
		assertTrue(why.contains("\"b\" runs in the uts namespace of \"a\""), why);
		await(t.engine.kill("b"));

		try (ExecSession session = await(t.engine.openExec("a", ExecRequest.of("sleep", "100")))) {
			// openExec answers once the helper is started; it joins the container a moment later
			long deadline = System.nanoTime() + WAIT.toNanos();
			while (sh("a", "ps | grep -c '[s]leep 100' || true").equals("0")) {
				assertTrue(System.nanoTime() < deadline, "the exec's sleep never ran in the container");
				Thread.sleep(20);
			}
			why = failure(t.engine.checkpoint("a", CheckpointRequest.stopping())).getMessage();
			assertTrue(why.contains("was started from outside"), why);
		}
		// closing the session ends the command (SIGTERM, forwarded by the helper): not at once
		long gone = System.nanoTime() + WAIT.toNanos();
		while (!sh("a", "ps | grep -c '[s]leep 100' || true").equals("0")) {
			assertTrue(System.nanoTime() < gone, "the exec's sleep did not end with its session");
			Thread.sleep(20);
		}
		// a group its processes made below its own (as systemd makes init.scope) is not made again by a restore
		String group = "a-" + t.engine.get("a").orElseThrow().startedAt().toEpochMilli();
		Path sub = t.cgroupsLeft().stream().map(g -> g.resolve(group)).filter(Files::isDirectory).findFirst()
				.orElseThrow().resolve("init.scope");
		Files.createDirectory(sub);
		try {
			why = failure(t.engine.checkpoint("a", CheckpointRequest.stopping())).getMessage();
			assertTrue(why.contains("made cgroups of their own (init.scope; systemd does that)"), why);
		} finally {
			Files.delete(sub);
		}
		why = failure(t.engine.checkpoint("a", new CheckpointRequest("x", t.configRoot.resolve("a").toString(),
				false, false))).getMessage();
		assertTrue(why.contains("where the containers' files are"), why);
		why = failure(t.engine.checkpoint("a", new CheckpointRequest("../x", null, false, false))).getMessage();
		assertTrue(why.contains("is not a checkpoint name"), why);
		assertEquals(ContainerState.RUNNING, t.engine.get("a").orElseThrow().state());
		assertEquals(List.of(), await(t.engine.checkpoints("a")));

		// a checkpoint that leaves it running cannot be restored over the running container
		CheckpointInfo kept = await(t.engine.checkpoint("a", new CheckpointRequest("kept", null, true, false)));
		long init = t.engine.get("a").orElseThrow().initPid();
		assertEquals(ContainerState.RUNNING, t.engine.get("a").orElseThrow().state());
		why = failure(t.engine.restoreCheckpoint("a", "kept")).getMessage();
		assertTrue(why.contains("stop it first"), why);
		await(t.engine.stop("a", Duration.ofSeconds(5)));
		why = failure(t.engine.restoreCheckpoint("a", "none")).getMessage();
		assertTrue(why.contains("has no checkpoint named \"none\""), why);
		assertNotEquals(init, await(t.engine.restoreCheckpoint("a", "kept")).initPid(), "a new host pid");
		await(t.engine.kill("a"));
		await(t.engine.deleteCheckpoint("a", kept.name()));
		assertFalse(Files.exists(Path.of(kept.path())));

		// stopped with its state, then changed: the start says why it cannot resume and how to start afresh
		t.start("a");
		await(t.engine.checkpoint("a", CheckpointRequest.stateful()));
		ContainerSpec spec = t.engine.get("a").orElseThrow().spec();
		await(t.engine
				.update(spec.toBuilder().namespace(NamespaceType.UTS, org.berth.core.NamespaceMode.HOST).build()));
		why = failure(t.engine.start("a")).getMessage();
		assertTrue(why.contains("namespaces of \"a\" changed") && why.contains("berth checkpoint --delete a stateful"),
				why);
		await(t.engine.deleteCheckpoint("a", CheckpointInfo.STATEFUL));
		assertEquals(ContainerState.RUNNING, t.start("a").state(), "afresh");
	}

	/**
	 * An echo client in the test's network namespace (where the bridge is): connects (retrying while the server
	 * starts), then for each line on its stdin sends it and prints the answer, or CLOSED when the connection ends.
	 */
	private static final String ECHO_CLIENT = String.join("\n", "import socket, sys, time",
			"deadline = time.time() + 15", "while True:", "    try:",
			"        s = socket.create_connection((sys.argv[1], 7000), timeout=5); break", "    except OSError:",
			"        if time.time() > deadline: raise", "        time.sleep(0.1)", "s.settimeout(30)",
			"print('CONNECTED', flush=True)", "for line in sys.stdin:", "    s.sendall(line.encode())",
			"    data = b''", "    while not data.endswith(b'\\n'):", "        chunk = s.recv(100)",
			"        if not chunk:", "            print('CLOSED', flush=True); sys.exit(1)", "        data += chunk",
			"    print(data.decode().strip(), flush=True)");

	@Test
	void anEstablishedTcpConnectionFromATestNamespaceSurvivesCheckpointAndRestore() throws Exception {
		t.define(ContainerSpec.builder("srv").kind(ContainerKind.APPLICATION).template("busybox")
				.network(NetworkSpec.veth(null, null))
				.init(List.of("/bin/busybox", "nc", "-ll", "-p", "7000", "-e", "/bin/cat"))
				.build());
		t.start("srv");
		String address = t.engine.get("srv").orElseThrow().spec().network().address().split("/")[0];
		Process client = new ProcessBuilder("ip", "netns", "exec", t.id, "python3", "-u", "-c", ECHO_CLIENT, address)
				.redirectErrorStream(true).start();
		try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(client.getInputStream()));
				var out = new java.io.PrintStream(client.getOutputStream(), true)) {
			String first = in.readLine();
			if (!"CONNECTED".equals(first)) {
				out.close();
				StringBuilder all = new StringBuilder(first + "\n");
				in.lines().forEach(l -> all.append(l).append('\n'));
				throw new AssertionError("the client could not connect to " + address + ":7000: " + all
						+ TestEngine.run("sh", "-c", "cat " + t.runRoot.resolve("srv/console.log") + "; ip -n " + t.id
								+ " addr; ip -n " + t.id + " link"));
			}
			out.println("one");
			assertEquals("one", in.readLine());

			CheckpointInfo c = await(t.engine.checkpoint("srv", new CheckpointRequest("tcp", null, false, true)));
			assertTrue(c.tcpEstablished());
			assertEquals(ContainerState.STOPPED, t.engine.get("srv").orElseThrow().state());
			await(t.engine.restoreCheckpoint("srv", "tcp"));

			out.println("two");
			assertEquals("two", in.readLine(), "answered on the same connection after the restore");
			assertTrue(client.isAlive());
			String veth = TestEngine.run("ip", "-n", t.id, "link", "show", "master",
					"br-" + t.id.substring(t.id.length() - 6));
			assertTrue(veth.contains("state UP") || veth.contains(",UP"), "the new host end is on the bridge: " + veth);
		} finally {
			client.destroy();
			client.waitFor();
		}
	}
}
