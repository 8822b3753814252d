package org.berth.core.linux.internal.engine;

import static org.berth.core.linux.internal.engine.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Year;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.berth.core.BerthException;
import org.berth.core.ContainerExistsException;
import org.berth.core.ContainerKind;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.EngineEvent;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.IdMap;
import org.berth.core.IllegalTransitionException;
import org.berth.core.InvalidSpecException;
import org.berth.core.Limits;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;
import org.berth.core.NetworkSpec;
import org.berth.core.NoSuchContainerException;
import org.berth.core.Sizes;
import org.berth.core.Usage;
import org.berth.core.linux.internal.testing.Await;
import org.berth.core.linux.internal.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real containers, as root, on the busybox template: namespaces, capabilities, limits, freezing, stopping,
 * bad input, rediscovery and networking. Each test ends with the engine destroyed and nothing left behind.
 */
class ContainerLifecycleTest {

	private TestEngine t;

	@BeforeEach
	void setUp() throws Exception {
		assumeTrue(Host.isRoot(), "integration tests start real containers and need root");
		assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs Debian's busybox-static");
		t = new TestEngine();
	}

	@AfterEach
	void tearDown() throws Exception {
		if (t != null) {
			t.close();
		}
	}

	private static ContainerSpec.Builder busybox(String name) {
		return ContainerSpec.builder(name).template("busybox");
	}

	private ExecResult exec(String name, String... cmd) throws Exception {
		return await(t.engine.exec(name, ExecRequest.of(cmd)));
	}

	private static long inode(long pid, String ns) throws Exception {
		String link = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", ns)).toString();
		return Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
	}

	@Test
	void namespacesAreNewHostOrSharedAsChosen() throws Exception {
		t.define(busybox("c1").namespace(NamespaceSpec.host(NamespaceType.NET)).build());
		ContainerSnapshot c1 = t.start("c1");
		assertEquals(ContainerState.RUNNING, c1.state());
		assertTrue(c1.initPid() > 0);
		long self = ProcessHandle.current().pid();
		assertEquals(inode(self, "net"), inode(c1.initPid(), "net"), "net is the host's");
		assertFalse(await(t.engine.usage("c1")).hasOwnNetwork(), "the host's traffic is not counted as c1's");
		for (String ns : List.of("pid", "uts", "ipc", "mnt")) {
			assertNotEquals(inode(self, ns), inode(c1.initPid(), ns), ns + " is the container's own");
		}
		assertEquals("c1", exec("c1", "hostname").stdoutText().trim());
		assertEquals("1", exec("c1", "sh", "-c", "cat /proc/1/stat | cut -d' ' -f1").stdoutText().trim(),
				"init is PID 1 inside");

		t.define(busybox("c2").namespace(NamespaceSpec.share(NamespaceType.UTS, "c1")).build());
		ContainerSnapshot c2 = t.start("c2");
		assertEquals(inode(c1.initPid(), "uts"), inode(c2.initPid(), "uts"), "c2 has c1's uts namespace");
		assertEquals("c1", exec("c2", "hostname").stdoutText().trim());

		Await.until("the namespace picture of c2", TestEngine.TIMEOUT,
				() -> t.engine.get("c2").get().namespaces().containsKey(NamespaceType.UTS));
		ContainerSnapshot seen = t.engine.get("c2").get();
		assertEquals(NamespaceMode.SHARE, seen.namespaces().get(NamespaceType.UTS).actualMode());
		assertEquals("c1", seen.namespaces().get(NamespaceType.UTS).sharedWith());
		assertEquals(NamespaceMode.NEW, seen.namespaces().get(NamespaceType.PID).actualMode());
		assertEquals(NamespaceMode.HOST, t.engine.get("c1").get().namespaces().get(NamespaceType.NET).actualMode());
		assertEquals(NamespaceMode.NEW, t.engine.get("c1").get().namespaces().get(NamespaceType.UTS).actualMode(),
				"c1 made the uts namespace that c2 joined");
	}

	@Test
	void commandsRunThroughTheMonitorOrTheHelperAlike() throws Exception {
		t.define(busybox("svc").build());
		t.start("svc");
		Path socket = t.runRoot.resolve("svc").resolve(ExecService.SOCKET);
		assertTrue(Files.exists(socket), "the monitor listens before the helper says READY, so before start answers");
		ExecResult served = exec("svc", "sh", "-c", "hostname; echo to-err >&2; exit 7");
		assertEquals(7, served.exitCode());
		assertEquals("svc\n", served.stdoutText());
		assertEquals("to-err\n", served.stderrText());
		assertEquals(128 + 9, exec("svc", "sh", "-c", "kill -9 $$").exitCode(), "a signal is 128+N");

		// a container in another's pid namespace: its monitor cannot serve, the helper runs the command
		t.define(busybox("guest").kind(ContainerKind.APPLICATION).init(List.of("/bin/sleep", "1000"))
				.namespace(NamespaceSpec.share(NamespaceType.PID, "svc")).build());
		t.start("guest");
		assertFalse(Files.exists(t.runRoot.resolve("guest").resolve(ExecService.SOCKET)));
		assertEquals("guest\n", exec("guest", "hostname").stdoutText());

		// without the socket (a monitor of an older Berth) the helper does it too, with the same result
		Files.delete(socket);
		ExecResult byHelper = exec("svc", "sh", "-c", "hostname; echo to-err >&2; exit 7");
		assertEquals(List.of(7, "svc\n", "to-err\n"), List.of(byHelper.exitCode(), byHelper.stdoutText(),
				byHelper.stderrText()));
	}

	@Test
	void aContainerCannotSetTheHostClock() throws Exception {
		// the host template runs the host's coreutils date, which exits non-zero when refused
		t.define(ContainerSpec.builder("clock").template("host").build());
		t.start("clock");
		int year = Year.now().getValue();
		ExecResult r = exec("clock", "date", "-s", "2000-01-01");
		assertNotEquals(0, r.exitCode(), "date -s must fail: " + r.stdoutText() + r.stderrText());
		assertTrue(r.stderrText().contains("Operation not permitted"), r.stderrText());
		assertEquals(year, Year.now().getValue(), "the host clock is untouched");
		long mask = capBnd(exec("clock", "grep", "CapBnd", "/proc/self/status").stdoutText());
		assertEquals(0, mask & (1L << 25), "no CAP_SYS_TIME");
		assertEquals(0, mask & (1L << 16), "no CAP_SYS_MODULE");
		assertEquals(0, mask & (1L << 17), "no CAP_SYS_RAWIO");
		assertNotEquals(0, mask & (1L << 21), "CAP_SYS_ADMIN stays (mounts inside a system container)");
		long initMask = capBnd(Files.readAllLines(Path.of("/proc", Long.toString(t.engine.get("clock").get().initPid()),
				"status")).stream().filter(l -> l.startsWith("CapBnd")).findFirst().orElseThrow());
		assertEquals(0, initMask & (1L << 25), "init has no CAP_SYS_TIME either");

		// busybox's date reports the refusal but exits 0: the clock is what counts
		t.define(busybox("bbclock").build());
		t.start("bbclock");
		ExecResult bb = exec("bbclock", "date", "-s", "2000-01-01");
		assertTrue((bb.stdoutText() + bb.stderrText()).contains("Operation not permitted"), bb.stderrText());
		assertEquals(year, Year.now().getValue(), "the host clock is untouched");
	}

	/** Reads a kernel file by streaming: Files.readString trusts the size of 0 that /proc and /sys report. */
	private static String text(Path file) throws java.io.IOException {
		try (var in = Files.newInputStream(file)) {
			return new String(in.readAllBytes());
		}
	}

	private static long capBnd(String line) {
		return Long.parseLong(line.substring(line.indexOf(':') + 1).trim(), 16);
	}

	@Test
	void aMemoryHogIsOomKilledAndInitSurvives() throws Exception {
		t.define(busybox("hog").limits(Limits.NONE.withMemoryBytes(32 * Sizes.MIB)).build());
		ContainerSnapshot s = t.start("hog");
		String memoryLine = Files.readAllLines(Path.of("/proc", Long.toString(s.initPid()), "cgroup")).stream()
				.filter(l -> l.matches("\\d+:memory:.*")).findFirst().orElseThrow();
		Path group = Path.of("/sys/fs/cgroup/memory", memoryLine.split(":", 3)[2]);
		assertEquals(32 * Sizes.MIB, Long.parseLong(text(group.resolve("memory.limit_in_bytes")).trim()));

		ExecResult r = exec("hog", "sh", "-c", "x=aaaaaaaaaaaaaaaa; while :; do x=$x$x; done");
		assertNotEquals(0, r.exitCode(), "the hog dies");
		assertTrue(ProcessHandle.of(s.initPid()).map(ProcessHandle::isAlive).orElse(false), "init survives");
		Usage u = await(t.engine.usage("hog"));
		assertTrue(u.oomKills() >= 1, "stats report the OOM kill: " + u);
		assertEquals(32 * Sizes.MIB, u.memoryLimitBytes());
	}

	@Test
	void freezeStopsEveryProcessAndThawResumes() throws Exception {
		t.define(busybox("ice").build());
		ContainerSnapshot s = t.start("ice");
		assertEquals(ContainerState.FROZEN, await(t.engine.freeze("ice")).state());
		String freezerLine = Files.readAllLines(Path.of("/proc", Long.toString(s.initPid()), "cgroup")).stream()
				.filter(l -> l.matches("\\d+:freezer:.*")).findFirst().orElseThrow();
		Path group = Path.of("/sys/fs/cgroup/freezer", freezerLine.split(":", 3)[2]);
		assertEquals("FROZEN", text(group.resolve("freezer.state")).trim());
		assertThrows(IllegalTransitionException.class, () -> await(t.engine.exec("ice", ExecRequest.of("true"))));
		assertEquals(ContainerState.RUNNING, await(t.engine.thaw("ice")).state());
		assertEquals("THAWED", text(group.resolve("freezer.state")).trim());
		assertEquals(0, exec("ice", "true").exitCode());
	}

	@Test
	void stopIsGracefulWithTheHaltSignal() throws Exception {
		t.define(busybox("calm").build());
		t.start("calm");
		ContainerSnapshot stopped = await(t.engine.stop("calm", Duration.ofSeconds(20)));
		assertEquals(ContainerState.STOPPED, stopped.state());
		assertNotNull(stopped.lastExit());
		assertEquals("powered off", stopped.lastExit(), "busybox init powered off on SIGUSR2");
		String console = text(t.engine.consoleLog("calm"));
		assertTrue(console.contains("berth: calm is up"), console);
	}

	@Test
	void stopFallsBackToSigkillAfterTheTimeout() throws Exception {
		// a shell as init ignores every signal it has no handler for: only SIGKILL ends it
		t.define(busybox("stubborn").init(List.of("/bin/sh", "-c", "while :; do sleep 1; done")).build());
		t.start("stubborn");
		ContainerSnapshot stopped = await(t.engine.stop("stubborn", Duration.ofMillis(500)));
		assertEquals(ContainerState.STOPPED, stopped.state());
		assertEquals("killed by SIGKILL", stopped.lastExit());
	}

	@Test
	void badInputIsRefusedWithASentenceAndLeavesNothing() throws Exception {
		InvalidSpecException badName = assertThrows(InvalidSpecException.class,
				() -> t.define(busybox("bad name!").build()));
		assertTrue(badName.getMessage().contains("bad name!"), badName.getMessage());

		InvalidSpecException template = assertThrows(InvalidSpecException.class,
				() -> t.define(ContainerSpec.builder("t1").template("nosuch").build()));
		assertTrue(template.getMessage().contains("nosuch"), template.getMessage());

		InvalidSpecException share = assertThrows(InvalidSpecException.class,
				() -> t.define(busybox("t2").namespace(NamespaceSpec.share(NamespaceType.UTS, "ghost")).build()));
		assertTrue(share.getMessage().contains("ghost"), share.getMessage());

		assertThrows(NoSuchContainerException.class, () -> t.start("ghost"));
		try (var dirs = Files.list(t.configRoot)) {
			assertEquals(List.of(), dirs.filter(d -> !d.getFileName().toString().startsWith(".")).toList(),
					"nothing half-created");
		}

		t.define(busybox("twice").build());
		assertThrows(ContainerExistsException.class, () -> t.define(busybox("twice").build()));
		t.start("twice");
		IllegalTransitionException again = assertThrows(IllegalTransitionException.class, () -> t.start("twice"));
		assertTrue(again.getMessage().contains("already running"), again.getMessage());

		// a limit below what the container uses now: the kernel refuses, the spec stays as it was
		assertEquals(0, exec("twice", "dd", "if=/dev/zero", "of=/dev/shm/fill", "bs=1M", "count=24").exitCode());
		BerthException below = assertThrows(BerthException.class,
				() -> await(t.engine.setLimits("twice", Limits.NONE.withMemoryBytes(8 * Sizes.MIB))));
		assertTrue(below.getMessage().toLowerCase().contains("memory"), below.getMessage());
		assertEquals(null, t.engine.get("twice").get().spec().limits().memoryBytes(), "the spec is unchanged");
		assertEquals(null, t.reopen().get("twice").get().spec().limits().memoryBytes(), "and so is the file");
	}

	@Test
	void theEngineRefusesAShareCycle() throws Exception {
		t.define(busybox("cyc-a").build());
		t.define(busybox("cyc-b").namespace(NamespaceSpec.share(NamespaceType.UTS, "cyc-a")).build());
		ContainerSpec before = t.engine.get("cyc-a").get().spec();
		ContainerSpec cycle = before.toBuilder().namespace(NamespaceSpec.share(NamespaceType.IPC, "cyc-b")).build();
		InvalidSpecException refused = assertThrows(InvalidSpecException.class, () -> await(t.engine.update(cycle)));
		assertTrue(refused.getMessage().contains("cyc-a shares cyc-b's ipc while cyc-b shares cyc-a's uts: a share"
				+ " cycle, neither could start"), refused.getMessage());
		assertEquals(before, t.engine.get("cyc-a").get().spec(), "the spec is unchanged");
		assertEquals(before, t.reopen().get("cyc-a").get().spec(), "and so is the file");
	}

	@Test
	void limitsChangeLiveAndPersist() throws Exception {
		t.define(busybox("live").build());
		ContainerSnapshot s = t.start("live");
		await(t.engine.setLimits("live", Limits.NONE.withMemoryBytes(200 * Sizes.MIB).withPids(50L)));
		String pidsLine = Files.readAllLines(Path.of("/proc", Long.toString(s.initPid()), "cgroup")).stream()
				.filter(l -> l.matches("\\d+:pids:.*")).findFirst().orElseThrow();
		assertEquals("50", text(Path.of("/sys/fs/cgroup/pids", pidsLine.split(":", 3)[2], "pids.max"))
				.trim());
		assertEquals(200 * Sizes.MIB, t.reopen().get("live").get().spec().limits().memoryBytes());
	}

	@Test
	void aLaterProcessFindsRunningContainersAgain() throws Exception {
		t.define(busybox("keep").build());
		ContainerSnapshot first = t.start("keep");
		LinuxEngine later = t.reopen();
		ContainerSnapshot found = later.get("keep").orElseThrow();
		assertEquals(ContainerState.RUNNING, found.state());
		assertEquals(first.initPid(), found.initPid());
		assertEquals("keep", await(later.exec("keep", ExecRequest.of("hostname"))).stdoutText().trim());
		// a third one that listens watches the monitor it found, which is not its child
		LinuxEngine listening = t.reopen();
		listening.addListener(event -> {
		});
		assertEquals(ContainerState.STOPPED, await(later.kill("keep")).state());
		later.close();
		// the first engine learns of the end from the monitor's exit, and so does the listening one
		Await.until("the first engine sees keep stopped", TestEngine.TIMEOUT,
				() -> t.engine.get("keep").get().state() == ContainerState.STOPPED);
		Await.until("the listening engine sees keep stopped", TestEngine.TIMEOUT,
				() -> listening.get("keep").get().state() == ContainerState.STOPPED);
		listening.close();
	}

	@Test
	void whatAnotherProcessDoesReachesAListeningEngine() throws Exception {
		List<EngineEvent> heard = new CopyOnWriteArrayList<>();
		t.engine.addListener(heard::add);
		LinuxEngine other = t.reopen(); // as the berth command line beside a console
		try {
			await(other.define(busybox("ext").build()));
			Await.until("the listening engine knows of ext", TestEngine.TIMEOUT, () -> t.engine.get("ext").isPresent());
			assertTrue(t.engine.list().stream().anyMatch(s -> s.name().equals("ext")));

			ContainerSnapshot started = await(other.start("ext"));
			Await.until("it sees ext running with the other's init", TestEngine.TIMEOUT,
					() -> t.engine.get("ext").get().state() == ContainerState.RUNNING
							&& t.engine.get("ext").get().initPid() == started.initPid());
			assertEquals("ext", await(t.engine.exec("ext", ExecRequest.of("hostname"))).stdoutText().trim());
			await(other.freeze("ext"));
			Await.until("it sees ext frozen", TestEngine.TIMEOUT,
					() -> t.engine.get("ext").get().state() == ContainerState.FROZEN);
			await(other.thaw("ext"));
			Await.until("and thawed", TestEngine.TIMEOUT,
					() -> t.engine.get("ext").get().state() == ContainerState.RUNNING);

			ContainerSpec limited = busybox("ext").limits(Limits.NONE.withPids(64L)).build();
			await(other.update(limited));
			Await.until("it sees the new limit", TestEngine.TIMEOUT,
					() -> t.engine.get("ext").get().spec().limits().equals(limited.limits()));

			await(other.kill("ext"));
			Await.until("it sees ext stopped", TestEngine.TIMEOUT,
					() -> t.engine.get("ext").get().state() == ContainerState.STOPPED);
			ContainerSnapshot again = await(other.start("ext"));
			Await.until("and running again, the new run", TestEngine.TIMEOUT,
					() -> t.engine.get("ext").get().initPid() == again.initPid());
			await(other.kill("ext"));
			Await.until("and stopped again", TestEngine.TIMEOUT,
					() -> t.engine.get("ext").get().state() == ContainerState.STOPPED);

			await(other.destroy("ext"));
			Await.until("it sees ext destroyed", TestEngine.TIMEOUT, () -> t.engine.get("ext").isEmpty());
			assertTrue(heard.stream().anyMatch(e -> e.kind() == EngineEvent.Kind.DEFINED && e.name().equals("ext")));
			// listeners hear on the engine's event thread, after the snapshot is gone
			Await.until("it tells its listeners ext is destroyed", TestEngine.TIMEOUT, () -> heard.stream()
					.anyMatch(e -> e.kind() == EngineEvent.Kind.DESTROYED && e.name().equals("ext")));
		} finally {
			other.close();
		}
	}

	@Test
	void anEngineForSomeContainersWorksOnThemAndRefusesWhatNeedsTheOthers() throws Exception {
		t.define(busybox("mine").build());
		t.define(busybox("other").share(NamespaceType.UTS, "mine").build());
		t.start("mine");
		t.start("other");
		LinuxEngine some = new LinuxEngine(t.config, Set.of("mine", "absent"));
		try {
			assertEquals(ContainerState.RUNNING, some.get("mine").orElseThrow().state());
			assertTrue(some.get("other").isEmpty(), "the other container is not loaded");
			assertTrue(some.get("absent").isEmpty());
			assertEquals("mine", await(some.exec("mine", ExecRequest.of("hostname"))).stdoutText().trim());
			assertTrue(await(some.usage("mine")).memoryBytes() > 0);
			assertTrue(await(some.memoryInUse("mine")) > 0, "memory alone, as berth list reads it");
			assertNull(await(some.memoryInUse("absent")));
			assertEquals("this engine was opened for absent, mine only and cannot list the containers; open it for"
					+ " all containers", assertThrows(IllegalStateException.class, some::list).getMessage());
			assertThrows(IllegalStateException.class, () -> some.destroy("mine"));
			ExecutionException start = assertThrows(ExecutionException.class,
					() -> some.start("other").get(TestEngine.TIMEOUT.toSeconds(), TimeUnit.SECONDS));
			assertTrue(start.getCause() instanceof BerthException || start.getCause() instanceof IllegalStateException,
					"start is refused: " + start.getCause());
			assertEquals(ContainerState.FROZEN, await(some.freeze("mine")).state());
			assertEquals(ContainerState.RUNNING, await(some.thaw("mine")).state());
			assertEquals(ContainerState.STOPPED, await(some.kill("mine")).state());
			assertNull(await(some.memoryInUse("mine")), "a stopped container uses none that can be told");
		} finally {
			some.close();
		}
		// the whole engine learns of it from the monitor's exit; the other container was left alone
		Await.until("the whole engine sees mine stopped", TestEngine.TIMEOUT,
				() -> t.engine.get("mine").get().state() == ContainerState.STOPPED);
		assertEquals(ContainerState.RUNNING, t.engine.get("other").get().state());
	}

	@Test
	void vethContainersTalkOverTheTestBridge() throws Exception {
		t.define(busybox("n1").network(NetworkSpec.veth(null, null)).build());
		t.define(busybox("n2").network(NetworkSpec.veth(null, null)).build());
		t.start("n1");
		t.start("n2");
		String a1 = t.engine.get("n1").get().spec().network().address().split("/")[0];
		ExecResult ping = exec("n2", "ping", "-c", "3", "-W", "2", a1);
		assertEquals(0, ping.exitCode(), ping.stdoutText() + ping.stderrText());
		Usage u = await(t.engine.usage("n1"));
		assertTrue(u.netRxBytes() > 0 && u.netTxBytes() > 0, "rx/tx counted: " + u);
	}

	@Test
	void userAndTimeNamespacesMapIdsAndShiftClocks() throws Exception {
		t.define(busybox("shifted").namespace(NamespaceType.USER, NamespaceMode.NEW)
				.uidMap(new IdMap(0, 200000, 65536)).gidMap(new IdMap(0, 200000, 65536))
				.namespace(NamespaceType.TIME, NamespaceMode.NEW).boottimeOffsetSeconds(86400).build());
		ContainerSnapshot s = t.start("shifted");
		String uid = Files.readAllLines(Path.of("/proc", Long.toString(s.initPid()), "status")).stream()
				.filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
		assertEquals("200000", uid.split("\\s+")[1], "init runs as host uid 200000: " + uid);
		assertEquals("0", exec("shifted", "id", "-u").stdoutText().trim(), "and is root inside");
		double hostUptime = Double.parseDouble(text(Path.of("/proc/uptime")).split(" ")[0]);
		double inside = Double.parseDouble(exec("shifted", "cat", "/proc/uptime").stdoutText().split(" ")[0]);
		assertTrue(inside - hostUptime > 86000, "boot time is a day ahead inside: " + inside + " vs " + hostUptime);
	}

	@Test
	void applicationContainerRunsOneProgramUnderAReapingInit() throws Exception {
		t.define(busybox("app").kind(ContainerKind.APPLICATION)
				.init(List.of("/bin/sh", "-c", "echo app-started; exec sleep 1000")).build());
		t.start("app");
		assertEquals("1", exec("app", "sh", "-c", "cat /proc/1/stat | cut -d' ' -f1").stdoutText().trim());
		String lo = exec("app", "ip", "link", "show", "lo").stdoutText();
		assertTrue(lo.contains(",UP"), "its own network namespace has lo up without any init script: " + lo);
		ContainerSnapshot stopped = await(t.engine.stop("app", Duration.ofSeconds(10)));
		assertEquals(ContainerState.STOPPED, stopped.state());
	}
}
