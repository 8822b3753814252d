package org.berth.core.linux.internal.proc;

import org.berth.core.linux.internal.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcCgroupTest {

	@Test
	void parsesHybridLines() {
		ProcCgroup cgroup = ProcCgroup.parse(Fixtures.lines("proc/cgroup-hybrid.txt"));
		assertEquals(10, cgroup.entries().size());
		ProcCgroup.Entry systemd = cgroup.entries().get(0);
		assertEquals(9, systemd.hierarchyId());
		assertEquals(List.of("name=systemd"), systemd.controllers());
		assertEquals("/berth/c1-7", systemd.path());
		assertEquals(Optional.of("/berth/c1-7/init.scope"), cgroup.pathOf("devices"));
		assertEquals(Optional.of("/berth/c1-7"), cgroup.pathOf("name=systemd"));
		assertEquals(Optional.of("/berth/c1-7"), cgroup.unifiedPath());
		assertTrue(cgroup.entries().get(9).isUnified());
	}

	@Test
	void parsesAV2Line() {
		ProcCgroup cgroup = ProcCgroup.parse(Fixtures.lines("proc/cgroup-v2.txt"));
		assertEquals(Optional.of("/user.slice/user-1000.slice/session-2.scope"), cgroup.unifiedPath());
		assertEquals(Optional.empty(), cgroup.pathOf("memory"));
	}

	@Test
	void containmentIsBySegments() {
		ProcCgroup cgroup = ProcCgroup.parse(Fixtures.lines("proc/cgroup-hybrid.txt"));
		assertTrue(cgroup.isIn("berth/c1-7"));
		assertTrue(cgroup.isIn("/berth/c1-7/"));
		assertTrue(cgroup.isIn("berth"));
		assertFalse(cgroup.isIn("berth/c1"), "c1 is not a prefix segment of c1-7");
		assertFalse(cgroup.isIn("berth/c1-7/init"));
		assertTrue(ProcCgroup.parse(List.of("0::/berth/c2 (deleted)")).isIn("berth/c2"));
	}

	@Test
	void pathsMayContainColons() {
		ProcCgroup cgroup = ProcCgroup.parse(List.of("0::/system.slice/a:b.service"));
		assertEquals(Optional.of("/system.slice/a:b.service"), cgroup.unifiedPath());
		assertThrows(IllegalArgumentException.class, () -> ProcCgroup.parse(List.of("x:memory:/")));
		assertThrows(IllegalArgumentException.class, () -> ProcCgroup.parse(List.of("memory")));
	}
}
