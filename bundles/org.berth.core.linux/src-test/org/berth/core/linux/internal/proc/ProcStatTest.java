package org.berth.core.linux.internal.proc;

import org.berth.core.linux.internal.testing.ChildProcess;
import org.berth.core.linux.internal.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcStatTest {

	@Test
	void parsesASleep() {
		ProcStat stat = ProcStat.parse(Fixtures.lines("proc/stat-sleep.txt"));
		assertEquals(5120, stat.pid());
		assertEquals("sleep", stat.comm());
		assertEquals('S', stat.state());
		assertEquals(5101, stat.ppid());
		assertEquals(5101, stat.pgrp());
		assertEquals(2636, stat.session());
		assertEquals(1, stat.threads());
		assertEquals(41873, stat.startTimeTicks());
		assertFalse(stat.exited());
	}

	@Test
	void commWithSpacesAndParenthesesDoesNotShiftTheFields() {
		ProcStat stat = ProcStat.parse(Fixtures.lines("proc/stat-tricky-comm.txt"));
		assertEquals(7301, stat.pid());
		assertEquals("(a) b)", stat.comm());
		assertEquals('D', stat.state());
		assertEquals(1, stat.ppid());
		assertEquals(250, stat.userTicks());
		assertEquals(75, stat.systemTicks());
		assertEquals(3, stat.threads());
		assertEquals(123456789, stat.startTimeTicks());
	}

	@Test
	void rejectsBrokenLines() {
		assertThrows(IllegalArgumentException.class, () -> ProcStat.parse("12 sleep S 1"));
		assertThrows(IllegalArgumentException.class, () -> ProcStat.parse("12 (sleep) S 1 2 3"));
		assertThrows(IllegalArgumentException.class, () -> ProcStat.parse(List.of()));
	}

	@Test
	void readsFromAConfigurableRoot(@TempDir Path proc) throws Exception {
		Fixtures.copy("proc/stat-tricky-comm.txt", proc.resolve("7301/stat"));
		assertEquals("(a) b)", ProcStat.read(proc, 7301).comm());
		assertThrows(NoSuchFileException.class, () -> ProcStat.read(proc, 7302));
		assertTrue(ProcStat.readIfAlive(proc, 7302).isEmpty());
	}

	@Test
	void readsARealProcessAndNoticesItsEnd() throws Exception {
		Path proc = Path.of("/proc");
		long pid;
		try (ChildProcess sleep = ChildProcess.start("sleep", "300")) {
			pid = sleep.pid();
			ProcStat stat = ProcStat.read(proc, pid);
			assertEquals(ProcessHandle.current().pid(), stat.ppid());
			assertTrue(stat.startTimeTicks() > 0);
			assertTrue(stat.startTimeTicks() >= ProcStat.read(proc, ProcessHandle.current().pid()).startTimeTicks());
		}
		assertTrue(ProcStat.readIfAlive(proc, pid).isEmpty(), "reaped: no /proc/" + pid);
	}
}
