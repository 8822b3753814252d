package org.berth.core.linux.internal.proc;

import org.berth.core.NamespaceType;
import org.berth.core.linux.internal.testing.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamespaceInodesTest {

	@Test
	void parsesLinkTargets() {
		NamespaceInodes ns = NamespaceInodes.parse(List.of("net:[4026531833]", "pid:[4026531836]",
				"time:[4026531834]", "unknownns:[1]"));
		assertEquals(OptionalLong.of(4026531833L), ns.inode(NamespaceType.NET));
		assertEquals(OptionalLong.of(4026531836L), ns.inode(NamespaceType.PID));
		assertEquals(OptionalLong.empty(), ns.inode(NamespaceType.USER));
		assertEquals(3, ns.inodes().size());
		assertThrows(IllegalArgumentException.class, () -> NamespaceInodes.parse(List.of("net:4026531833")));
	}

	@Test
	void readsLinksAndLeavesMissingTypesAbsent(@TempDir Path proc) throws Exception {
		Path ns = Files.createDirectories(proc.resolve("4242/ns"));
		String[][] links = {{"cgroup", "cgroup:[4026531835]"}, {"ipc", "ipc:[4026532301]"},
				{"mnt", "mnt:[4026532299]"}, {"net", "net:[4026532304]"}, {"pid", "pid:[4026532302]"},
				{"pid_for_children", "pid:[4026532302]"}, {"user", "user:[4026531837]"}, {"uts", "uts:[4026532300]"}};
		for (String[] link : links) {
			Files.createSymbolicLink(ns.resolve(link[0]), Path.of(link[1]));
		}
		NamespaceInodes read = NamespaceInodes.read(proc, 4242);
		assertEquals(7, read.inodes().size(), "no time namespace link: an older kernel");
		assertEquals(OptionalLong.empty(), read.inode(NamespaceType.TIME));
		assertEquals(OptionalLong.of(4026532304L), read.inode(NamespaceType.NET));
		assertThrows(NoSuchFileException.class, () -> NamespaceInodes.read(proc, 4243));
	}

	@Test
	void aChildSharesTheJvmsNamespaces() throws Exception {
		Path proc = Path.of("/proc");
		NamespaceInodes mine = NamespaceInodes.read(proc, ProcessHandle.current().pid());
		assertEquals(8, mine.inodes().size(), "kernel 5.6+ has all eight types");
		try (ChildProcess sleep = ChildProcess.start("sleep", "300")) {
			NamespaceInodes child = NamespaceInodes.read(proc, sleep.pid());
			for (NamespaceType type : NamespaceType.values()) {
				assertTrue(mine.shares(child, type), type + " is shared");
			}
			assertEquals(mine, child);
		}
		assertFalse(mine.shares(new NamespaceInodes(java.util.Map.of()), NamespaceType.NET));
	}
}
