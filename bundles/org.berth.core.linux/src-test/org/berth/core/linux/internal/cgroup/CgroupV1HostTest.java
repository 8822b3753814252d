package org.berth.core.linux.internal.cgroup;

import org.berth.core.linux.internal.proc.ProcCgroup;
import org.berth.core.linux.internal.proc.ProcStat;
import org.berth.core.linux.internal.sys.Errno;
import org.berth.core.linux.internal.sys.Sys;
import org.berth.core.linux.internal.sys.SysException;
import org.berth.core.linux.internal.testing.Await;
import org.berth.core.linux.internal.testing.ChildProcess;
import org.berth.core.linux.internal.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The v1 driver on this machine's real hierarchies. Needs root and a v1 (or hybrid) host; skipped otherwise. */
class CgroupV1HostTest {
	private static final Duration WAIT = Duration.ofSeconds(10);

	private CgroupV1Driver driver;
	private String parent;
	private Group group;
	private final HostGroups host = new HostGroups();

	@BeforeEach
	void createGroup() throws IOException {
		assumeTrue(Host.isRoot(), "cgroup v1 needs root");
		CgroupDriver detected = CgroupDriver.detect();
		assumeTrue(detected instanceof CgroupV1Driver, "not a v1 host: " + detected.description());
		driver = (CgroupV1Driver) detected;
		parent = "berth-test-" + Host.randomSuffix();
		group = driver.create(parent + "/c1");
	}

	@AfterEach
	void removeEverything() throws Exception {
		if (driver != null) {
			host.cleanUp(driver, group, parent, roots());
		}
	}

	private List<Path> roots() {
		List<Path> roots = new ArrayList<>(
				driver.hierarchies().stream().map(CgroupV1Driver.Hierarchy::mountPoint).toList());
		driver.unifiedMount().ifPresent(roots::add);
		return roots;
	}

	private Path dir(String controller) {
		return ((CgroupV1Driver.V1Group) group).dir(controller).orElseThrow();
	}

	private static String read(Path file) throws IOException {
		return String.join("\n", Files.readAllLines(file)).trim();
	}

	@Test
	void createCopiesCpusetDownAndRestrictsDevices() throws Exception {
		Path cpusetRoot = dir("cpuset").getParent().getParent();
		assertEquals(read(cpusetRoot.resolve("cpuset.cpus")), read(dir("cpuset").resolve("cpuset.cpus")));
		assertEquals(read(cpusetRoot.resolve("cpuset.mems")), read(dir("cpuset").resolve("cpuset.mems")));
		List<String> devices = Files.readAllLines(dir("devices").resolve("devices.list"));
		assertTrue(devices.contains("c 1:3 rwm"), devices.toString());
		assertTrue(devices.contains("c 136:* rwm"), devices.toString());
		assertFalse(devices.contains("a *:* rwm"), devices.toString());
		assertEquals(List.of("c1"), driver.listGroups(parent));
		assertEquals(Errno.EEXIST, assertThrows(SysException.class, () -> driver.create(parent + "/c1")).errno());
		assertTrue(group.exists(), "the failed second create did not roll back the first group");
	}

	/** The new parent holds the device rules and clones cpus and mems, so a group made below it starts with both. */
	@Test
	void theNextGroupIsMadeWithTheParentsCpusetAndDeviceRules() throws Exception {
		Set<String> allowlist = Set.copyOf(CgroupV1Driver.DEVICE_ALLOWLIST);
		Path devicesParent = dir("devices").getParent();
		assertEquals(allowlist, Set.copyOf(Files.readAllLines(devicesParent.resolve("devices.list"))));
		assertEquals(allowlist, Set.copyOf(Files.readAllLines(dir("devices").resolve("devices.list"))));
		assertEquals("1", read(dir("cpuset").getParent().resolve("cgroup.clone_children")));
		Group next = driver.create(parent + "/c2");
		try {
			Path cpuset = ((CgroupV1Driver.V1Group) next).dir("cpuset").orElseThrow();
			Path cpusetRoot = cpuset.getParent().getParent();
			assertEquals(read(cpusetRoot.resolve("cpuset.cpus")), read(cpuset.resolve("cpuset.cpus")));
			assertEquals(read(cpusetRoot.resolve("cpuset.mems")), read(cpuset.resolve("cpuset.mems")));
			Path devices = ((CgroupV1Driver.V1Group) next).dir("devices").orElseThrow();
			assertEquals(allowlist, Set.copyOf(Files.readAllLines(devices.resolve("devices.list"))));
			// the kernel refuses a group more than its parent allows
			assertThrows(SysException.class, () -> Sys.writeFile(devices.resolve("devices.allow"), "b 8:0 rwm"));
			assertEquals(allowlist, Set.copyOf(Files.readAllLines(devices.resolve("devices.list"))));
		} finally {
			next.remove();
		}
	}

	@Test
	void limitsAreReadBack() throws Exception {
		group.apply(new CgroupLimits(64L << 20, 128L << 20, 50_000L, 100_000L, 200, "0", 16L));
		assertEquals("67108864", read(dir("memory").resolve("memory.limit_in_bytes")));
		assertEquals("134217728", read(dir("memory").resolve("memory.memsw.limit_in_bytes")));
		assertEquals("50000", read(dir("cpu").resolve("cpu.cfs_quota_us")));
		assertEquals("2048", read(dir("cpu").resolve("cpu.shares")));
		assertEquals("0", read(dir("cpuset").resolve("cpuset.cpus")));
		assertEquals("16", read(dir("pids").resolve("pids.max")));
		CgroupStats stats = group.stats();
		assertEquals(64L << 20, stats.memoryLimit());
		assertEquals(128L << 20, stats.memorySwapLimit());
		assertEquals(16, stats.pidsLimit());

		group.apply(CgroupLimits.unlimited());
		assertEquals("9223372036854771712", read(dir("memory").resolve("memory.limit_in_bytes")));
		assertEquals(-1, group.stats().memoryLimit());
		assertEquals(-1, group.stats().pidsLimit());
		assertEquals(read(dir("cpuset").getParent().resolve("cpuset.cpus")),
				read(dir("cpuset").resolve("cpuset.cpus")));
	}

	@Test
	void aProcessIsPlacedFrozenThawedAndKilled() throws Exception {
		ChildProcess sleep = host.start("sleep", "300");
		HostGroups.place(group, sleep.pid());

		ProcCgroup cgroup = ProcCgroup.read(Path.of("/proc"), sleep.pid());
		assertEquals(roots().size(), cgroup.entries().size());
		for (ProcCgroup.Entry entry : cgroup.entries()) {
			assertEquals("/" + parent + "/c1", entry.path(), "hierarchy " + entry.controllers());
		}
		assertEquals(Set.of(sleep.pid()), group.pids());
		assertEquals(1, group.stats().pidsCurrent());

		group.freeze();
		assertTrue(group.frozen());
		assertEquals("FROZEN", read(dir("freezer").resolve("freezer.state")));
		Await.until("a frozen task in state D", WAIT,
				() -> ProcStat.read(Path.of("/proc"), sleep.pid()).state() == 'D');
		group.thaw();
		assertFalse(group.frozen());
		Await.until("the thawed sleep sleeping again", WAIT,
				() -> ProcStat.read(Path.of("/proc"), sleep.pid()).state() == 'S');

		CgroupStats stats = group.stats();
		assertTrue(stats.cpuUsageNanos() >= 0, stats.toString());
		assertTrue(stats.memoryCurrent() >= 0, stats.toString());
		assertEquals(0, stats.oomKills());

		group.killAll();
		assertEquals(Set.of(), group.pids());
		assertEquals(137, sleep.awaitExit(10));
		group.remove();
		assertFalse(group.exists());
	}

	@Test
	void killAllEndsAFrozenGroup() throws Exception {
		ChildProcess first = host.start("sleep", "300");
		ChildProcess second = host.start("sleep", "300");
		HostGroups.place(group, first.pid());
		HostGroups.place(group, second.pid());
		group.freeze();
		group.killAll();
		assertEquals(137, first.awaitExit(10));
		assertEquals(137, second.awaitExit(10));
		assertEquals(Set.of(), group.pids());
		assertFalse(group.frozen(), "killAll thaws so the killed tasks can die");
	}

	@Test
	void loweringMemoryBelowUsageIsExplained() throws Exception {
		Path shm = host.tempFile(Path.of("/dev/shm", parent));
		ChildProcess sh = host.start("sh", "-c",
				"read go; head -c 20971520 /dev/zero > " + shm + "; echo filled; read stop");
		HostGroups.place(group, sh.pid());
		OutputStream stdin = sh.process().getOutputStream();
		stdin.write("go\n".getBytes(StandardCharsets.US_ASCII));
		stdin.flush();
		BufferedReader stdout = new BufferedReader(new InputStreamReader(sh.process().getInputStream(),
				StandardCharsets.US_ASCII));
		assertEquals("filled", stdout.readLine());
		assertTrue(group.stats().memoryCurrent() >= 20L << 20, group.stats().toString());
		assertTrue(group.memoryCurrent() >= 20L << 20, "memory alone: " + group.memoryCurrent());

		SysException e = assertThrows(SysException.class,
				() -> group.apply(new CgroupLimits(4L << 20, null, null, null, null, null, null)));
		assertEquals(Errno.EBUSY, e.errno());
		assertTrue(e.getMessage().matches("cannot set memory limit of c1 to 4 MiB: the container uses 2\\d(\\.\\d)? MiB"
				+ " now \\(Device or resource busy\\)"), e.getMessage());
		assertEquals("set memory limit", e.operation());
		assertEquals(parent + "/c1", e.target());
	}

	@Test
	void removeTakesSubgroupsMadeInside() throws Exception {
		assertEquals(List.of(), group.subgroups());
		// what a systemd inside the container does in the hierarchies it sees
		Path scope = Files.createDirectories(dir("name=systemd").resolve("init.scope"));
		Files.createDirectories(dir("devices").resolve("system.slice/getty.service"));
		ChildProcess sleep = host.start("sleep", "300");
		HostGroups.place(group, sleep.pid());
		Sys.writeFile(scope.resolve("cgroup.procs"), Long.toString(sleep.pid()));
		assertEquals(Set.of(sleep.pid()), group.pids(), "pids() looks into sub-groups");
		// found by the folders' link counts, which the kernel keeps at 2 and one per sub-folder
		assertEquals(List.of("init.scope", "system.slice"), group.subgroups().stream().sorted().toList());

		group.killAll();
		assertEquals(137, sleep.awaitExit(10));
		group.remove();
		assertFalse(group.exists());
		assertEquals(List.of(), driver.listGroups(parent));
	}
}
