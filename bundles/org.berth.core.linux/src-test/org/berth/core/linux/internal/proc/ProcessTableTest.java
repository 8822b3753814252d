package org.berth.core.linux.internal.proc;

import org.berth.core.linux.internal.testing.ChildProcess;
import org.berth.core.linux.internal.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessTableTest {

	@Test
	void findsProcessesByCgroupInAFixtureProc(@TempDir Path proc) throws Exception {
		Fixtures.copy("proc/cgroup-hybrid.txt", proc.resolve("42/cgroup"));
		Files.createDirectories(proc.resolve("43"));
		Files.writeString(proc.resolve("43/cgroup"), "0::/berth/c1\n");
		Files.createDirectories(proc.resolve("1"));
		Files.writeString(proc.resolve("1/cgroup"), "0::/init.scope\n");
		Files.createDirectories(proc.resolve("44")); // exited: no cgroup file any more
		Files.createDirectories(proc.resolve("sys"));
		Files.createSymbolicLink(proc.resolve("self"), Path.of("42"));

		ProcessTable table = new ProcessTable(proc);
		assertEquals(List.of(1L, 42L, 43L, 44L), table.pids());
		assertEquals(Set.of(42L), table.pidsInCgroup("berth/c1-7"));
		assertEquals(Set.of(43L), table.pidsInCgroup("berth/c1"));
		assertEquals(Set.of(42L, 43L), table.pidsInCgroup("berth"));
		assertEquals(Set.of(), table.pidsInCgroup("berth/c2"));
	}

	@Test
	void seesRealProcesses() throws Exception {
		ProcessTable table = new ProcessTable();
		try (ChildProcess sleep = ChildProcess.start("sleep", "300")) {
			List<Long> pids = table.pids();
			assertTrue(pids.contains(sleep.pid()));
			assertTrue(pids.contains(ProcessHandle.current().pid()));
			assertFalse(table.pidsInCgroup("berth-no-such-group-" + sleep.pid()).contains(sleep.pid()));
		}
	}
}
