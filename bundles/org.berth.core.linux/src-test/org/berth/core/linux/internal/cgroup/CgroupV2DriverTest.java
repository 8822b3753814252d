package org.berth.core.linux.internal.cgroup;

import org.berth.core.linux.internal.sys.Errno;
import org.berth.core.linux.internal.sys.SysException;
import org.berth.core.linux.internal.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The v2 driver on a fake unified tree (see {@link FixtureCgroupIo} for what it imitates). */
class CgroupV2DriverTest {
	private static final String ALL_CONTROLLERS = "cpuset cpu io memory hugetlb pids rdma misc";

	@TempDir
	Path base;
	private FixtureCgroupIo io;

	private CgroupV2Driver driver(String controllers) throws IOException {
		FixtureCgroupIo[] ioOut = new FixtureCgroupIo[1];
		CgroupV2Driver driver = FixtureCgroupTree.unified(base, controllers, ioOut);
		io = ioOut[0];
		return driver;
	}

	private String read(String rel) throws IOException {
		return Files.readString(base.resolve("sys/fs/cgroup").resolve(rel)).trim();
	}

	@Test
	void createEnablesTheWantedControllersInEveryAncestorOnly() throws Exception {
		CgroupV2Driver driver = driver(ALL_CONTROLLERS);
		Group group = driver.create("berth/c1-7");
		assertEquals("cpu cpuset io memory pids", read("cgroup.subtree_control"), "not hugetlb, rdma, misc");
		assertEquals("cpu cpuset io memory pids", read("berth/cgroup.subtree_control"));
		assertEquals("", read("berth/c1-7/cgroup.subtree_control"), "the leaf holds the processes");
		assertEquals("cpu cpuset io memory pids", read("berth/c1-7/cgroup.controllers"));
		assertEquals(List.of("+cpu", "+cpuset", "+io", "+memory", "+pids", "+cpu", "+cpuset", "+io", "+memory",
				"+pids"), io.writesTo("cgroup.subtree_control"));
		assertTrue(group.exists());
		assertEquals(List.of("c1-7"), driver.listGroups("berth"));

		io.writes().clear();
		driver.create("berth/c2-8");
		assertEquals(List.of(), io.writesTo("cgroup.subtree_control"), "already enabled: nothing written");
		assertEquals(Errno.EEXIST, assertThrows(SysException.class, () -> driver.create("berth/c2-8")).errno());
	}

	@Test
	void onlyWhatTheHostOffersIsEnabled() throws Exception {
		CgroupV2Driver driver = driver("hugetlb");
		driver.create("berth/c1-7");
		assertEquals(List.of(), io.writesTo("cgroup.subtree_control"));
		assertEquals("", read("berth/c1-7/cgroup.controllers"));
	}

	@Test
	void applyWritesEveryLimit() throws Exception {
		Group group = driver(ALL_CONTROLLERS).create("berth/c1-7");
		group.apply(new CgroupLimits(64L << 20, 128L << 20, 50_000L, null, 200, "0", 16L));
		assertEquals("67108864", read("berth/c1-7/memory.max"));
		assertEquals("67108864", read("berth/c1-7/memory.swap.max"), "swap alone: 128 MiB - 64 MiB");
		assertEquals("50000 100000", read("berth/c1-7/cpu.max"));
		assertEquals("200", read("berth/c1-7/cpu.weight"));
		assertEquals("0", read("berth/c1-7/cpuset.cpus"));
		assertEquals("16", read("berth/c1-7/pids.max"));

		group.apply(CgroupLimits.unlimited());
		assertEquals("max", read("berth/c1-7/memory.max"));
		assertEquals("max", read("berth/c1-7/memory.swap.max"));
		assertEquals("max 100000", read("berth/c1-7/cpu.max"));
		assertEquals("100", read("berth/c1-7/cpu.weight"));
		assertEquals("", read("berth/c1-7/cpuset.cpus"), "empty: what the parent has");
		assertEquals("max", read("berth/c1-7/pids.max"));
	}

	@Test
	void aLimitWithoutItsControllerIsExplainedAndUnlimitedIsFine() throws Exception {
		Group group = driver("cpu pids").create("berth/c1-7");
		group.apply(CgroupLimits.unlimited());
		group.apply(new CgroupLimits(null, null, 20_000L, 50_000L, null, null, 8L));
		assertEquals("20000 50000", read("berth/c1-7/cpu.max"));
		SysException e = assertThrows(SysException.class,
				() -> group.apply(new CgroupLimits(64L << 20, null, null, null, null, null, null)));
		assertEquals(Errno.ENOENT, e.errno());
		assertEquals("cannot set memory limit of c1-7 to 64 MiB: the memory controller is not enabled for this"
				+ " group (no memory.max)", e.getMessage());
	}

	@Test
	void statsReadTheV2Files() throws Exception {
		Group group = driver(ALL_CONTROLLERS).create("berth/c1-7");
		group.apply(new CgroupLimits(64L << 20, 96L << 20, null, null, null, null, 16L));
		Path leaf = base.resolve("sys/fs/cgroup/berth/c1-7");
		for (String f : List.of("cpu.stat", "io.stat", "memory.events", "pids.events")) {
			Fixtures.copy("cgroup/v2/" + f, leaf.resolve(f));
		}
		Files.writeString(leaf.resolve("memory.current"), "20971520\n");
		Files.writeString(leaf.resolve("memory.peak"), "67108864\n");
		Files.writeString(leaf.resolve("pids.current"), "3\n");

		assertEquals(new CgroupStats(518_300_000L, 20971520, 67108864, 64L << 20, 96L << 20, 1, 3, 16, 3,
				17072128 + 4096, 16777216, 37, 1_850_000_000L), group.stats());
		assertEquals(20971520, group.memoryCurrent(), "memory alone, from memory.current");
		try (GroupCounters counters = group.counters(new CounterFile.Buffer())) {
			assertEquals(group.stats(), counters.read(), "the kept-open files read as stats() does");
			Files.writeString(leaf.resolve("memory.current"), "1000\n");
			assertEquals(1000, counters.read().memoryCurrent(), "read again, not cached");
			group.apply(CgroupLimits.unlimited());
			while (counters.readings % GroupCounters.LIMITS_EVERY != 0) {
				assertEquals(64L << 20, counters.read().memoryLimit(), "limits are kept between refreshes");
			}
			assertEquals(-1, counters.read().memoryLimit(), "and read again every LIMITS_EVERY readings");
		}

		group.apply(CgroupLimits.unlimited());
		CgroupStats unlimited = group.stats();
		assertEquals(-1, unlimited.memoryLimit());
		assertEquals(-1, unlimited.memorySwapLimit());
		assertEquals(-1, unlimited.pidsLimit());
	}

	@Test
	void statsWithoutControllersAreMinusOne() throws Exception {
		Group group = driver("hugetlb").create("berth/c1-7");
		Files.writeString(base.resolve("sys/fs/cgroup/berth/c1-7/cpu.stat"), "usage_usec 7\n");
		CgroupStats stats = group.stats();
		assertEquals(7000, stats.cpuUsageNanos(), "cpu.stat is a core file");
		assertEquals(new CgroupStats(7000, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1), stats);
		try (GroupCounters counters = group.counters(new CounterFile.Buffer())) {
			assertEquals(stats, counters.read());
		}
	}

	@Test
	void freezeWaitsForCgroupEvents() throws Exception {
		Group group = driver(ALL_CONTROLLERS).create("berth/c1-7");
		assertFalse(group.frozen());
		group.freeze();
		assertEquals("1", read("berth/c1-7/cgroup.freeze"));
		assertTrue(group.frozen());
		group.thaw();
		assertEquals("0", read("berth/c1-7/cgroup.freeze"));
		assertFalse(group.frozen());
	}

	@Test
	void aFreezeTheKernelNeverConfirmsIsUndone() throws Exception {
		CgroupV2Driver driver = driver(ALL_CONTROLLERS);
		driver.create("berth/c1-7");
		FixtureCgroupIo deaf = new FixtureCgroupIo(base, Set.of(driver.root())) {
			@Override
			public void write(Path file, String value) throws SysException {
				super.write(file, value);
				if (file.getFileName().toString().equals("cgroup.freeze")) {
					try {
						Files.writeString(file.resolveSibling("cgroup.events"), "populated 1\nfrozen 0\n");
					} catch (IOException e) {
						throw new java.io.UncheckedIOException(e);
					}
				}
			}
		};
		Group group = new CgroupV2Driver(driver.root(), deaf).open("berth/c1-7");
		SysException e = assertThrows(SysException.class, () -> group.freeze(Duration.ofMillis(100)));
		assertEquals("cannot freeze c1-7 within 100 ms: cgroup.events does not report frozen 1; thawed it again",
				e.getMessage());
		assertEquals(List.of("1", "0"), deaf.writesTo("cgroup.freeze"));
	}

	@Test
	void killAllUsesCgroupKill() throws Exception {
		Group group = driver(ALL_CONTROLLERS).create("berth/c1-7");
		Path leaf = base.resolve("sys/fs/cgroup/berth/c1-7");
		Files.writeString(leaf.resolve("cgroup.procs"), "201\n202\n");
		Path scope = Files.createDirectories(leaf.resolve("init.scope"));
		Files.writeString(scope.resolve("cgroup.procs"), "203\n");
		assertEquals(Set.of(201L, 202L, 203L), group.pids());
		group.killAll();
		assertEquals(Set.of(), group.pids());
		assertEquals(List.of("1"), io.writesTo("cgroup.kill"));
		assertEquals(List.of(), io.killed());
	}

	@Test
	void killAllWithoutCgroupKillKillsEachPid() throws Exception {
		Group group = driver(ALL_CONTROLLERS).create("berth/c1-7");
		Path leaf = base.resolve("sys/fs/cgroup/berth/c1-7");
		Files.delete(leaf.resolve("cgroup.kill")); // Linux before 5.14
		Files.writeString(leaf.resolve("cgroup.procs"), "201\n202\n");
		group.killAll();
		assertEquals(Set.of(), group.pids());
		assertEquals(List.of(201L, 202L), io.killed());
		assertEquals(List.of("1", "0"), io.writesTo("cgroup.freeze"));
	}

	@Test
	void removeIsDepthFirstAndKeepsTheParent() throws Exception {
		CgroupV2Driver driver = driver(ALL_CONTROLLERS);
		Group group = driver.create("berth/c1-7");
		Path leaf = base.resolve("sys/fs/cgroup/berth/c1-7");
		Files.createDirectories(leaf.resolve("system.slice/getty.service"));
		Files.createDirectories(leaf.resolve("init.scope"));
		group.remove();
		assertFalse(group.exists());
		assertFalse(Files.exists(leaf));
		assertTrue(Files.isDirectory(leaf.getParent()));
		assertEquals(List.of(), driver.listGroups("berth"));
	}

	@Test
	void clone3PlacesInitInTheGroup() throws Exception {
		CgroupV2Driver driver = driver(ALL_CONTROLLERS);
		assertTrue(driver.open("berth/c1-7").cloneIntoDir().isPresent());
		assertEquals(driver.open("berth/c1-7").cloneIntoDir(), driver.open("berth/c1-7").deviceProgramDir(),
				"the device program goes on the group itself");
		assertEquals(driver.open("berth/c1-7").cloneIntoDir(), driver.open("berth/c1-7").freezerDir(),
				"CRIU freezes by the group's cgroup.freeze");
	}
}
