package org.berth.core.linux.internal.cgroup;

import org.berth.core.linux.internal.proc.ProcCgroup;
import org.berth.core.linux.internal.sys.Errno;
import org.berth.core.linux.internal.sys.SysException;
import org.berth.core.linux.internal.testing.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The v1 driver on a fake hybrid tree (see {@link FixtureCgroupIo} for what it imitates). */
class CgroupV1DriverTest {
	private static final List<String> HIERARCHIES = List.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer",
			"blkio", "pids", "systemd");

	@TempDir
	Path base;
	private Path cg;
	private FixtureCgroupIo io;
	private CgroupV1Driver driver;

	@BeforeEach
	void buildTree() throws IOException {
		FixtureCgroupIo[] ioOut = new FixtureCgroupIo[1];
		driver = FixtureCgroupTree.hybrid(base, ioOut);
		io = ioOut[0];
		cg = base.resolve("sys/fs/cgroup");
	}

	private String read(String rel) throws IOException {
		return Files.readString(cg.resolve(rel)).trim();
	}

	@Test
	void createMakesTheGroupInEveryHierarchyAndTheUnifiedMount() throws Exception {
		Group group = driver.create("berth/c1-7");
		for (String h : HIERARCHIES) {
			assertTrue(Files.isDirectory(cg.resolve(h + "/berth/c1-7")), h);
		}
		assertTrue(Files.isDirectory(cg.resolve("unified/berth/c1-7")));
		assertEquals(10, group.dirs().size());
		assertEquals(10, group.procsFiles().size());
		assertTrue(group.procsFiles().contains(cg.resolve("systemd/berth/c1-7/cgroup.procs")), "name=systemd too");
		assertTrue(group.procsFiles().contains(cg.resolve("unified/berth/c1-7/cgroup.procs")));
		assertEquals(Optional.of(cg.resolve("unified/berth/c1-7")), group.cloneIntoDir(),
				"init starts in the cgroup2 directory (and moves itself into the v1 groups)");
		assertEquals(Optional.of(cg.resolve("unified/berth/c1-7")), group.deviceProgramDir(),
				"the device program goes on the cgroup2 directory of a hybrid host");
		assertEquals(Optional.of(cg.resolve("freezer/berth/c1-7")), group.freezerDir(), "CRIU freezes by v1's freezer");
		assertTrue(group.exists());
		assertEquals("c1-7", group.name());
		assertEquals(List.of("c1-7"), driver.listGroups("berth"));
	}

	@Test
	void cpusetIsCopiedDownEveryNewLevelAndThenClonedToTheNextGroup() throws Exception {
		driver.create("berth/c1-7");
		assertEquals("0-1", read("cpuset/berth/cpuset.cpus"));
		assertEquals("0", read("cpuset/berth/cpuset.mems"));
		assertEquals("0-1", read("cpuset/berth/c1-7/cpuset.cpus"));
		assertEquals("0", read("cpuset/berth/c1-7/cpuset.mems"));
		assertEquals("1", read("cpuset/berth/cgroup.clone_children"), "the parent clones them from now on");
		assertEquals("0", read("cpuset/cgroup.clone_children"), "the host's root is left as it was");
		// the next group is made with them: nothing is written
		io.writes().clear();
		driver.create("berth/c3-9");
		assertEquals("0-1", read("cpuset/berth/c3-9/cpuset.cpus"));
		assertEquals("0", read("cpuset/berth/c3-9/cpuset.mems"));
		assertEquals(List.of(), io.writes().stream().filter(w -> w.contains("/cpuset/")).toList());
		// a parent someone else emptied gets fixed too
		Files.writeString(cg.resolve("cpuset/berth/cpuset.cpus"), "");
		driver.create("berth/c2-8");
		assertEquals("0-1", read("cpuset/berth/cpuset.cpus"));
		assertEquals("0-1", read("cpuset/berth/c2-8/cpuset.cpus"));
	}

	@Test
	void aNewParentGetsTheDeviceRulesAndItsGroupsAreMadeWithThem() throws Exception {
		driver.create("berth/c1-7");
		List<String> deviceWrites = io.writes().stream().filter(w -> w.contains("/devices.")).toList();
		assertEquals("sys/fs/cgroup/devices/berth/devices.deny=a", deviceWrites.get(0), "deny first, then allow");
		assertEquals(CgroupV1Driver.DEVICE_ALLOWLIST, io.writesTo("devices.allow"));
		assertTrue(deviceWrites.stream().allMatch(w -> w.startsWith("sys/fs/cgroup/devices/berth/devices.")),
				"only the parent is written; the group copied its rules: " + deviceWrites);
		assertEquals(Set.copyOf(CgroupV1Driver.DEVICE_ALLOWLIST),
				Set.copyOf(Files.readAllLines(cg.resolve("devices/berth/c1-7/devices.list"))));
		assertTrue(CgroupV1Driver.DEVICE_ALLOWLIST.containsAll(List.of("c 1:3 rwm", "c 5:2 rwm", "c 136:* rwm")));
		assertTrue(CgroupV1Driver.DEVICE_ALLOWLIST.stream().allMatch(r -> r.startsWith("c ") && !r.contains("*:")),
				"no block device and no mknod of any node: " + CgroupV1Driver.DEVICE_ALLOWLIST);
	}

	@Test
	void underAParentThatAllowsEveryDeviceTheGroupIsRestrictedItself() throws Exception {
		driver.create("berth/c1-7");
		// a parent that was there before (made by someone else, or widened): its new groups allow everything
		Files.writeString(cg.resolve("devices/berth/devices.list"), "a *:* rwm\n");
		io.writes().clear();
		driver.create("berth/c2-8");
		List<String> deviceWrites = io.writes().stream().filter(w -> w.contains("/devices.")).toList();
		assertEquals("sys/fs/cgroup/devices/berth/c2-8/devices.deny=a", deviceWrites.get(0));
		assertEquals(CgroupV1Driver.DEVICE_ALLOWLIST, io.writesTo("devices.allow"));
		assertEquals(Set.copyOf(CgroupV1Driver.DEVICE_ALLOWLIST),
				Set.copyOf(Files.readAllLines(cg.resolve("devices/berth/c2-8/devices.list"))));
		// one rule more or less than the allowlist is not taken as it either
		Files.writeString(cg.resolve("devices/berth/devices.list"),
				String.join("\n", CgroupV1Driver.DEVICE_ALLOWLIST) + "\nb 8:0 rwm\n");
		io.writes().clear();
		driver.create("berth/c3-9");
		assertEquals("sys/fs/cgroup/devices/berth/c3-9/devices.deny=a",
				io.writes().stream().filter(w -> w.contains("/devices.")).findFirst().orElseThrow());
	}

	@Test
	void groupsMadeAtOnceUnderANewParentAreAllRestricted() throws Exception {
		int n = 8;
		ExecutorService pool = Executors.newFixedThreadPool(n);
		try {
			List<Future<Group>> made = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				String rel = "berth/p" + i;
				made.add(pool.submit(() -> driver.create(rel)));
			}
			for (Future<Group> f : made) {
				f.get();
			}
		} finally {
			pool.shutdown();
		}
		for (int i = 0; i < n; i++) {
			assertEquals(Set.copyOf(CgroupV1Driver.DEVICE_ALLOWLIST),
					Set.copyOf(Files.readAllLines(cg.resolve("devices/berth/p" + i + "/devices.list"))), "p" + i);
			assertEquals("0-1", read("cpuset/berth/p" + i + "/cpuset.cpus"), "p" + i);
		}
	}

	@Test
	void whenAnotherProcessMadeAGroupInTheNewParentFirstTheGroupIsRestrictedItself() throws Exception {
		// someone else's group appears in the devices parent right after it is made: the kernel then refuses the
		// parent a new default (EINVAL), and the parent is left as it is
		io.afterMkdir(dir -> {
			if (dir.equals(cg.resolve("devices/berth"))) {
				try {
					Files.createDirectory(dir.resolve("theirs"));
				} catch (IOException e) {
					throw new UncheckedIOException(e);
				}
			}
		});
		driver.create("berth/c1-7");
		assertEquals(List.of("a *:* rwm"), Files.readAllLines(cg.resolve("devices/berth/devices.list")));
		assertEquals(Set.copyOf(CgroupV1Driver.DEVICE_ALLOWLIST),
				Set.copyOf(Files.readAllLines(cg.resolve("devices/berth/c1-7/devices.list"))));
		assertEquals("sys/fs/cgroup/devices/berth/c1-7/devices.deny=a",
				io.writes().stream().filter(w -> w.contains("/devices.")).findFirst().orElseThrow());
	}

	@Test
	void anExistingGroupIsNotReused() throws Exception {
		driver.create("berth/c1-7");
		Files.writeString(cg.resolve("memory/berth/c1-7/memory.limit_in_bytes"), "4096\n");
		SysException e = assertThrows(SysException.class, () -> driver.create("berth/c1-7"));
		assertEquals(Errno.EEXIST, e.errno());
		assertTrue(e.getMessage().startsWith("cannot create cgroup berth/c1-7: "), e.getMessage());
		assertTrue(e.getMessage().contains("exists already"), e.getMessage());
		assertEquals("4096", read("memory/berth/c1-7/memory.limit_in_bytes"), "the old group was left alone");
	}

	@Test
	void aFailedCreateRemovesWhatItMade() throws Exception {
		io.failMkdirWhen(dir -> dir.startsWith(cg.resolve("freezer")));
		SysException e = assertThrows(SysException.class, () -> driver.create("berth/c1-7"));
		assertEquals(Errno.EACCES, e.errno());
		assertTrue(e.getMessage().endsWith("Permission denied; this needs root"), e.getMessage());
		for (String h : HIERARCHIES) {
			assertFalse(Files.exists(cg.resolve(h + "/berth")), h + "/berth was rolled back");
		}
	}

	@Test
	void applyWritesEveryLimit() throws Exception {
		Group group = driver.create("berth/c1-7");
		group.apply(new CgroupLimits(64L << 20, 128L << 20, 50_000L, 100_000L, 200, "0", 16L));
		assertEquals("67108864", read("memory/berth/c1-7/memory.limit_in_bytes"));
		assertEquals("134217728", read("memory/berth/c1-7/memory.memsw.limit_in_bytes"));
		assertEquals("50000", read("cpu/berth/c1-7/cpu.cfs_quota_us"));
		assertEquals("100000", read("cpu/berth/c1-7/cpu.cfs_period_us"));
		assertEquals("2048", read("cpu/berth/c1-7/cpu.shares"));
		assertEquals("0", read("cpuset/berth/c1-7/cpuset.cpus"));
		assertEquals("16", read("pids/berth/c1-7/pids.max"));

		group.apply(CgroupLimits.unlimited());
		assertEquals("-1", read("memory/berth/c1-7/memory.limit_in_bytes"));
		assertEquals("-1", read("memory/berth/c1-7/memory.memsw.limit_in_bytes"));
		assertEquals("-1", read("cpu/berth/c1-7/cpu.cfs_quota_us"));
		assertEquals("1024", read("cpu/berth/c1-7/cpu.shares"));
		assertEquals("0-1", read("cpuset/berth/c1-7/cpuset.cpus"), "all the parent has");
		assertEquals("max", read("pids/berth/c1-7/pids.max"));
	}

	@Test
	void memoryAndSwapAreWrittenInTheOrderTheKernelAccepts() throws Exception {
		Group group = driver.create("berth/c1-7");
		// memory+swap goes down from unlimited: memory first, so memsw never drops below it
		group.apply(new CgroupLimits(64L << 20, 128L << 20, null, null, null, null, null));
		assertEquals(List.of("sys/fs/cgroup/memory/berth/c1-7/memory.limit_in_bytes=67108864",
				"sys/fs/cgroup/memory/berth/c1-7/memory.memsw.limit_in_bytes=134217728"), memoryWrites());
		// memory+swap goes up: memsw first
		group.apply(new CgroupLimits(256L << 20, 512L << 20, null, null, null, null, null));
		assertEquals(List.of("sys/fs/cgroup/memory/berth/c1-7/memory.memsw.limit_in_bytes=536870912",
				"sys/fs/cgroup/memory/berth/c1-7/memory.limit_in_bytes=268435456"), memoryWrites());
		// down again, below the old memory limit
		group.apply(new CgroupLimits(32L << 20, 32L << 20, null, null, null, null, null));
		assertEquals(List.of("sys/fs/cgroup/memory/berth/c1-7/memory.limit_in_bytes=33554432",
				"sys/fs/cgroup/memory/berth/c1-7/memory.memsw.limit_in_bytes=33554432"), memoryWrites());
		// unlimited swap: memsw first
		group.apply(new CgroupLimits(32L << 20, null, null, null, null, null, null));
		assertEquals(List.of("sys/fs/cgroup/memory/berth/c1-7/memory.memsw.limit_in_bytes=-1",
				"sys/fs/cgroup/memory/berth/c1-7/memory.limit_in_bytes=33554432"), memoryWrites());
	}

	private List<String> memoryWrites() {
		List<String> writes = io.writes().stream().filter(w -> w.contains("limit_in_bytes")).toList();
		io.writes().clear();
		return writes;
	}

	@Test
	void swapLimitWithoutSwapAccountingIsExplained() throws Exception {
		Group group = driver.create("berth/c1-7");
		Files.delete(cg.resolve("memory/berth/c1-7/memory.memsw.limit_in_bytes"));
		SysException e = assertThrows(SysException.class,
				() -> group.apply(new CgroupLimits(64L << 20, 128L << 20, null, null, null, null, null)));
		assertEquals(Errno.EOPNOTSUPP, e.errno());
		assertTrue(e.getMessage().startsWith("cannot limit memory+swap of c1-7: swap accounting is off"),
				e.getMessage());
		group.apply(new CgroupLimits(64L << 20, null, null, null, null, null, null));
		assertEquals("67108864", read("memory/berth/c1-7/memory.limit_in_bytes"));
	}

	@Test
	void aLimitForAnUnmountedControllerIsExplained() throws Exception {
		CgroupV1Driver noPids = new CgroupV1Driver(driver.hierarchies().stream()
				.filter(h -> !h.controllers().contains("pids")).toList(), null, io);
		Group group = noPids.create("berth/c1-7");
		group.apply(CgroupLimits.unlimited());
		SysException e = assertThrows(SysException.class,
				() -> group.apply(new CgroupLimits(null, null, null, null, null, null, 100L)));
		assertEquals("cannot set process limit of c1-7: the pids controller is not mounted on this host",
				e.getMessage());
		assertTrue(group.cloneIntoDir().isEmpty(), "no cgroup2 mount");
	}

	@Test
	void statsReadTheV1Files() throws Exception {
		Group group = driver.create("berth/c1-7");
		group.apply(new CgroupLimits(64L << 20, null, null, null, null, null, 16L));
		Path leaf = Path.of("berth/c1-7");
		Fixtures.copy("cgroup/v1/cpuacct.usage", cg.resolve("cpuacct").resolve(leaf).resolve("cpuacct.usage"));
		for (String f : List.of("memory.usage_in_bytes", "memory.max_usage_in_bytes", "memory.oom_control")) {
			Fixtures.copy("cgroup/v1/" + f, cg.resolve("memory").resolve(leaf).resolve(f));
		}
		for (String f : List.of("pids.current", "pids.events")) {
			Fixtures.copy("cgroup/v1/" + f, cg.resolve("pids").resolve(leaf).resolve(f));
		}
		Fixtures.copy("cgroup/v1/blkio.throttle.io_service_bytes_recursive",
				cg.resolve("blkio").resolve(leaf).resolve("blkio.throttle.io_service_bytes_recursive"));
		Fixtures.copy("cgroup/v1/cpu.stat", cg.resolve("cpu").resolve(leaf).resolve("cpu.stat"));

		CgroupStats stats = group.stats();
		assertEquals(new CgroupStats(299700389, 1646592, 1826816, 64L << 20, -1, 1, 4, 16, 1, 8478720, 8388608,
				14, 1057210508), stats);
		assertEquals(1646592, group.memoryCurrent(), "memory alone, from memory.usage_in_bytes");
		try (GroupCounters counters = group.counters(new CounterFile.Buffer())) {
			assertEquals(stats, counters.read(), "the kept-open files read as stats() does");
			Files.writeString(cg.resolve("memory/berth/c1-7/memory.usage_in_bytes"), "2000000\n");
			assertEquals(2000000, counters.read().memoryCurrent(), "read again, not cached");
		}

		group.apply(CgroupLimits.unlimited());
		Files.writeString(cg.resolve("memory/berth/c1-7/memory.limit_in_bytes"), FixtureCgroupTree.UNLIMITED_V1);
		assertEquals(-1, group.stats().memoryLimit(), "9223372036854771712 is v1's no limit");
		assertEquals(-1, group.stats().pidsLimit());
	}

	@Test
	void statsOfAMissingGroupSaySo() {
		NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> driver.open("berth/gone").stats());
		assertTrue(e.getMessage().contains("cgroup berth/gone does not exist"), e.getMessage());
	}

	@Test
	void freezeAndThawUseTheV1Freezer() throws Exception {
		Group group = driver.create("berth/c1-7");
		assertFalse(group.frozen());
		group.freeze();
		assertEquals("FROZEN", read("freezer/berth/c1-7/freezer.state"));
		assertTrue(group.frozen());
		group.thaw();
		assertEquals("THAWED", read("freezer/berth/c1-7/freezer.state"));
		assertFalse(group.frozen());
		assertEquals(List.of(), io.writesTo("cgroup.freeze"), "the v1 freezer is used, not cgroup2's");
	}

	@Test
	void aFreezeThatNeverFinishesIsUndone() throws Exception {
		Group group = driver.create("berth/c1-7");
		Path state = cg.resolve("freezer/berth/c1-7/freezer.state");
		// a task in D state keeps the group FREEZING: the fake file stays as set, so make it lie
		FixtureCgroupIo stuck = new FixtureCgroupIo(base, Set.of(cg.resolve("unified"))) {
			@Override
			public void write(Path file, String value) throws SysException {
				super.write(file, value.equals("FROZEN") ? "FREEZING" : value);
			}
		};
		Group same = new CgroupV1Driver(driver.hierarchies(), cg.resolve("unified"), stuck).open("berth/c1-7");
		SysException e = assertThrows(SysException.class, () -> same.freeze(java.time.Duration.ofMillis(100)));
		assertTrue(e.getMessage().startsWith("cannot freeze c1-7 within 100 ms: freezer.state stays FREEZING"),
				e.getMessage());
		assertEquals("THAWED", Files.readString(state).trim());
		assertFalse(group.frozen());
	}

	@Test
	void aFreezeThatLagsIsAskedAgainUntilFrozen() throws Exception {
		driver.create("berth/c1-7");
		// a task forked while the kernel went through the group is missed: v1 reads FREEZING until asked again
		int[] frozenWrites = {0};
		FixtureCgroupIo lagging = new FixtureCgroupIo(base, Set.of(cg.resolve("unified"))) {
			@Override
			public void write(Path file, String value) throws SysException {
				boolean asked = value.equals("FROZEN") && ++frozenWrites[0] <= 3;
				super.write(file, asked ? "FREEZING" : value);
			}
		};
		Group same = new CgroupV1Driver(driver.hierarchies(), cg.resolve("unified"), lagging).open("berth/c1-7");
		same.freeze(java.time.Duration.ofSeconds(5));
		assertEquals("FROZEN", read("freezer/berth/c1-7/freezer.state"));
		assertEquals(4, frozenWrites[0], "asked once more after each FREEZING read");
	}

	@Test
	void aFreezeStuckUntilThawedIsThawedAndAskedAfresh() throws Exception {
		driver.create("berth/c1-7");
		boolean[] thawed = {false};
		FixtureCgroupIo stuckUntilThawed = new FixtureCgroupIo(base, Set.of(cg.resolve("unified"))) {
			@Override
			public void write(Path file, String value) throws SysException {
				thawed[0] |= value.equals("THAWED");
				super.write(file, value.equals("FROZEN") && !thawed[0] ? "FREEZING" : value);
			}
		};
		Group same = new CgroupV1Driver(driver.hierarchies(), cg.resolve("unified"), stuckUntilThawed)
				.open("berth/c1-7");
		same.freeze(java.time.Duration.ofSeconds(5));
		assertEquals("FROZEN", read("freezer/berth/c1-7/freezer.state"));
		List<String> writes = stuckUntilThawed.writesTo("freezer.state");
		assertEquals("THAWED", writes.get(writes.size() - 2), writes.toString());
		assertEquals("FROZEN", writes.get(writes.size() - 1), writes.toString());
	}

	@Test
	void killAllKillsEveryPidInEverySubgroupAndWaits() throws Exception {
		Group group = driver.create("berth/c1-7");
		for (Path procs : group.procsFiles()) {
			Files.writeString(procs, "101\n102\n");
		}
		Path scope = Files.createDirectories(cg.resolve("systemd/berth/c1-7/init.scope"));
		Files.writeString(scope.resolve("cgroup.procs"), "103\n");
		assertEquals(Set.of(101L, 102L, 103L), group.pids());

		group.killAll();
		assertEquals(Set.of(), group.pids());
		assertEquals(List.of("1"), io.writesTo("cgroup.kill"), "cgroup.kill of the unified group first");
		assertEquals(List.of(101L, 102L, 103L), io.killed(), "then SIGKILL for what only v1 knew");
		assertEquals(List.of("FROZEN", "THAWED"), io.writesTo("freezer.state"), "frozen around the kill round");
		assertEquals("1", read("memory/cgroup.procs"), "the root group was not touched");
	}

	@Test
	void removeIsDepthFirstAndKeepsTheParent() throws Exception {
		Group group = driver.create("berth/c1-7");
		Files.createDirectories(cg.resolve("systemd/berth/c1-7/system.slice/getty.service"));
		Files.createDirectories(cg.resolve("devices/berth/c1-7/init.scope"));
		group.remove();
		assertFalse(group.exists());
		try (Stream<Path> left = Files.walk(cg)) {
			assertEquals(List.of(), left.filter(p -> p.toString().contains("c1-7")).toList());
		}
		for (String h : HIERARCHIES) {
			assertTrue(Files.isDirectory(cg.resolve(h + "/berth")), h + "/berth stays");
		}
		assertEquals(List.of(), driver.listGroups("berth"));
		group.remove(); // again: nothing to do
	}

	@Test
	void removeGivesUpOnAGroupThatStaysBusy() throws Exception {
		Group group = driver.create("berth/c1-7");
		Files.writeString(cg.resolve("pids/berth/c1-7/cgroup.procs"), "4242\n");
		SysException e = assertThrows(SysException.class, () -> group.remove(java.time.Duration.ofMillis(50)));
		assertEquals(Errno.EBUSY, e.errno());
		assertEquals("cannot remove cgroup berth/c1-7: rmdir(" + cg.resolve("pids/berth/c1-7")
				+ "): Device or resource busy", e.getMessage());
		assertTrue(Files.isDirectory(cg.resolve("pids/berth/c1-7")));
		assertFalse(Files.exists(cg.resolve("memory/berth/c1-7")), "the other hierarchies were cleaned");
	}
}
