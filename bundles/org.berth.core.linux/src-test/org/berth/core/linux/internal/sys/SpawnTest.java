package org.berth.core.linux.internal.sys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** posix_spawn straight from the JVM, and the epoll watcher of process ends, on real processes (no root). */
class SpawnTest {
	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	Path tmp;

	@Test
	void pipesCarryLinesBothWaysAndTheExitCodeComesBack() throws Exception {
		try (Spawn p = Spawn.start(List.of("/bin/sh", "-c", "read line; echo \"got $line\"; echo second; exit 3"),
				Spawn.Stdio.PIPE, Spawn.Stdio.PIPE, Spawn.Stdio.NULL)) {
			p.write("hello\n");
			assertEquals("got hello", p.readLine(WAIT));
			assertEquals("second", p.readLine(WAIT));
			assertNull(p.readLine(WAIT), "end of file once it exits");
			assertEquals(OptionalInt.of(3), p.waitFor(WAIT));
			assertEquals(OptionalInt.of(3), p.waitFor(WAIT), "asked again: the same answer, no second reap");
		}
	}

	@Test
	void aStreamedChildHasThreePipesAsJavaStreamsAndNothingElseOpen() throws Exception {
		// a child that ends at once: its pipes still open (the opens of /proc/self/fd/N do not wait for it)
		try (Spawn quick = Spawn.startStreamed(List.of("/bin/true"))) {
			assertEquals(OptionalInt.of(0), quick.waitFor(WAIT));
			assertEquals(-1, quick.streams().stdout().read(), "end of file");
			quick.streams().stdout().close();
			quick.streams().stderr().close();
			quick.streams().stdin().close();
		}
		try (Spawn p = Spawn.startStreamed(List.of("/bin/sh", "-c",
				"tr a-z A-Z; echo to-err >&2; ls /proc/self/fd | tr '\\n' ' ' >&2; exit 4"))) {
			Spawn.Streams s = p.streams();
			s.stdin().write("piped\n".getBytes());
			s.stdin().close();
			assertEquals("PIPED\n", new String(s.stdout().readAllBytes()));
			String err = new String(s.stderr().readAllBytes());
			assertTrue(err.startsWith("to-err\n"), err);
			// ls's own: 0 1 2 and the directory it lists (3); nothing of this JVM's
			assertEquals("0 1 2 3 ", err.substring("to-err\n".length()), err);
			assertEquals(OptionalInt.of(4), p.waitFor(WAIT));
			s.stdout().close();
			s.stderr().close();
		}
	}

	@Test
	void filesTakeStdoutAndStderrAndOnlyTheyAreOpenInTheChild() throws Exception {
		Path out = tmp.resolve("out");
		Path err = tmp.resolve("err");
		Files.writeString(err, "kept\n");
		try (Spawn p = Spawn.start(List.of("/bin/sh", "-c", "ls /proc/self/fd; echo oops >&2"), Spawn.Stdio.NULL,
				Spawn.Stdio.file(out, false), Spawn.Stdio.file(err, true))) {
			assertEquals(OptionalInt.of(0), p.waitFor(WAIT));
		}
		// 0, 1, 2 and the directory ls itself reads: none of the JVM's descriptors leaked into the child
		assertEquals(List.of("0", "1", "2", "3"), Files.readAllLines(out));
		assertEquals("kept\noops\n", Files.readString(err), "appended");
	}

	@Test
	void stderrCanShareTheStdoutPipe() throws Exception {
		try (Spawn p = Spawn.start(List.of("/bin/sh", "-c", "echo out; echo err >&2"), Spawn.Stdio.NULL,
				Spawn.Stdio.PIPE, Spawn.Stdio.STDOUT)) {
			assertEquals("out", p.readLine(WAIT));
			assertEquals("err", p.readLine(WAIT));
			assertEquals(OptionalInt.of(0), p.waitFor(WAIT));
		}
	}

	@Test
	void aSignalIsReportedAs128PlusItsNumberAndKillEndsIt() throws Exception {
		try (Spawn p = Spawn.start(List.of("/bin/sleep", "300"), Spawn.Stdio.NULL, Spawn.Stdio.NULL,
				Spawn.Stdio.NULL)) {
			assertEquals(OptionalInt.empty(), p.waitFor(Duration.ofMillis(20)));
			p.kill();
			assertEquals(OptionalInt.of(128 + Signals.SIGKILL), p.waitFor(WAIT));
			assertFalse(Files.exists(Path.of("/proc", Long.toString(p.pid()))), "reaped, no zombie left");
		}
	}

	@Test
	void aMissingProgramIsAClearError() {
		SysException e = assertThrows(SysException.class, () -> Spawn.start(List.of("/no/such/program"),
				Spawn.Stdio.NULL, Spawn.Stdio.PIPE, Spawn.Stdio.NULL));
		assertEquals("spawn(/no/such/program): No such file or directory", e.getMessage());
	}

	@Test
	void aSilentChildTimesOutWithoutBlockingForever() throws Exception {
		try (Spawn p = Spawn.start(List.of("/bin/sleep", "300"), Spawn.Stdio.NULL, Spawn.Stdio.PIPE,
				Spawn.Stdio.NULL)) {
			SysException e = assertThrows(SysException.class, () -> p.readLine(Duration.ofMillis(50)));
			assertEquals(Spawn.ETIMEDOUT, e.errno());
			p.kill();
			p.waitFor(WAIT);
		}
	}

	@Test
	void closingTheWatcherEndsItsThreadAtOnce() throws Exception {
		ExitWatcher watcher = new ExitWatcher("test-exits-closing");
		try (Spawn sleep = Spawn.start(List.of("/bin/sleep", "300"), Spawn.Stdio.NULL, Spawn.Stdio.NULL,
				Spawn.Stdio.NULL)) {
			watcher.watch(sleep.pid(), () -> {
			});
			watcher.close(); // wakes the thread blocked in epoll_wait and waits for it
			assertFalse(Thread.getAllStackTraces().keySet().stream()
					.anyMatch(t -> t.getName().equals("test-exits-closing") && t.isAlive()), "the thread has ended");
			sleep.kill();
			sleep.waitFor(WAIT);
		}
	}

	@Test
	void theWatcherTellsOfEveryEndAndReapsOurChildren() throws Exception {
		try (ExitWatcher watcher = new ExitWatcher("test-exits")) {
			CountDownLatch ended = new CountDownLatch(3);
			Spawn quick = Spawn.start(List.of("/bin/true"), Spawn.Stdio.NULL, Spawn.Stdio.NULL, Spawn.Stdio.NULL);
			Spawn slow = Spawn.start(List.of("/bin/sleep", "300"), Spawn.Stdio.NULL, Spawn.Stdio.NULL,
					Spawn.Stdio.NULL);
			watcher.watch(quick.pid(), ended::countDown);
			watcher.watch(slow.pid(), ended::countDown);
			long missing = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).get(0).trim()) + 1;
			watcher.watch(missing, ended::countDown); // gone already: told at once
			slow.kill();
			assertTrue(ended.await(WAIT.toSeconds(), TimeUnit.SECONDS), "three ends told");
			for (Spawn p : List.of(quick, slow)) {
				assertFalse(Files.exists(Path.of("/proc", Long.toString(p.pid()))), "reaped by the watcher");
				p.close();
			}
		}
	}
}
