package org.berth.core.linux.internal.proc;

import org.berth.core.linux.internal.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetDevTest {

	@Test
	void parsesEveryInterface() {
		NetDev dev = NetDev.parse(Fixtures.lines("proc/net-dev.txt"));
		assertEquals(List.of("lo", "eth0", "eth1"), List.copyOf(dev.interfaces().keySet()));
		NetDev.Counters eth0 = dev.get("eth0").orElseThrow();
		assertEquals(10794928, eth0.rxBytes());
		assertEquals(7480, eth0.rxPackets());
		assertEquals(2, eth0.rxDropped());
		assertEquals(159074, eth0.txBytes());
		assertEquals(2210, eth0.txPackets());
		assertEquals(1, eth0.txErrors());
	}

	@Test
	void totalLeavesOutLoopback() {
		NetDev.Counters total = NetDev.parse(Fixtures.lines("proc/net-dev.txt")).totalExcludingLoopback();
		assertEquals(10794928L + 145360176L, total.rxBytes());
		assertEquals(7480 + 7069, total.rxPackets());
		assertEquals(159074 + 802495, total.txBytes());
		assertEquals(2210 + 5733, total.txPackets());
	}

	@Test
	void countersGluedToTheNameAreRead() {
		NetDev dev = NetDev.parse(List.of("veth1234567:123456789012 5 0 0 0 0 0 0 42 1 0 0 0 0 0 0"));
		assertEquals(123456789012L, dev.get("veth1234567").orElseThrow().rxBytes());
		assertThrows(IllegalArgumentException.class, () -> NetDev.parse(List.of("eth0: 1 2 3")));
	}

	@Test
	void readsFromAConfigurableRootAndTheRealProc(@TempDir Path proc) throws Exception {
		Fixtures.copy("proc/net-dev.txt", proc.resolve("11129/net/dev"));
		assertEquals(3, NetDev.read(proc, 11129).interfaces().size());
		assertTrue(NetDev.read(Path.of("/proc"), ProcessHandle.current().pid()).get("lo").isPresent());
	}
}
