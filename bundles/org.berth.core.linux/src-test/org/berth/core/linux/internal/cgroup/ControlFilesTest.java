package org.berth.core.linux.internal.cgroup;

import org.berth.core.linux.internal.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ControlFilesTest {

	@Test
	void flatKeyedV1AndV2() {
		Map<String, Long> v1 = ControlFiles.flatKeyed(Fixtures.lines("cgroup/v1/cpu.stat"));
		assertEquals(14L, v1.get("nr_throttled"));
		assertEquals(1057210508L, v1.get("throttled_time"));
		Map<String, Long> v2 = ControlFiles.flatKeyed(Fixtures.lines("cgroup/v2/cpu.stat"));
		assertEquals(518300L, v2.get("usage_usec"));
		assertEquals(1850000L, v2.get("throttled_usec"));
		assertEquals(0L, v2.get("core_sched.force_idle_usec"));
		assertEquals(1L, ControlFiles.flatKeyed(Fixtures.lines("cgroup/v1/memory.oom_control")).get("oom_kill"));
		assertEquals(1L, ControlFiles.flatKeyed(Fixtures.lines("cgroup/v2/memory.events")).get("oom_kill"));
		assertEquals(212L, ControlFiles.flatKeyed(Fixtures.lines("cgroup/v2/memory.events")).get("max"));
		assertEquals(1L, ControlFiles.flatKeyed(Fixtures.lines("cgroup/v2/cgroup.events")).get("frozen"));
		assertEquals(Map.of("a", 1L), ControlFiles.flatKeyed(List.of("a 1", "b x", "c", "", "d 1 2")));
	}

	@Test
	void limitsMapEveryUnlimitedSpellingToMinusOne() {
		assertEquals(-1, ControlFiles.limit(List.of("max")));
		assertEquals(-1, ControlFiles.limit(List.of("-1")));
		assertEquals(-1, ControlFiles.limit(Fixtures.lines("cgroup/v1/memory.limit_in_bytes")));
		assertEquals(-1, ControlFiles.limit(List.of(Long.toString(1L << 62))));
		assertEquals((1L << 62) - 1, ControlFiles.limit(List.of(Long.toString((1L << 62) - 1))));
		assertEquals(4194304, ControlFiles.limit(List.of("4194304")));
		assertThrows(IllegalArgumentException.class, () -> ControlFiles.limit(List.of()));
		assertThrows(NumberFormatException.class, () -> ControlFiles.limit(List.of("lots")));
	}

	@Test
	void singleNumbers() {
		assertEquals(299700389L, ControlFiles.single(Fixtures.lines("cgroup/v1/cpuacct.usage")));
		assertEquals(1646592L, ControlFiles.single(Fixtures.lines("cgroup/v1/memory.usage_in_bytes")));
		assertThrows(IllegalArgumentException.class, () -> ControlFiles.single(List.of()));
	}

	@Test
	void blkioCountsReadAndWriteNotTheTotals() {
		ControlFiles.IoBytes io = ControlFiles.blkioServiceBytes(
				Fixtures.lines("cgroup/v1/blkio.throttle.io_service_bytes_recursive"));
		assertEquals(new ControlFiles.IoBytes(8478720, 8388608), io);
		assertEquals(new ControlFiles.IoBytes(0, 0), ControlFiles.blkioServiceBytes(List.of("Total 0")));
	}

	@Test
	void ioStatSumsDevices() {
		assertEquals(new ControlFiles.IoBytes(17072128 + 4096, 16777216),
				ControlFiles.ioStat(Fixtures.lines("cgroup/v2/io.stat")));
		assertEquals(new ControlFiles.IoBytes(0, 0), ControlFiles.ioStat(List.of()));
	}

	@Test
	void pidsControllersAndFreezerState() {
		assertEquals(Set.of(1L, 42L), ControlFiles.pids(List.of("1", "42", "")));
		assertEquals(List.of("cpuset", "cpu", "io"), List.copyOf(ControlFiles.controllers(List.of("cpuset cpu io"))));
		assertEquals(Set.of(), ControlFiles.controllers(List.of("")));
		assertEquals("THAWED", ControlFiles.freezerState(Fixtures.lines("cgroup/v1/freezer.state")));
		assertEquals(3L, ControlFiles.flatKeyed(Fixtures.lines("cgroup/v2/pids.events")).get("max"));
		assertEquals(1L, ControlFiles.flatKeyed(Fixtures.lines("cgroup/v1/pids.events")).get("max"));
	}

	@Test
	void sizesForMessages() {
		assertEquals("4 MiB", CgroupTree.bytes(4L << 20));
		assertEquals("20.5 MiB", CgroupTree.bytes(21495808));
		assertEquals("512 bytes", CgroupTree.bytes(512));
		assertEquals("1 KiB", CgroupTree.bytes(1024));
		assertEquals("3 GiB", CgroupTree.bytes(3L << 30));
	}
}
