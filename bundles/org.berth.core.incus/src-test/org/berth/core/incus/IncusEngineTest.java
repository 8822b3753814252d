package org.berth.core.incus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.berth.core.BerthException;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.EngineEvent;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.IllegalTransitionException;
import org.berth.core.Limits;
import org.berth.core.NoSuchContainerException;
import org.berth.core.SnapshotInfo;
import org.berth.core.TerminalRequest;
import org.berth.core.TerminalSession;
import org.berth.core.Usage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Incus engine against a real incusd of its own ({@code releng/incus-host up} in a temporary folder, down again
 * afterwards, and nothing of it left): enrolment over HTTPS with a trust token, the pinned certificate, and an
 * instance's whole life with the events of each change. Runs as root where Incus is installed (releng/setup-incus).
 */
class IncusEngineTest {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static Path repo;
	private static Path dir;
	private static Path keys;
	private static String address;
	/** Every incusd this test started (releng/incus-host restart makes another). */
	private static final List<String> incusdPids = new java.util.concurrent.CopyOnWriteArrayList<>();

	@BeforeAll
	static void up() throws Exception {
		assumeTrue("root".equals(System.getProperty("user.name")), "needs root (incusd)");
		assumeTrue(Files.isExecutable(Path.of("/usr/libexec/incus/incusd")), "needs Incus (releng/setup-incus)");
		repo = Path.of("").toAbsolutePath();
		while (repo != null && !Files.isExecutable(repo.resolve("releng/incus-host"))) {
			repo = repo.getParent();
		}
		assertTrue(repo != null, "releng/incus-host is not above " + Path.of("").toAbsolutePath());
		dir = Files.createTempDirectory("berth-incus-test");
		keys = Files.createTempDirectory("berth-incus-keys");
		List<String> out = run(List.of(repo.resolve("releng/incus-host").toString(), "up", dir.toString()));
		address = "https://" + out.get(out.size() - 1).trim();
		incusdPids.add(Files.readString(dir.resolve("incusd.pid")).trim());
	}

	@AfterAll
	static void down() throws Exception {
		if (dir == null) {
			return;
		}
		try {
			run(List.of(repo.resolve("releng/incus-host").toString(), "down", dir.toString()));
		} finally {
			deleteTree(keys);
		}
		// nothing of it is left: the daemon ended (a zombie counts: PID 1 here may reap late), no mount, no folder
		for (String pid : incusdPids) {
			assertFalse(ProcessHandle.of(Long.parseLong(pid)).map(p -> p.isAlive() && !zombie(pid)).orElse(false),
					"incusd " + pid + " still runs");
		}
		for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
			assertFalse(line.contains(dir.toString()), "still mounted: " + line);
		}
		assertFalse(Files.exists(dir), dir + " is still there");
	}

	private static boolean zombie(String pid) {
		try {
			String stat = Files.readString(Path.of("/proc", pid, "stat"));
			return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
		} catch (IOException e) {
			return true;
		}
	}

	/** Runs a command with INCUS_DIR of the test's daemon; its stdout's lines, or the test fails with its stderr. */
	private static List<String> run(List<String> command) throws Exception {
		ProcessBuilder pb = new ProcessBuilder(command);
		if (dir != null) {
			pb.environment().put("INCUS_DIR", dir.resolve("var").toString());
		}
		Path err = Files.createTempFile("berth-incus-test", ".err");
		try {
			Process p = pb.redirectError(err.toFile()).start();
			p.getOutputStream().close();
			CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
				try {
					return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
				} catch (IOException e) {
					return "";
				}
			});
			if (!p.waitFor(180, TimeUnit.SECONDS)) {
				p.destroyForcibly();
				fail(command + " did not end in 180 s");
			}
			if (p.exitValue() != 0) {
				fail(command + " failed (" + p.exitValue() + "): " + Files.readString(err));
			}
			return out.get(10, TimeUnit.SECONDS).lines().toList();
		} finally {
			Files.deleteIfExists(err);
		}
	}

	private static void deleteTree(Path p) throws IOException {
		if (p == null || !Files.exists(p)) {
			return;
		}
		try (var all = Files.walk(p)) {
			for (Path q : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.delete(q);
			}
		}
	}

	private static String serverFingerprint() throws Exception {
		String pem = Files.readString(dir.resolve("var/server.crt"));
		var cert = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(
				new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
	}

	private static <T> T await(CompletableFuture<T> f) throws Exception {
		return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
	}

	/** What the future failed with (unwrapped). */
	private static Throwable failure(CompletableFuture<?> f) throws Exception {
		ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT.toSeconds(),
				TimeUnit.SECONDS));
		return e.getCause();
	}

	/** The events a listener heard, and a wait for one that matches, with a deadline (no fixed sleeps). */
	private static final class Heard {
		private final List<EngineEvent> events = new ArrayList<>();

		synchronized void add(EngineEvent e) {
			events.add(e);
			notifyAll();
		}

		synchronized EngineEvent await(String what, Predicate<EngineEvent> p) throws InterruptedException {
			long deadline = System.nanoTime() + WAIT.toNanos();
			while (true) {
				for (EngineEvent e : events) {
					if (p.test(e)) {
						events.remove(e);
						return e;
					}
				}
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					fail("no event " + what + " in " + WAIT.toSeconds() + " s; heard " + events);
				}
				TimeUnit.NANOSECONDS.timedWait(this, left);
			}
		}
	}

	private static List<String> snapshotNames(IncusEngine engine, String name) throws Exception {
		return await(engine.snapshots(name)).stream().map(SnapshotInfo::name).toList();
	}

	/** What a terminal showed so far, read on a thread of its own, and waits for a text in it. */
	private static final class Screen {
		private final StringBuilder text = new StringBuilder();

		Screen(TerminalSession t) {
			Thread.ofPlatform().daemon().name("incus-test-terminal").start(() -> {
				byte[] b = new byte[4096];
				try {
					for (int n; (n = t.output().read(b)) > 0;) {
						synchronized (this) {
							text.append(new String(b, 0, n, StandardCharsets.UTF_8));
							notifyAll();
						}
					}
				} catch (IOException e) {
					// the session ended
				}
			});
		}

		synchronized boolean waitFor(String s, Duration d) throws InterruptedException {
			long deadline = System.nanoTime() + d.toNanos();
			while (text.indexOf(s) < 0) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				TimeUnit.NANOSECONDS.timedWait(this, left);
			}
			return true;
		}

		synchronized void await(String s) throws InterruptedException {
			if (!waitFor(s, WAIT)) {
				fail("the terminal did not show " + s + " in " + WAIT.toSeconds() + " s; it showed: " + text);
			}
		}
	}

	private static Predicate<EngineEvent> event(EngineEvent.Kind kind, String name, ContainerState state) {
		return e -> e.kind() == kind && e.name().equals(name) && (state == null || e.snapshot().state() == state);
	}

	@Test
	void firstContactShowsTheServersFingerprintAndAWrongPinIsRefused() throws Exception {
		assertEquals(serverFingerprint(), IncusEngine.serverFingerprint(address));
		Path cert = keys.resolve("other.crt");
		Path key = keys.resolve("other.key");
		IncusEngine.makeClientCertificate(cert, key, "berth-wrong-pin");
		String wrong = "ab".repeat(32);
		IncusEndpoint pinnedWrong = IncusEndpoint.https(address, cert, key, wrong);
		CertificateMismatchException e = assertThrows(CertificateMismatchException.class, () -> IncusEngine.connect(
				pinnedWrong));
		assertTrue(e.getMessage().contains("not the pinned " + wrong), e.getMessage());
		assertEquals(serverFingerprint(), e.presented());
		CertificateMismatchException enrol = assertThrows(CertificateMismatchException.class, () -> IncusEngine
				.enrol(pinnedWrong, "whatever", "x"));
		assertTrue(enrol.getMessage().contains("nothing was sent"), enrol.getMessage());
		// an untrusted client with the right pin is told to enrol
		BerthException untrusted = assertThrows(BerthException.class, () -> IncusEngine.connect(IncusEndpoint.https(
				address, cert, key, serverFingerprint())));
		assertTrue(untrusted.getMessage().contains("trust token"), untrusted.getMessage());
	}

	@Test
	void enrolsOverHttpsAndDrivesAnInstanceThroughItsLife() throws Exception {
		Path cert = keys.resolve("client.crt");
		Path key = keys.resolve("client.key");
		IncusEngine.makeClientCertificate(cert, key, "berth-test");
		List<String> tokenOut = run(List.of("incus", "config", "trust", "add", "berth-test"));
		String token = tokenOut.get(tokenOut.size() - 1).trim();
		IncusEndpoint endpoint = IncusEndpoint.https(address, cert, key, IncusEngine.serverFingerprint(address));
		BerthException badToken = assertThrows(BerthException.class, () -> IncusEngine.enrol(endpoint, "not-a-token",
				"berth-test"));
		assertFalse(badToken.getMessage().isBlank());
		IncusEngine.enrol(endpoint, token, "berth-test");

		Heard heard = new Heard();
		try (IncusEngine engine = IncusEngine.connect(endpoint)) {
			engine.addListener(heard::add);
			assertTrue(engine.serverVersion().startsWith("6."), engine.serverVersion());
			assertTrue(engine.list().isEmpty(), "a new daemon has no instances: " + engine.list());
			assertTrue(engine.templates().contains("busybox"), "templates: " + engine.templates());
			assertFalse(engine.limitations().isEmpty());

			ContainerSpec spec = ContainerSpec.builder("i1").template("busybox").limits(Limits.NONE.withMemoryBytes(
					64L << 20)).description("made by IncusEngineTest").build();
			ContainerSnapshot defined = await(engine.define(spec));
			assertEquals(ContainerState.STOPPED, defined.state());
			assertEquals(64L << 20, defined.spec().limits().memoryBytes());
			assertEquals("made by IncusEngineTest", defined.spec().description());
			heard.await("DEFINED i1", event(EngineEvent.Kind.DEFINED, "i1", ContainerState.STOPPED));
			assertEquals(List.of("i1"), engine.list().stream().map(ContainerSnapshot::name).toList());
			assertInstanceOf(org.berth.core.ContainerExistsException.class, failure(engine.define(spec)));
			Throwable noImage = failure(engine.define(ContainerSpec.builder("i9").template("nonesuch").build()));
			String why = assertInstanceOf(org.berth.core.InvalidSpecException.class, noImage).problems().get(0)
					.message();
			assertTrue(why.contains("\"nonesuch\"") && why.contains("its images: busybox"), why);

			ContainerSnapshot running = await(engine.start("i1"));
			assertEquals(ContainerState.RUNNING, running.state());
			assertTrue(running.initPid() > 0, "init's PID: " + running.initPid());
			assertTrue(running.startedAt() != null);
			heard.await("i1 RUNNING", event(EngineEvent.Kind.STATE_CHANGED, "i1", ContainerState.RUNNING));
			assertInstanceOf(IllegalTransitionException.class, failure(engine.start("i1")));
			assertInstanceOf(IllegalTransitionException.class, failure(engine.destroy("i1")));
			// its user namespace and id maps are Incus's, shown as they are and not changed through Berth
			assertEquals(org.berth.core.NamespaceMode.NEW, running.spec().namespaces().get(
					org.berth.core.NamespaceType.USER).mode());
			assertFalse(running.spec().uidMaps().isEmpty(), "Incus's id map: " + running.spec());
			assertEquals(0, running.spec().uidMaps().get(0).insideId());
			Throwable hostUser = failure(engine.update(running.spec().toBuilder().namespace(org.berth.core.NamespaceSpec
					.host(org.berth.core.NamespaceType.USER)).uidMaps(List.of()).gidMaps(List.of()).build()));
			assertTrue(assertInstanceOf(UnsupportedOperationException.class, hostUser).getMessage().startsWith(
					"Incus decides the namespaces and id maps of i1"), hostUser.getMessage());

			ExecResult ok = await(engine.exec("i1", ExecRequest.of("echo", "ok")));
			assertEquals("ok\n", ok.stdoutText());
			assertEquals(0, ok.exitCode());
			ExecResult three = await(engine.exec("i1", new ExecRequest(List.of("sh", "-c", "echo \"$GREETING\" >&2;"
					+ " pwd; exit 3"), Map.of("GREETING", "hello"), "/tmp", false)));
			assertEquals(3, three.exitCode());
			assertEquals("hello\n", three.stderrText());
			assertEquals("/tmp\n", three.stdoutText());
			// standard input goes through the exec's WebSockets (fd 0, closed after it), the output comes back on 1 and 2
			ExecResult piped = await(engine.exec("i1", ExecRequest.of("sh", "-c", "tr a-z A-Z; echo done >&2; exit 7")
					.withStdin("hello input\n".getBytes(StandardCharsets.UTF_8))));
			assertEquals("HELLO INPUT\n", piped.stdoutText());
			assertEquals("done\n", piped.stderrText());
			assertEquals(7, piped.exitCode());
			// again and again: each exec's output ended before its operation now and then, and its result was read
			// on the WebSocket's thread before the output's end was told to its stream (read for ever: a hang)
			for (int i = 0; i < 20; i++) {
				ExecResult again = engine.exec("i1", ExecRequest.of("sh", "-c", "tr a-z A-Z; echo done >&2; exit 7")
						.withStdin(("input " + i + "\n").getBytes(StandardCharsets.UTF_8))).get(20, TimeUnit.SECONDS);
				assertEquals("INPUT " + i + "\n", again.stdoutText(), "exec " + i);
				assertEquals("done\n", again.stderrText(), "exec " + i);
				assertEquals(7, again.exitCode(), "exec " + i);
			}
			// streamed: input written while it runs, output read while it runs
			try (org.berth.core.ExecSession session = await(engine.openExec("i1", ExecRequest.of("sh", "-c",
					"read line; echo \"got $line\"; echo bye >&2; exit 5")))) {
				CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
					try {
						return session.stderr().readAllBytes();
					} catch (IOException e) {
						throw new java.io.UncheckedIOException(e);
					}
				});
				session.stdin().write("first\n".getBytes(StandardCharsets.UTF_8));
				session.stdin().flush();
				byte[] line = new byte[10];
				int n = session.stdout().readNBytes(line, 0, 10);
				assertEquals("got first\n", new String(line, 0, n, StandardCharsets.UTF_8));
				session.stdin().close();
				assertEquals(-1, session.stdout().read());
				assertEquals("bye\n", new String(await(err), StandardCharsets.UTF_8));
				assertEquals(5, await(session.onExit()));
			}
			assertInstanceOf(UnsupportedOperationException.class, failure(engine.exec("i1", new ExecRequest(List.of(
					"tty"), Map.of(), null, true))));

			Usage u = await(engine.usage("i1"));
			assertTrue(u.memoryBytes() > 0, "memory in use: " + u.memoryBytes());
			assertEquals(64L << 20, u.memoryLimitBytes());
			assertTrue(u.pids() >= 1, "processes: " + u.pids());
			assertTrue(u.cpuNanos() > 0, "CPU time: " + u.cpuNanos());

			// a terminal, sized before its command starts and resized through the control socket
			TerminalRequest shell = new TerminalRequest(List.of("sh", "-c", "stty size; while read x; do stty size;"
					+ " done"), 100, 30, null, Set.of(), true, Map.of(), false);
			try (TerminalSession t = await(engine.openTerminal("i1", shell))) {
				Screen screen = new Screen(t);
				screen.await("30 100");
				t.resize(120, 40);
				long deadline = System.nanoTime() + WAIT.toNanos();
				do { // the resize and the Enter go through two sockets: Enter again until the new size shows
					t.input().write('\r');
					t.input().flush();
				} while (!screen.waitFor("40 120", Duration.ofSeconds(1)) && System.nanoTime() < deadline);
				screen.await("40 120");
				t.input().write(4); // Ctrl-D: read ends, and with it the loop
				assertEquals(0, t.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS));
			}
			// the console: what is written to /dev/console inside shows there
			try (TerminalSession console = await(engine.openTerminal("i1", TerminalRequest.console(80, 24)))) {
				Screen screen = new Screen(console);
				long deadline = System.nanoTime() + WAIT.toNanos();
				do { // Incus says nothing when it has attached the console: write until it shows
					assertEquals(0, await(engine.exec("i1", ExecRequest.of("sh", "-c", "echo hello-console >"
							+ " /dev/console"))).exitCode());
				} while (!screen.waitFor("hello-console", Duration.ofSeconds(1)) && System.nanoTime() < deadline);
				screen.await("hello-console");
				console.resize(100, 30); // reaches the control socket without failing
			}
			assertInstanceOf(UnsupportedOperationException.class, failure(engine.openTerminal("i1", TerminalRequest
					.debugShell(Set.of(org.berth.core.NamespaceType.NET), 80, 24))));

			// a change made by someone else reaches the listener through /1.0/events alone
			run(List.of("incus", "freeze", "i1"));
			heard.await("i1 FROZEN (from incus freeze)", event(EngineEvent.Kind.STATE_CHANGED, "i1",
					ContainerState.FROZEN));
			assertEquals(ContainerState.FROZEN, engine.get("i1").orElseThrow().state());
			assertEquals(ContainerState.RUNNING, await(engine.thaw("i1")).state());
			heard.await("i1 RUNNING after thaw", event(EngineEvent.Kind.STATE_CHANGED, "i1",
					ContainerState.RUNNING));
			run(List.of("incus", "config", "set", "i1", "limits.processes=50"));
			heard.await("i1 UPDATED (from incus config set)", e -> e.kind() == EngineEvent.Kind.UPDATED && e.name()
					.equals("i1") && Long.valueOf(50).equals(e.snapshot().spec().limits().pids()));

			ContainerSnapshot limited = await(engine.setLimits("i1", Limits.NONE.withMemoryBytes(128L << 20)));
			assertEquals(128L << 20, limited.spec().limits().memoryBytes());
			assertEquals(128L << 20, await(engine.usage("i1")).memoryLimitBytes());
			heard.await("i1 UPDATED (limits)", e -> e.kind() == EngineEvent.Kind.UPDATED && e.name().equals("i1")
					&& Long.valueOf(128L << 20).equals(e.snapshot().spec().limits().memoryBytes()));

			long pidBefore = engine.get("i1").orElseThrow().initPid();
			ContainerSnapshot restarted = await(engine.restart("i1", Duration.ofSeconds(20)));
			assertEquals(ContainerState.RUNNING, restarted.state());
			assertTrue(restarted.initPid() > 0 && restarted.initPid() != pidBefore, pidBefore + " → " + restarted
					.initPid());
			assertEquals(ContainerState.STOPPED, await(engine.kill("i1")).state());
			heard.await("i1 STOPPED (killed)", event(EngineEvent.Kind.STATE_CHANGED, "i1", ContainerState.STOPPED));
			assertEquals(ContainerState.RUNNING, await(engine.start("i1")).state());
			heard.await("i1 RUNNING again", event(EngineEvent.Kind.STATE_CHANGED, "i1", ContainerState.RUNNING));

			assertEquals(ContainerState.STOPPED, await(engine.stop("i1", Duration.ofSeconds(20))).state());
			heard.await("i1 STOPPED", event(EngineEvent.Kind.STATE_CHANGED, "i1", ContainerState.STOPPED));
			assertEquals(0, engine.get("i1").orElseThrow().initPid());

			// snapshots: one made by Incus's own command, one through the engine; a restore puts the files back
			run(List.of("incus", "snapshot", "create", "i1", "s1"));
			assertEquals(List.of("s1"), snapshotNames(engine, "i1"));
			await(engine.start("i1"));
			assertEquals(0, await(engine.exec("i1", ExecRequest.of("sh", "-c", "echo before > /root/mark")))
					.exitCode());
			SnapshotInfo snap0 = await(engine.createSnapshot("i1", null));
			assertEquals("snap0", snap0.name());
			assertEquals(128L << 20, snap0.spec().limits().memoryBytes()); // setLimits above
			assertEquals(List.of("s1", "snap0"), snapshotNames(engine, "i1"));
			assertEquals(0, await(engine.exec("i1", ExecRequest.of("sh", "-c", "echo after > /root/mark")))
					.exitCode());
			await(engine.kill("i1"));
			await(engine.restoreSnapshot("i1", "snap0"));
			await(engine.start("i1"));
			assertEquals("before\n", await(engine.exec("i1", ExecRequest.of("cat", "/root/mark"))).stdoutText());
			await(engine.kill("i1"));
			await(engine.deleteSnapshot("i1", "snap0"));
			assertEquals(List.of("s1"), snapshotNames(engine, "i1"));
			assertEquals(ContainerState.STOPPED, await(engine.createFromSnapshot("i1", "s1", "i4")).state());
			await(engine.destroy("i4"));
			heard.await("DESTROYED i4", event(EngineEvent.Kind.DESTROYED, "i4", null));
			ContainerSnapshot copy = await(engine.cloneContainer("i1", "i2"));
			assertEquals(ContainerState.STOPPED, copy.state());
			heard.await("DEFINED i2", event(EngineEvent.Kind.DEFINED, "i2", ContainerState.STOPPED));
			assertEquals("i3", await(engine.rename("i2", "i3")).name());
			heard.await("DESTROYED i2 (renamed)", event(EngineEvent.Kind.DESTROYED, "i2", null));
			heard.await("DEFINED i3", event(EngineEvent.Kind.DEFINED, "i3", ContainerState.STOPPED));
			await(engine.destroy("i3"));
			heard.await("DESTROYED i3", event(EngineEvent.Kind.DESTROYED, "i3", null));

			await(engine.destroy("i1"));
			heard.await("i1 DESTROYED", event(EngineEvent.Kind.DESTROYED, "i1", null));
			assertTrue(engine.list().isEmpty(), "after destroy: " + engine.list());
			assertTrue(engine.get("i1").isEmpty());

			NoSuchContainerException none = assertInstanceOf(NoSuchContainerException.class, failure(engine.start(
					"i1")));
			assertEquals("i1", none.name());
		}
	}

	@Test
	void theLocalUnixSocketNeedsNoCertificateAndARestartedDaemonIsFollowedAgain() throws Exception {
		try (IncusEngine engine = IncusEngine.connect(IncusEndpoint.unix(dir.resolve("var/unix.socket")))) {
			assertTrue(engine.templates().contains("busybox"), "templates: " + engine.templates());
			assertTrue(engine.connection().contains("unix.socket"), engine.connection());
			assertTrue(engine.namespacesFixed("any").orElseThrow().contains("security.privileged"),
					"Incus's namespaces are shown read-only");
			Heard heard = new Heard();
			engine.addListener(heard::add);

			// the daemon goes away and comes back (its event stream drops): the engine reconnects by itself
			run(List.of(repo.resolve("releng/incus-host").toString(), "restart", dir.toString()));
			incusdPids.add(Files.readString(dir.resolve("incusd.pid")).trim());
			run(List.of("incus", "init", "busybox", "u1"));
			heard.await("DEFINED u1 (after the restart)",
					event(EngineEvent.Kind.DEFINED, "u1", ContainerState.STOPPED));
			run(List.of("incus", "delete", "u1")); // after the reconnection, only the events can tell this
			heard.await("DESTROYED u1", event(EngineEvent.Kind.DESTROYED, "u1", null));
			assertFalse(engine.connection().contains("reconnecting"), engine.connection());

			Throwable gone = failure(engine.usage("nonesuch"));
			assertInstanceOf(NoSuchContainerException.class, gone);
			assertInstanceOf(UnsupportedOperationException.class, failure(engine.define(ContainerSpec.builder("x")
					.rootfs("/srv/x").build())));
		}
	}

	@Test
	void aCommandReadsTheStatesOfRunningInstancesOnlyWhenItLists() throws Exception {
		run(List.of("incus", "launch", "busybox", "s1"));
		try (IncusEngine engine = IncusEngine.connect(IncusEndpoint.unix(dir.resolve("var/unix.socket")))) {
			ContainerSnapshot loaded = engine.get("s1").orElseThrow();
			assertEquals(ContainerState.RUNNING, loaded.state());
			assertEquals(0, loaded.initPid(), "no state read for a command that acts on one instance");
			ContainerSnapshot listed = engine.list().stream().filter(s -> s.name().equals("s1")).findFirst()
					.orElseThrow();
			assertTrue(listed.initPid() > 0 && listed.startedAt() != null, "listed with its state: " + listed);
			assertEquals(listed.initPid(), engine.get("s1").orElseThrow().initPid());
			// a command reads the state each time it asks
			assertNotEquals(engine.usage("s1").get(30, TimeUnit.SECONDS).at(), engine.usage("s1").get(30,
					TimeUnit.SECONDS).at());
		}
		// a console shares its sampler's reads (each costs incusd about 100 ms of CPU)
		try (IncusEngine console = IncusEngine.open(IncusEndpoint.unix(dir.resolve("var/unix.socket")))) {
			waitUntil("the console's engine is connected", console::isConnected);
			org.berth.core.Monitoring m = console.monitoring().orElseThrow();
			waitUntil("a sample of s1", () -> m.sweeps() > 0 && console.usage("s1").join() != null);
			java.time.Instant read = console.usage("s1").get(30, TimeUnit.SECONDS).at();
			long sweeps = m.sweeps();
			waitUntil("three more sweeps", () -> m.sweeps() >= sweeps + 3);
			assertEquals(read, console.usage("s1").get(30, TimeUnit.SECONDS).at(),
					"s1, which nobody charts, is not read again at every sweep (every 10 s)");
			waitUntil("s1's rates (two samples, 10 s apart)", () -> m.latest("s1").isPresent());
		} finally {
			run(List.of("incus", "delete", "--force", "s1"));
		}
	}

	@Test
	void anEngineOpenedWhileTheServerIsAwaySaysWhyAndConnectsWhenItAnswers() throws Exception {
		Path away = Files.createTempDirectory("berth-incus-away");
		Path socket = away.resolve("unix.socket");
		try (IncusEngine engine = IncusEngine.open(IncusEndpoint.unix(socket))) {
			assertFalse(engine.isConnected(), "nothing answers at " + socket);
			waitUntil("why, and that it tries again", () -> engine.limitations().get(0).contains("trying again in"));
			String why = engine.limitations().get(0);
			assertTrue(why.startsWith("The Incus server at " + socket + " does not answer ("), why);
			assertTrue(why.endsWith("; trying again in 1 s") || why.matches(".*; trying again in \\d+ s"), why);
			assertTrue(engine.connection().endsWith("(reconnecting)"), engine.connection());
			assertEquals(List.of(), engine.list());
			Throwable refused = failure(engine.start("i1"));
			assertInstanceOf(BerthException.class, refused);

			// the server is there now (the socket's name leads to the test's daemon): the engine connects by itself
			Files.createSymbolicLink(socket, dir.resolve("var/unix.socket"));
			waitUntil("connected", engine::isConnected);
			assertTrue(engine.templates().contains("busybox"), "templates: " + engine.templates());
			assertFalse(engine.serverVersion().isEmpty());
			assertFalse(engine.connection().contains("reconnecting"), engine.connection());
			assertFalse(engine.limitations().get(0).contains("trying again"), engine.limitations().get(0));
		} finally {
			Files.deleteIfExists(socket);
			Files.deleteIfExists(away);
		}
	}

	/** Waits up to {@link #WAIT} for {@code condition}, looking every 50 ms. */
	private static void waitUntil(String what, java.util.function.BooleanSupplier condition) throws Exception {
		long end = System.nanoTime() + WAIT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > end) {
				fail("not in " + WAIT.toSeconds() + " s: " + what);
			}
			Thread.sleep(50);
		}
	}
}
