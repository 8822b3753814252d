package org.berth.core.linux.internal.cgroup;

import org.berth.core.linux.internal.proc.MountInfo;
import org.berth.core.linux.internal.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CgroupDetectionTest {

	@Test
	void hybridHostIsV1WithTheUnifiedMount(@TempDir Path base) throws Exception {
		CgroupDriver driver = CgroupDriver.detect(MountInfo.parse(Fixtures.lines("proc/mountinfo-hybrid.txt")), base);
		CgroupV1Driver v1 = assertInstanceOf(CgroupV1Driver.class, driver);
		assertFalse(v1.isUnified());
		assertEquals(List.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids",
				"name=systemd"), v1.hierarchies().stream().map(CgroupV1Driver.Hierarchy::name).toList());
		assertEquals(base.resolve("sys/fs/cgroup/memory"), v1.hierarchies().get(3).mountPoint());
		assertEquals(Set.of(), v1.hierarchies().get(8).controllers());
		assertEquals(Optional.of(base.resolve("sys/fs/cgroup/unified")), v1.unifiedMount());
		assertTrue(v1.description().startsWith("cgroup v1 (cpu, cpuacct, cpuset"), v1.description());
		assertTrue(v1.description().endsWith("+ cgroup2 at " + base.resolve("sys/fs/cgroup/unified")));
	}

	@Test
	void coMountedControllersShareOneDirectory(@TempDir Path base) throws Exception {
		CgroupV1Driver v1 = (CgroupV1Driver) CgroupDriver.detect(
				MountInfo.parse(Fixtures.lines("proc/mountinfo-v1-comounted.txt")), base);
		assertEquals(List.of("name=systemd", "cpu,cpuacct", "net_cls,net_prio", "memory", "freezer", "pids",
				"cpuset", "devices", "blkio"), v1.hierarchies().stream().map(CgroupV1Driver.Hierarchy::name).toList());
		assertEquals(Set.of("cpuset"), v1.hierarchies().get(6).controllers(), "clone_children is an option");
		assertEquals(base.resolve("sys/fs/cgroup/cpu,cpuacct"), v1.hierarchies().get(1).mountPoint(),
				"the bind mount of machine.slice on /mnt/cpu-view is not the hierarchy's root");
		assertTrue(v1.unifiedMount().isEmpty());
		CgroupV1Driver.V1Group group = (CgroupV1Driver.V1Group) v1.open("berth/c1");
		assertEquals(group.dir("cpu"), group.dir("cpuacct"));
		assertEquals(9, group.dirs().size());
	}

	@Test
	void unifiedHostIsV2(@TempDir Path base) throws Exception {
		CgroupDriver driver = CgroupDriver.detect(MountInfo.parse(Fixtures.lines("proc/mountinfo-v2.txt")), base);
		CgroupV2Driver v2 = assertInstanceOf(CgroupV2Driver.class, driver);
		assertTrue(v2.isUnified());
		assertEquals(base.resolve("sys/fs/cgroup"), v2.root());
		Group group = v2.open("berth/c1-7");
		assertEquals(List.of(base.resolve("sys/fs/cgroup/berth/c1-7/cgroup.procs")), group.procsFiles());
		assertEquals(Optional.of(base.resolve("sys/fs/cgroup/berth/c1-7")), group.cloneIntoDir());
	}

	@Test
	void noCgroupMountIsAnError(@TempDir Path base) {
		MountInfo none = MountInfo.parse(List.of("22 27 0:21 / /proc rw,relatime - proc proc rw"));
		IOException e = assertThrows(IOException.class, () -> CgroupDriver.detect(none, base));
		assertTrue(e.getMessage().contains("no cgroup filesystem is mounted"), e.getMessage());
	}

	@Test
	void onlyNamedV1HierarchiesMeansV2(@TempDir Path base) throws Exception {
		MountInfo systemdOnly = MountInfo.parse(List.of(
				"30 21 0:26 / /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw,nsdelegate",
				"31 30 0:27 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd"));
		assertInstanceOf(CgroupV2Driver.class, CgroupDriver.detect(systemdOnly, base));
	}

	@Test
	void groupPathsAreChecked(@TempDir Path base) throws Exception {
		CgroupDriver driver = CgroupDriver.detect(MountInfo.parse(Fixtures.lines("proc/mountinfo-v2.txt")), base);
		for (String bad : new String[]{"", "/berth/c1", "berth/", "berth//c1", "berth/../etc", "berth/c 1", "./c1"}) {
			assertThrows(IllegalArgumentException.class, () -> driver.open(bad), bad);
		}
		assertEquals("c1-7.x_y", driver.open("berth/c1-7.x_y").name());
	}

	@Test
	void detectsThisHost() throws Exception {
		CgroupDriver driver = CgroupDriver.detect();
		assertTrue(driver.description().startsWith("cgroup v"), driver.description());
	}
}
