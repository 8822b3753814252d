package org.berth.core.linux.internal.sys;

import org.berth.core.linux.internal.testing.ChildProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** pidfd and kill on real processes (no root needed). */
class ProcessSignalsTest {

	@Test
	void pidfdSignalsAndSeesTheExit() throws Exception {
		try (ChildProcess sleep = ChildProcess.start("sleep", "300"); Pidfd pidfd = Pidfd.open(sleep.pid())) {
			assertEquals(sleep.pid(), pidfd.pid());
			assertTrue(pidfd.isAlive());
			assertFalse(pidfd.awaitExit(Duration.ofMillis(20)), "sleep 300 does not exit by itself");

			assertTrue(pidfd.sendSignal(Signals.SIGTERM));
			assertTrue(pidfd.awaitExit(Duration.ofSeconds(10)));
			assertFalse(pidfd.isAlive());
			assertEquals(128 + Signals.SIGTERM, sleep.awaitExit(10));
			assertFalse(pidfd.sendSignal(Signals.SIGTERM), "the process is gone (ESRCH)");
		}
	}

	@Test
	void pidfdOfAMissingProcessSaysSo() throws Exception {
		// readAllLines, not readString: see ProcFiles.readText
		long missing = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).get(0).trim()) + 1;
		SysException e = assertThrows(SysException.class, () -> Pidfd.open(missing));
		assertEquals("pidfd_open(" + missing + "): No such process", e.getMessage());
		assertEquals(Errno.ESRCH, e.errno());
	}

	@Test
	void closedPidfdRefusesUse() throws Exception {
		try (ChildProcess sleep = ChildProcess.start("sleep", "300")) {
			Pidfd pidfd = Pidfd.open(sleep.pid());
			pidfd.close();
			pidfd.close();
			assertEquals(Errno.EBADF, assertThrows(SysException.class, pidfd::isAlive).errno());
		}
	}

	@Test
	void killReportsAMissingProcess() throws Exception {
		long pid;
		try (ChildProcess sleep = ChildProcess.start("sleep", "300")) {
			pid = sleep.pid();
			Sys.kill(pid, 0);
			Sys.kill(pid, Signals.SIGKILL);
			assertEquals(128 + Signals.SIGKILL, sleep.awaitExit(10));
		}
		SysException e = assertThrows(SysException.class, () -> Sys.kill(pid, Signals.SIGKILL));
		assertEquals(Errno.ESRCH, e.errno());
		assertEquals("kill(" + pid + ", SIGKILL): No such process", e.getMessage());
	}
}
