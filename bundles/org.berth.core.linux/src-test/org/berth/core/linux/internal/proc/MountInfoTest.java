package org.berth.core.linux.internal.proc;

import org.berth.core.linux.internal.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MountInfoTest {

	@Test
	void parsesEveryFieldOfALine() {
		MountInfo info = MountInfo.parse(Fixtures.lines("proc/mountinfo-hybrid.txt"));
		MountInfo.Mount memory = info.at("/sys/fs/cgroup/memory").orElseThrow();
		assertEquals(35, memory.id());
		assertEquals(31, memory.parentId());
		assertEquals(0, memory.major());
		assertEquals(32, memory.minor());
		assertEquals("/", memory.root());
		assertEquals("rw,relatime", memory.mountOptions());
		assertEquals(List.of(), memory.optionalFields());
		assertEquals("cgroup", memory.fsType());
		assertEquals("cgroup", memory.source());
		assertEquals("rw,memory", memory.superOptions());
		assertEquals(Set.of("rw", "memory"), memory.superOptionSet());
	}

	@Test
	void unescapesSpacesAndKeepsPropagationFields() {
		MountInfo info = MountInfo.parse(Fixtures.lines("proc/mountinfo-hybrid.txt"));
		MountInfo.Mount box = info.at("/mnt/my box").orElseThrow();
		assertEquals("/var/lib/berth/my box/rootfs", box.root());
		assertEquals(List.of("shared:1", "master:7"), box.optionalFields());
		assertEquals("ext4", box.fsType());
		assertEquals("/dev/vda", box.source());
		assertEquals(254, box.major());
		assertEquals("/", info.at("/").orElseThrow().mountPoint());
	}

	@Test
	void theLastMountOnAPointIsTheVisibleOne() {
		MountInfo info = MountInfo.parse(Fixtures.lines("proc/mountinfo-hybrid.txt"));
		assertEquals(29, info.at("/dev/pts").orElseThrow().id(), "two devpts are stacked on /dev/pts here");
		assertTrue(info.at("/nowhere").isEmpty());
	}

	@Test
	void selectsByFilesystemType() {
		MountInfo hybrid = MountInfo.parse(Fixtures.lines("proc/mountinfo-hybrid.txt"));
		assertEquals(9, hybrid.ofType("cgroup").size());
		assertEquals("/sys/fs/cgroup/unified", hybrid.ofType("cgroup2").get(0).mountPoint());
		MountInfo v2 = MountInfo.parse(Fixtures.lines("proc/mountinfo-v2.txt"));
		assertEquals(0, v2.ofType("cgroup").size());
		assertEquals("rw,nsdelegate,memory_recursiveprot", v2.ofType("cgroup2").get(0).superOptions());
	}

	@Test
	void rejectsWhatIsNotMountinfo() {
		assertThrows(IllegalArgumentException.class, () -> MountInfo.parse(List.of("not a mountinfo line")));
		assertThrows(IllegalArgumentException.class,
				() -> MountInfo.parse(List.of("22 27 0-21 / /proc rw,relatime - proc proc rw")));
	}

	@Test
	void readsTheRealMountinfo() throws Exception {
		MountInfo self = MountInfo.readSelf();
		assertTrue(self.at("/").isPresent());
		assertTrue(self.at("/proc").isPresent());
	}
}
