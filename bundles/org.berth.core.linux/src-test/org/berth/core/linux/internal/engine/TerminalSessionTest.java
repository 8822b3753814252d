package org.berth.core.linux.internal.engine;

import static org.berth.core.linux.internal.engine.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

import org.berth.core.BerthException;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.IdMap;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceType;
import org.berth.core.TerminalRequest;
import org.berth.core.TerminalSession;
import org.berth.core.linux.internal.proc.ProcStat;
import org.berth.core.linux.internal.terminal.PtySession;
import org.berth.core.linux.internal.testing.Await;
import org.berth.core.linux.internal.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Terminal sessions into a real busybox container, as root: the prompt, the size set before the shell starts,
 * resize reaching a foreground job, Ctrl-C, Ctrl-D, the container's own devpts, closing, the exit status, a
 * debug shell in some namespaces only, and the console. Every session is closed and its processes are gone;
 * {@link TestEngine#close()} checks that no container, cgroup or mount is left.
 */
class TerminalSessionTest {

	private static final Duration WAIT = Duration.ofSeconds(15);
	private static final Path PROC = Path.of("/proc");
	/** The prompt of root in the busybox template ("c1:~# "), and the cursor query busybox ash sends after it. */
	private static final String PROMPT = "# (\\u001b\\[6n)?$";

	private TestEngine t;
	private ContainerSnapshot c1;

	@BeforeEach
	void setUp() throws Exception {
		assumeTrue(Host.isRoot(), "terminal tests start real containers and need root");
		assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs Debian's busybox-static");
		t = new TestEngine();
		t.define(ContainerSpec.builder("c1").template("busybox").build());
		c1 = t.start("c1");
	}

	@AfterEach
	void tearDown() throws Exception {
		if (t != null) {
			t.close();
		}
	}

	private PtySession open(TerminalRequest request) throws Exception {
		return (PtySession) await(t.engine.openTerminal("c1", request));
	}

	private static void awaitGone(long pid) throws Exception {
		Await.until("process " + pid + " to end", WAIT, () -> ProcStat.readIfAlive(PROC, pid)
				.map(ProcStat::exited).orElse(true));
	}

	private static long inode(long pid, String ns) throws Exception {
		String link = Files.readSymbolicLink(PROC.resolve(pid + "/ns/" + ns)).toString();
		return Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
	}

	@Test
	void shellHasTheSizeSetBeforeItStartedAndATerminalOfTheContainer() throws Exception {
		long t0 = System.nanoTime();
		PtySession session = open(TerminalRequest.shell(100, 30));
		try (TerminalScreen screen = new TerminalScreen(session)) {
			screen.await(PROMPT, WAIT);
			long firstPromptMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
			screen.type("echo \"S=$(stty size) T=$(tty) E=$TERM H=$SHELL\"");
			Matcher m = screen.await("S=(\\d+ \\d+) T=(\\S+) E=(\\S+) H=(\\S+)", WAIT);
			assertEquals("30 100", m.group(1), "rows and columns as set before the shell started");
			assertTrue(m.group(2).matches("/dev/pts/\\d+"), "tty inside is the container's: " + m.group(2));
			assertEquals(session.ttyName(), m.group(2));
			assertEquals(TerminalRequest.WIDGET_TERM, m.group(3));
			assertEquals("/bin/sh", m.group(4), "root's login shell from the container's /etc/passwd");
			// the shell is in every namespace of the container
			for (String ns : List.of("mnt", "uts", "ipc", "pid", "net")) {
				assertEquals(inode(c1.initPid(), ns), inode(session.commandPid(), ns), ns);
			}
			System.out.println("[terminal] open to first prompt: " + firstPromptMillis + " ms");
		}
		awaitGone(session.commandPid());
	}

	@Test
	void resizeReachesTheForegroundJob() throws Exception {
		PtySession session = open(TerminalRequest.shell(80, 24));
		try (TerminalScreen screen = new TerminalScreen(session)) {
			screen.await(PROMPT, WAIT);
			// ash's line editor swallows SIGWINCH at the prompt: a foreground job reports it
			screen.type("sh -c 'trap \"echo W=\\$(stty size)\" WINCH; echo TRAP\"\"SET; while :; do sleep 0.1; done'");
			screen.await("TRAPSET", WAIT);
			long t0 = System.nanoTime();
			session.resize(132, 43);
			screen.await("W=43 132", WAIT);
			System.out.println("[terminal] resize to SIGWINCH seen by the job: "
					+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
			screen.send("\u0003");
			screen.await(PROMPT, WAIT);
			screen.type("echo \"S=$(stty size)\"");
			assertEquals("43 132", screen.await("S=(\\d+ \\d+)", WAIT).group(1));
		}
	}

	@Test
	void ctrlCInterruptsTheForegroundJobAndCtrlDEndsTheShell() throws Exception {
		PtySession session = open(TerminalRequest.shell(80, 24));
		try (TerminalScreen screen = new TerminalScreen(session)) {
			screen.await(PROMPT, WAIT);
			screen.type("sleep 100");
			long shell = session.commandPid();
			Await.until("sleep 100 to run in the container", WAIT, () -> sleepOf(shell).isPresent());
			long sleep = sleepOf(shell).orElseThrow();
			screen.send("\u0003");
			awaitGone(sleep);
			screen.await(PROMPT, WAIT);
			// ash drops the rest of a command line after ^C: ask for the status on a line of its own
			screen.type("echo \"A=$?\"");
			screen.await("A=130", WAIT); // 128 + SIGINT
			// ^D only once the line editor reads again: in the canonical mode between two lines the terminal
			// would turn it into an end-of-file mark, which reaches the editor as a NUL byte
			screen.await(PROMPT, WAIT);
			screen.send("\u0004");
			assertEquals(0, session.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS));
			screen.awaitEnd(WAIT);
		}
		awaitGone(session.commandPid());
	}

	private static Optional<Long> sleepOf(long shell) {
		return ProcessHandle.of(shell).stream().flatMap(ProcessHandle::children)
				.filter(c -> readComm(c.pid()).equals("sleep")).map(ProcessHandle::pid).findFirst();
	}

	private static String readComm(long pid) {
		try {
			return ProcStat.readIfAlive(PROC, pid).map(ProcStat::comm).orElse("");
		} catch (java.io.IOException e) {
			return "";
		}
	}

	@Test
	void closingEndsTheShell() throws Exception {
		PtySession session = open(TerminalRequest.shell(80, 24));
		long shell = session.commandPid();
		try (TerminalScreen screen = new TerminalScreen(session)) {
			screen.await(PROMPT, WAIT);
			assertTrue(ProcessHandle.of(shell).isPresent());
			session.close();
			screen.awaitEnd(WAIT);
			int status = session.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
			assertEquals(128 + 1, status, "the shell ended on the hang-up (SIGHUP)");
		}
		awaitGone(shell);
		// writing to a closed session fails with a sentence, it does not hang
		assertThrows(java.io.IOException.class, () -> session.input().write('x'));
	}

	@Test
	void aCommandEndsWithItsStatus() throws Exception {
		TerminalSession session = open(TerminalRequest.shell(80, 24).withCommand(List.of("/bin/sh", "-c",
				"echo \"C=$(stty size)\"; exit 7")));
		try (TerminalScreen screen = new TerminalScreen(session)) {
			screen.await("C=24 80", WAIT);
			assertEquals(7, session.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS));
			screen.awaitEnd(WAIT);
		}
	}

	@Test
	void aMissingCommandOrAStoppedContainerIsASentence() throws Exception {
		Exception e = assertThrows(BerthException.class, () -> open(TerminalRequest.shell(80, 24)
				.withCommand(List.of("/no/such/shell"))));
		assertTrue(e.getMessage().contains("could not open a terminal in \"c1\"") && e.getMessage().contains(
				"No such file or directory"), e.getMessage());
		await(t.engine.kill("c1"));
		e = assertThrows(BerthException.class, () -> open(TerminalRequest.shell(80, 24)));
		assertTrue(e.getMessage().contains("c1") && e.getMessage().contains("stopped"), e.getMessage());
	}

	@Test
	void debugShellJoinsOnlyTheChosenNamespacesOnTheHostFiles() throws Exception {
		PtySession session = open(TerminalRequest.debugShell(Set.of(NamespaceType.NET, NamespaceType.UTS), 90, 20)
				.withCommand(List.of("/bin/sh")));
		long shell = session.commandPid();
		long self = ProcessHandle.current().pid();
		assertEquals(inode(c1.initPid(), "net"), inode(shell, "net"));
		assertEquals(inode(c1.initPid(), "uts"), inode(shell, "uts"));
		assertEquals(inode(self, "mnt"), inode(shell, "mnt"), "the host's file system");
		assertEquals(inode(self, "pid"), inode(shell, "pid"));
		assertNotEquals(inode(c1.initPid(), "mnt"), inode(shell, "mnt"));
		try (TerminalScreen screen = new TerminalScreen(session)) {
			screen.type("echo \"H=$(hostname) S=$(stty size) T=$(tty) R=$(test -d " + t.configRoot
					+ " && echo host)\"");
			Matcher m = screen.await("H=(\\S+) S=(\\d+ \\d+) T=(\\S+) R=(\\S+)", WAIT);
			assertEquals("c1", m.group(1), "the container's hostname");
			assertEquals("20 90", m.group(2));
			assertTrue(Files.exists(Path.of(m.group(3))), "the tty is a host terminal the host shell can open: "
					+ m.group(3));
			assertEquals("host", m.group(4), "the host's files are visible");
		}
		awaitGone(shell);
	}

	@Test
	void inAUserNamespaceTheTerminalBelongsToTheContainersRoot() throws Exception {
		t.define(ContainerSpec.builder("u1").template("busybox").namespace(NamespaceType.USER, NamespaceMode.NEW)
				.uidMap(new IdMap(0, 200000, 65536)).gidMap(new IdMap(0, 200000, 65536)).build());
		t.start("u1");
		PtySession session = (PtySession) await(t.engine.openTerminal("u1", TerminalRequest.shell(80, 24)));
		try (TerminalScreen screen = new TerminalScreen(session)) {
			screen.await(PROMPT, WAIT);
			// reopening the terminal by its name (as su, script or a pager do) needs it to be root's inside
			screen.type("echo \"O=$(stat -c %u $(tty)) W=$(echo hi > $(tty) && echo ok)\"");
			Matcher m = screen.await("O=(\\d+) W=(\\S*)", WAIT);
			assertEquals("0", m.group(1), "owned by root inside");
			assertEquals("ok", m.group(2));
		}
		awaitGone(session.commandPid());
	}

	@Test
	void theConsoleIsInteractiveOneClientAtATimeAndItsHistoryStays() throws Exception {
		TerminalSession console = await(t.engine.openTerminal("c1", TerminalRequest.console(100, 30)));
		assertTrue(console.isInteractive(), "attached through the monitor's console.sock");
		try (TerminalScreen screen = new TerminalScreen(console)) {
			screen.await("berth: c1 is up", WAIT); // the busybox template's rcS, from the history
			screen.await("Please press Enter to activate this console", WAIT); // busybox init's askfirst
			// a second client may only watch
			TerminalSession second = await(t.engine.openTerminal("c1", TerminalRequest.console(80, 24)));
			assertFalse(second.isInteractive());
			assertTrue(second.title().contains("someone else"), second.title());
			second.close();

			screen.send("\r");
			screen.await(PROMPT, WAIT); // a shell on /dev/console
			screen.type("echo \"K=$((6*7)) S=$(stty size) T=$(tty)\"");
			Matcher m = screen.await("K=(\\d+) S=(\\d+ \\d+) T=(\\S+)", WAIT);
			assertEquals("42", m.group(1));
			assertEquals("30 100", m.group(2), "the console got the size of the client");
			assertEquals("/dev/console", m.group(3));
		}
		// detached: the console shell goes on, and the log kept what happened while attached
		Path log = t.engine.consoleLog("c1");
		Await.until("the console log has the attached session", WAIT, () -> Files.readString(log).contains("K=42"));

		// the next client may type
		TerminalSession again = await(t.engine.openTerminal("c1", TerminalRequest.console(80, 24)));
		try (TerminalScreen screen = new TerminalScreen(again)) {
			assertTrue(again.isInteractive());
			screen.await("K=42", WAIT); // history
			screen.type("echo \"A=$((2+3))\"");
			screen.await("A=5", WAIT);
			await(t.engine.stop("c1", Duration.ofSeconds(10)));
			screen.awaitEnd(WAIT); // the container stopped: the console ends
		}
		assertFalse(Files.exists(log.resolveSibling("console.sock")), "the monitor removed its socket");
		// a stopped container's console is its history
		TerminalSession history = await(t.engine.openTerminal("c1", TerminalRequest.console(80, 24)));
		try (TerminalScreen screen = new TerminalScreen(history)) {
			assertFalse(history.isInteractive());
			screen.await("berth: c1 is up", WAIT);
			screen.await("c1 is going down", WAIT);
			screen.awaitEnd(WAIT);
		}
	}

	@Test
	void watchingTheConsoleLeavesItsPlaceFreeAndEndsWhenTheContainerStops() throws Exception {
		TerminalSession watch = await(t.engine.watchConsole("c1"));
		TerminalSession other = await(t.engine.watchConsole("c1"));
		try (TerminalScreen screen = new TerminalScreen(watch); TerminalScreen second = new TerminalScreen(other)) {
			assertFalse(watch.isInteractive());
			screen.await("berth: c1 is up", WAIT);
			second.await("berth: c1 is up", WAIT);
			TerminalSession console = await(t.engine.openTerminal("c1", TerminalRequest.console(80, 24)));
			try (TerminalScreen typed = new TerminalScreen(console)) {
				assertTrue(console.isInteractive(), "two watchers do not take the console's interactive place");
				typed.await("Please press Enter to activate this console", WAIT);
				typed.send("\r");
				typed.await(PROMPT, WAIT);
				typed.type("echo \"W=$((3*5))\"");
				screen.await("W=15", WAIT); // what is typed on the console reaches the watchers through the log
			}
			await(t.engine.stop("c1", Duration.ofSeconds(10)));
			screen.awaitEnd(WAIT);
			second.awaitEnd(WAIT);
		}
		TerminalSession history = await(t.engine.watchConsole("c1"));
		try (TerminalScreen screen = new TerminalScreen(history)) {
			screen.await("c1 is going down", WAIT);
			screen.awaitEnd(WAIT);
		}
		t.define(ContainerSpec.builder("never").template("busybox").build());
		BerthException e = assertThrows(BerthException.class, () -> await(t.engine.watchConsole("never")));
		assertTrue(e.getMessage().contains("has no console log yet"), e.getMessage());
	}
}
