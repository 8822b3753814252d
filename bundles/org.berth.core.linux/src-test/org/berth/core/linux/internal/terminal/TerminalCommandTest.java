package org.berth.core.linux.internal.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.berth.core.NamespaceType;
import org.berth.core.TerminalRequest;
import org.junit.jupiter.api.Test;

/** The helper's argument lists for terminal sessions, as text. */
class TerminalCommandTest {

	private static final TerminalTarget C1 = new TerminalTarget("c1", Path.of("/usr/libexec/berth-helper"), 4242, 4241,
			List.of(Path.of("/sys/fs/cgroup/pids/berth/c1-1/cgroup.procs")), List.of("CAP_SYS_TIME"),
			Path.of("/run/berth/c1/console.log"));

	@Test
	void aShellJoinsEverythingWithTheLoginShellOnTheGivenTerminal() {
		List<String> argv = TerminalCommand.argv(C1, TerminalRequest.shell(80, 24), "/proc/4242/root/dev/pts/3");
		assertEquals(List.of("/usr/libexec/berth-helper", "exec", "--pid", "4242", "--cgroup-procs",
				"/sys/fs/cgroup/pids/berth/c1-1/cgroup.procs", "--drop-cap", "CAP_SYS_TIME", "--notify",
				"/run/berth/c1/notify.sock", "--term", "xterm-256color", "--tty", "/proc/4242/root/dev/pts/3",
				"--report",
				"--login-shell"), argv);
		assertTrue(TerminalCommand.usesContainerDevpts(TerminalRequest.shell(80, 24)));
	}

	@Test
	void aCommandGoesAfterTheSeparator() {
		List<String> argv = TerminalCommand.argv(C1, TerminalRequest.shell(80, 24).withCommand(List.of("top", "-d",
				"1")).withTerm("vt100"), "/dev/pts/9");
		assertEquals(List.of("--term", "vt100", "--tty", "/dev/pts/9", "--report", "--", "top", "-d", "1"),
				argv.subList(argv.indexOf("--term"), argv.size()));
	}

	@Test
	void aDebugShellNamesItsNamespacesKeepsTheHostFilesAndIsNotConfined() {
		TerminalRequest debug = TerminalRequest.debugShell(Set.of(NamespaceType.UTS, NamespaceType.NET), 80, 24);
		List<String> argv = TerminalCommand.argv(C1, debug, "/dev/pts/9");
		assertEquals(List.of("/usr/libexec/berth-helper", "exec", "--pid", "4242", "--ns", "uts,net", "--no-chroot",
				"--term", "xterm-256color", "--tty", "/dev/pts/9", "--report", "--login-shell"), argv);
		assertFalse(TerminalCommand.usesContainerDevpts(debug), "a host shell gets a host terminal");
		assertTrue(TerminalCommand.usesContainerDevpts(TerminalRequest.debugShell(Set.of(NamespaceType.MNT), 80, 24)));
	}

	@Test
	void theHostIdOfTheContainersRootComesFromItsIdMap() {
		assertEquals(java.util.OptionalLong.of(0),
				PtySession.hostIdOfRoot(List.of("         0          0 4294967295")));
		assertEquals(java.util.OptionalLong.of(200000), PtySession.hostIdOfRoot(List.of("0 200000 65536")));
		assertEquals(java.util.OptionalLong.of(100005), PtySession.hostIdOfRoot(List.of("1000 1000 1", "0 100005 1")));
		assertEquals(java.util.OptionalLong.empty(), PtySession.hostIdOfRoot(List.of("1 100000 65535")));
	}

	@Test
	void requestsAreChecked() {
		assertThrows(IllegalArgumentException.class, () -> TerminalRequest.shell(0, 24));
		assertThrows(IllegalArgumentException.class, () -> TerminalRequest.shell(80, 70000));
		assertThrows(IllegalArgumentException.class, () -> TerminalRequest.debugShell(Set.of(), 80, 24));
		assertEquals("xterm-256color", TerminalRequest.shell(80, 24).withTerm(" ").term());
	}
}
