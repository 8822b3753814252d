package org.berth.core.linux.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.berth.core.BerthException;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.EngineEvent;
import org.berth.core.IllegalTransitionException;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceType;
import org.berth.core.linux.EngineConfig;
import org.berth.core.linux.internal.cgroup.FixtureCgroups;
import org.berth.core.linux.internal.proc.ProcStatus;
import org.berth.core.linux.internal.sys.Signals;
import org.berth.core.linux.internal.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's decisions on start, stop and rediscovery, without root: fake processes ({@link FakeProcesses}), a
 * fixture cgroup v2 tree ({@link FixtureCgroups}), temporary config and run folders, and a fake helper launch.
 * The build runs this class a second time as a normal user (see {@code releng/normal-user/bin/java}); it then checks that
 * it really does ({@value #EXPECT_NON_ROOT}).
 */
class EngineLogicTest {

	static final String EXPECT_NON_ROOT = "berth.test.expectNonRoot";
	private static final String PARENT = "berth-logic";
	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	Path base;
	private FakeProcesses procs;
	private FixtureCgroups cgroups;
	private EngineConfig config;
	private Path rootfs;
	private LinuxEngine engine;
	private final List<EngineEvent> events = new CopyOnWriteArrayList<>();
	private final List<String> launches = new CopyOnWriteArrayList<>();
	/** The init pid the fake helper gives the next start (its monitor is the next pid). */
	private long nextInit = 2001;

	@BeforeEach
	void setUp() throws IOException {
		procs = new FakeProcesses(base.resolve("proc"));
		cgroups = FixtureCgroups.unified(base.resolve("cgfs"));
		Path helper = Files.writeString(base.resolve("berth-helper"), "#!/bin/sh\nexit 1\n");
		Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
		rootfs = Files.createDirectories(base.resolve("rootfs"));
		config = EngineConfig.defaults().withRoots(base.resolve("config"), base.resolve("run"))
				.withCgroupParent(PARENT).withHelper(helper);
	}

	@AfterEach
	void tearDown() {
		if (engine != null) {
			engine.close();
		}
	}

	private LinuxEngine open() throws BerthException {
		engine = new LinuxEngine(config, null, procs, cgroups::driver, this::launch);
		engine.addListener(events::add);
		return engine;
	}

	/** The fake helper: announces a child, lets the engine record it, reports ready. */
	private HelperProcess.Ready launch(String name, List<String> argv, Path log, boolean sync,
			HelperProcess.Cloned cloned, Duration timeout) throws BerthException {
		launches.add(name);
		long init = nextInit;
		long monitor = init + 1;
		nextInit += 10;
		procs.spawn(init, 7000 + init);
		procs.spawn(monitor, 7000 + monitor);
		cloned.cloned(init, monitor);
		return new HelperProcess.Ready(init, monitor);
	}

	private ContainerSpec spec(String name) {
		return ContainerSpec.builder(name).template(null).rootfs(rootfs.toString()).build();
	}

	/** A container defined on disk and recorded as running with this init, as a process before this one left it. */
	private String recordRun(String name, long initPid, long startTicks, long monitorPid) throws Exception {
		new ConfigStore(config.configRoot()).save(spec(name));
		String rel = PARENT + "/" + name + "-1";
		cgroups.driver().create(rel);
		cgroups.addProcess(rel, initPid);
		RunDir run = new RunDir(config.runRoot().resolve(name));
		run.prepareForStart();
		run.writeState(new RunDir.State(initPid, startTicks, monitorPid, rel, 1_000L, null));
		return rel;
	}

	private static <T> T await(CompletableFuture<T> f) throws Exception {
		try {
			return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		} catch (ExecutionException e) {
			throw (Exception) e.getCause();
		}
	}

	private long stoppedEvents(String name) {
		return events.stream().filter(e -> e.name().equals(name) && e.kind() == EngineEvent.Kind.STATE_CHANGED
				&& e.snapshot().state() == ContainerState.STOPPED).count();
	}

	private boolean runRecorded(String name) {
		return Files.exists(config.runRoot().resolve(name).resolve(RunDir.STATE));
	}

	@Test
	void runsAsANormalUserWhenTheBuildSaysSo() throws IOException {
		if (Boolean.getBoolean(EXPECT_NON_ROOT)) {
			String uid = ProcStatus.read(Path.of("/proc"), ProcessHandle.current().pid()).field("Uid").orElseThrow();
			assertNotEquals("0", uid.split("\\s+")[1], "this execution is meant to run without root: " + uid);
		}
	}

	@Test
	void aRecordedRunWhoseInitLivesWithItsStartTimeIsFoundRunning() throws Exception {
		procs.spawn(501, 9001);
		procs.spawn(502, 9002);
		recordRun("c1", 501, 9001, 502);
		ContainerSnapshot c1 = open().get("c1").orElseThrow();
		assertEquals(ContainerState.RUNNING, c1.state());
		assertEquals(501, c1.initPid());
		assertTrue(runRecorded("c1"));
		assertEquals(NamespaceMode.NEW, c1.namespaces().get(NamespaceType.PID).actualMode(), "classified by inode");
		Await.until("its monitor is watched (a listener was added)", WAIT, () -> procs.watchers(502) == 1);
	}

	@Test
	void aReusedPidIsNotTheRecordedInitTheRunIsCleanedUp() throws Exception {
		procs.spawn(501, 1234); // the pid lives, but it started at another time: another process
		String rel = recordRun("c1", 501, 9001, 502);
		ContainerSnapshot c1 = open().get("c1").orElseThrow();
		assertEquals(ContainerState.STOPPED, c1.state());
		assertEquals(0, c1.initPid());
		assertFalse(runRecorded("c1"), "the run record is cleared");
		assertFalse(cgroups.exists(rel), "the cgroup of that run is removed");
		assertEquals(List.of(), procs.signals(), "the process that reused the pid got no signal");
	}

	@Test
	void aFrozenCgroupIsFoundFrozen() throws Exception {
		procs.spawn(501, 9001);
		procs.spawn(502, 9002);
		String rel = recordRun("c1", 501, 9001, 502);
		cgroups.driver().open(rel).freeze();
		assertEquals(ContainerState.FROZEN, open().get("c1").orElseThrow().state());
	}

	@Test
	void theEndOfAMonitorSettlesTheContainerOnceAndCleansUp() throws Exception {
		procs.spawn(501, 9001);
		procs.spawn(502, 9002);
		String rel = recordRun("c1", 501, 9001, 502);
		open();
		Await.until("its monitor is watched", WAIT, () -> procs.watchers(502) == 1);
		Files.writeString(config.runRoot().resolve("c1").resolve(RunDir.EXIT), "exited 3\n");
		procs.exit(501);
		procs.exit(502);
		Await.until("c1 is stopped", WAIT, () -> engine.get("c1").orElseThrow().state() == ContainerState.STOPPED);
		assertEquals("exited with status 3", engine.get("c1").orElseThrow().lastExit());
		assertFalse(runRecorded("c1"));
		assertFalse(cgroups.exists(rel));
		await(engine.start("c1")); // a later operation on c1 runs after every clean-up queued before it
		Await.until("the listeners heard the stop", WAIT, () -> stoppedEvents("c1") >= 1);
		assertEquals(1, stoppedEvents("c1"), "settled once: " + events);
	}

	@Test
	void startingARunningContainerIsRefused() throws Exception {
		procs.spawn(501, 9001);
		procs.spawn(502, 9002);
		recordRun("c1", 501, 9001, 502);
		open();
		assertInstanceOf(IllegalTransitionException.class, assertThrows(IllegalTransitionException.class,
				() -> await(engine.start("c1"))));
		assertEquals(List.of(), launches, "no helper was run");
	}

	@Test
	void startRecordsTheRunInAFreshCgroupAndWatchesTheMonitor() throws Exception {
		open();
		await(engine.define(spec("c1")));
		ContainerSnapshot running = await(engine.start("c1"));
		assertEquals(ContainerState.RUNNING, running.state());
		assertEquals(2001, running.initPid());
		RunDir.State state = new RunDir(config.runRoot().resolve("c1")).readState().orElseThrow();
		assertEquals(7000 + 2001, state.initStartTicks(), "the start time read for the pid the helper announced");
		assertEquals(2002, state.monitorPid());
		assertTrue(cgroups.exists(state.cgroup()) && state.cgroup().startsWith(PARENT + "/c1-"), state.cgroup());
		assertEquals(1, procs.watchers(2002));
		Await.until("the events of the start", WAIT, () -> events.stream().filter(e -> e.name().equals("c1")
				&& e.kind() == EngineEvent.Kind.STATE_CHANGED).map(e -> e.snapshot().state()).toList()
				.equals(List.of(ContainerState.STARTING, ContainerState.RUNNING)));
	}

	@Test
	void aFailedStartLeavesNoCgroupAndNoRecord() throws Exception {
		open();
		await(engine.define(spec("c1")));
		Files.delete(rootfs);
		BerthException e = assertThrows(BerthException.class, () -> await(engine.start("c1")));
		assertTrue(e.getMessage().contains("is missing"), e.getMessage());
		assertEquals(ContainerState.STOPPED, engine.get("c1").orElseThrow().state());
		assertEquals(List.of(), cgroups.driver().listGroups(PARENT));
		assertFalse(runRecorded("c1"));
	}

	@Test
	void stopSendsTheHaltSignalThenSigkillAfterTheTimeout() throws Exception {
		procs.spawn(501, 9001);
		procs.spawn(502, 9002);
		String rel = recordRun("c1", 501, 9001, 502);
		procs.onSignal((pid, signal) -> {
			if (signal == Signals.SIGKILL) { // init dies, the monitor reaps it and ends
				procs.exit(pid);
				procs.exit(502);
			}
		});
		open();
		long begin = System.nanoTime();
		ContainerSnapshot stopped = await(engine.stop("c1", Duration.ofMillis(300)));
		long tookMillis = (System.nanoTime() - begin) / 1_000_000;
		assertEquals(ContainerState.STOPPED, stopped.state());
		List<String> signals = procs.signals();
		assertEquals("501:" + Signals.SIGKILL, signals.get(signals.size() - 1), "SIGKILL last: " + signals);
		assertTrue(signals.size() >= 2 && signals.subList(0, signals.size() - 1).stream()
				.allMatch(s -> s.equals("501:" + Signals.SIGUSR2)), "the halt signal (SIGUSR2) first: " + signals);
		assertTrue(tookMillis >= 300, "SIGKILL only after the timeout: " + tookMillis + " ms");
		assertFalse(cgroups.writesTo("cgroup.kill").isEmpty(), "the whole cgroup is killed at once");
		assertFalse(cgroups.exists(rel));
		assertFalse(runRecorded("c1"));
		// the event goes to the listeners on the engine's dispatch thread: it may come just after the future
		Await.until("the listeners heard the stop", WAIT, () -> stoppedEvents("c1") >= 1);
		assertEquals(1, stoppedEvents("c1"), "stopped once: " + events);
	}

	@Test
	void destroyTakesTheContainersHistoryFileWithIt() throws Exception {
		open();
		await(engine.define(spec("c1")));
		Path history = Files.createDirectories(config.configRoot().resolve(".history")).resolve("c1.history");
		Files.writeString(history, "kept by an agent that is away");
		Path other = Files.writeString(history.resolveSibling("c2.history"), "another container's");
		await(engine.destroy("c1"));
		assertFalse(Files.exists(history), "a later c1 starts with no history");
		assertTrue(Files.exists(other));
	}

	@Test
	void anInitThatHaltsIsNotKilled() throws Exception {
		procs.spawn(501, 9001);
		procs.spawn(502, 9002);
		recordRun("c1", 501, 9001, 502);
		procs.onSignal((pid, signal) -> {
			if (signal == Signals.SIGUSR2) {
				procs.exit(pid);
				procs.exit(502);
			}
		});
		open();
		assertEquals(ContainerState.STOPPED, await(engine.stop("c1", Duration.ofSeconds(5))).state());
		assertEquals(List.of("501:" + Signals.SIGUSR2), procs.signals(), "no SIGKILL");
	}

	@Test
	void aSharedNamespaceIsTracedToTheContainerThatMadeIt() throws Exception {
		procs.spawn(501, 9001);
		procs.spawn(502, 9002);
		procs.spawnSharing(601, 9101, NamespaceType.NET, 501);
		procs.spawn(602, 9102);
		recordRun("a", 501, 9001, 502);
		new ConfigStore(config.configRoot()).save(ContainerSpec.builder("b").template(null).rootfs(rootfs.toString())
				.share(NamespaceType.NET, "a").build());
		RunDir run = new RunDir(config.runRoot().resolve("b"));
		run.prepareForStart();
		cgroups.driver().create(PARENT + "/b-2");
		run.writeState(new RunDir.State(601, 9101, 602, PARENT + "/b-2", 2_000L, null));
		open();
		assertEquals("a", engine.get("b").orElseThrow().namespaces().get(NamespaceType.NET).sharedWith());
		assertEquals(NamespaceMode.NEW, engine.get("b").orElseThrow().namespaces().get(NamespaceType.UTS).actualMode());
	}

	@Test
	void aNamespaceSharedBySeveralIsTracedToTheFirstOfTheEarlierOnesByName() throws Exception {
		// started in this order: c (makes uts), b (c's uts), a (c's uts, b's ipc), d (its own)
		procs.spawn(501, 9501);
		procs.spawnSharing(511, 9511, NamespaceType.UTS, 501);
		procs.spawnSharing(521, 9521, NamespaceType.UTS, 501);
		procs.share(521, NamespaceType.IPC, 511);
		procs.spawn(531, 9531);
		long started = 1_000;
		for (String name : List.of("c", "b", "a", "d")) {
			long init = 501 + 10 * (started - 1_000) / 1_000;
			procs.spawn(init + 1, 9000 + init + 1);
			new ConfigStore(config.configRoot()).save(spec(name));
			cgroups.driver().create(PARENT + "/" + name + "-1");
			RunDir run = new RunDir(config.runRoot().resolve(name));
			run.prepareForStart();
			run.writeState(new RunDir.State(init, 9000 + init, init + 1, PARENT + "/" + name + "-1", started, null));
			started += 1_000;
		}
		open();
		assertEquals(NamespaceMode.NEW, engine.get("c").orElseThrow().namespaces().get(NamespaceType.UTS).actualMode());
		assertEquals("c", engine.get("b").orElseThrow().namespaces().get(NamespaceType.UTS).sharedWith());
		assertEquals("b", engine.get("a").orElseThrow().namespaces().get(NamespaceType.UTS).sharedWith(),
				"b and c were started before a and both have it: the first by name");
		assertEquals("b", engine.get("a").orElseThrow().namespaces().get(NamespaceType.IPC).sharedWith());
		assertEquals(NamespaceMode.NEW, engine.get("b").orElseThrow().namespaces().get(NamespaceType.IPC).actualMode(),
				"a shares b's ipc, but a was started later: b made it");
		assertEquals(NamespaceMode.NEW, engine.get("d").orElseThrow().namespaces().get(NamespaceType.UTS).actualMode());
	}

	@Test
	void whatAnotherProcessDoesInTheFoldersReachesTheListeners() throws Exception {
		new ConfigStore(config.configRoot()).save(spec("c1"));
		open();
		assertEquals(ContainerState.STOPPED, engine.get("c1").orElseThrow().state());
		// another process starts c1: its run folder appears at once, record inside
		procs.spawn(701, 9701);
		procs.spawn(702, 9702);
		cgroups.driver().create(PARENT + "/c1-5");
		Path elsewhere = Files.createDirectories(base.resolve("elsewhere/c1"));
		new RunDir(elsewhere).writeState(new RunDir.State(701, 9701, 702, PARENT + "/c1-5", 5_000L, null));
		Files.move(elsewhere, config.runRoot().resolve("c1"));
		Await.until("c1 is seen running", WAIT, () -> engine.get("c1").orElseThrow().initPid() == 701);
		assertEquals(ContainerState.RUNNING, engine.get("c1").orElseThrow().state());
		Await.until("its monitor is watched", WAIT, () -> procs.watchers(702) == 1);
		procs.exit(701);
		procs.exit(702);
		Await.until("c1 is seen stopped", WAIT,
				() -> engine.get("c1").orElseThrow().state() == ContainerState.STOPPED);
		// and destroys it
		new ConfigStore(config.configRoot()).delete("c1");
		Await.until("c1 is gone", WAIT, () -> engine.get("c1").isEmpty());
		Await.until("the listeners heard it", WAIT,
				() -> events.stream().anyMatch(e -> e.kind() == EngineEvent.Kind.DESTROYED && e.name().equals("c1")));
	}

	@Test
	void anEngineForSomeContainersLoadsOnlyThose() throws Exception {
		new ConfigStore(config.configRoot()).save(spec("c1"));
		new ConfigStore(config.configRoot()).save(spec("c2"));
		engine = new LinuxEngine(config, Set.of("c1"), procs, cgroups::driver, this::launch);
		assertTrue(engine.get("c1").isPresent());
		assertTrue(engine.get("c2").isEmpty());
		assertThrows(IllegalStateException.class, engine::list);
	}
}
