package org.berth.core.linux.internal.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.berth.core.ContainerSpec;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Berth asks of CRIU, and what it refuses before asking: without root, without CRIU. */
class CheckpointLogicTest {

	private static final Path CRIU = Path.of("/usr/sbin/criu");

	private static String after(List<String> args, String option) {
		int i = args.indexOf(option);
		return i < 0 ? null : args.get(i + 1);
	}

	@Test
	void aDumpFreezesByTheFreezerNamesTheConsoleAndBerthsBindsAndLocksTheNetworkWithNftables() {
		List<String> args = CriuArgs.dump(CRIU, 4242, Path.of("/var/lib/berth/c/checkpoints/ck"), "8803:19",
				Path.of("/sys/fs/cgroup/freezer/berth/c-1"),
				List.of(new CriuArgs.Bind(Path.of("/run/berth/.bin/berth-helper-ab"), "/.berth-init")), false, true);
		assertEquals(List.of("/usr/sbin/criu", "dump", "--tree", "4242"), args.subList(0, 4));
		assertEquals("/var/lib/berth/c/checkpoints/ck", after(args, "--images-dir"));
		assertEquals("/sys/fs/cgroup/freezer/berth/c-1", after(args, "--freeze-cgroup"));
		assertEquals("nftables", after(args, "--network-lock"));
		assertTrue(args.contains("tty[8803:19]"), args.toString());
		assertTrue(args.contains("mnt[/dev/console]:console"), args.toString());
		assertTrue(args.contains("mnt[/.berth-init]:bind0"), args.toString());
		assertTrue(args.contains("--manage-cgroups=ignore"));
		assertTrue(args.contains("--tcp-established"));
		assertFalse(args.contains("--leave-running"));
		assertTrue(CriuArgs.dump(CRIU, 1, Path.of("/i"), "1:2", null, List.of(), true, false)
				.contains("--leave-running"));
		assertFalse(CriuArgs.dump(CRIU, 1, Path.of("/i"), "1:2", null, List.of(), true, false)
				.contains("--freeze-cgroup"));
	}

	@Test
	void aRestoreMapsBerthsBindsToThisHostsPathsAndMovesTheVethPeerBerthMadeIn() {
		List<String> args = CriuArgs.restore(CRIU, Path.of("/i"),
				List.of(new CriuArgs.Bind(Path.of("/run/berth/.bin/berth-helper-cd"), "/.berth-init")), "bv12abr",
				false);
		assertEquals(List.of("/usr/sbin/criu", "restore", "--images-dir", "/i"), args.subList(0, 4));
		assertTrue(args.contains("mnt[bind0]:/run/berth/.bin/berth-helper-cd"), args.toString());
		assertTrue(args.contains("netdev[eth0]:bv12abr"), args.toString());
		assertFalse(args.contains("--tcp-established"));
		assertFalse(args.contains("--root"), "the helper gives the root: an idmapped one needs its mount namespace");
		assertTrue(CriuArgs.restore(CRIU, Path.of("/i"), List.of(), "v", true).contains("--tcp-established"));
		assertFalse(CriuArgs.restore(CRIU, Path.of("/i"), List.of(), null, true).stream()
				.anyMatch(a -> a.startsWith("netdev[")));
	}

	@Test
	void theConsolesKeyIsItsDeviceAndItsFileSystemsInHex() {
		assertEquals("8800:19", CriuArgs.ttyKey(0x8800, 25));
		assertEquals("88ff:2b", CriuArgs.ttyKey(136 << 8 | 255, 43));
	}

	@Test
	void namespacesSharedEitherWayOrNotOwnMountAndPidAreRefusedByName() {
		ContainerSpec own = ContainerSpec.builder("c").build();
		assertEquals(Optional.empty(), Obstacles.ofNamespaces(own, List.of(own)));

		ContainerSpec sharing = ContainerSpec.builder("c").namespace(NamespaceSpec.share(NamespaceType.UTS, "web"))
				.build();
		String why = Obstacles.ofNamespaces(sharing, List.of()).orElseThrow();
		assertTrue(why.contains("uts") && why.contains("\"web\""), why);

		ContainerSpec joiner = ContainerSpec.builder("d").namespace(NamespaceSpec.share(NamespaceType.NET, "c"))
				.build();
		why = Obstacles.ofNamespaces(own, List.of(own, joiner)).orElseThrow();
		assertTrue(why.contains("\"d\"") && why.contains("net"), why);

		ContainerSpec hostPid = ContainerSpec.builder("c").namespace(NamespaceType.PID, NamespaceMode.HOST).build();
		why = Obstacles.ofNamespaces(hostPid, List.of()).orElseThrow();
		assertTrue(why.contains("pid namespace of its own"), why);
	}

	@Test
	void aProcessThatIsNotInitsDescendantIsNamed() {
		// init 100 -> 101 -> 102; 200 came in from outside (berth exec), its parent the helper on the host
		Map<Long, Long> parents = Map.of(100L, 50L, 101L, 100L, 102L, 101L, 200L, 7L);
		String why = Obstacles.ofProcesses(100, parents, Map.of(200L, "sh")).orElseThrow();
		assertTrue(why.startsWith("process 200 (sh)"), why);
		assertEquals(Optional.empty(), Obstacles.ofProcesses(100, Map.of(100L, 50L, 101L, 100L), Map.of()));
		// the command an exec runs is named rather than Berth's helper that waits for it
		why = Obstacles.ofProcesses(100, Map.of(100L, 50L, 150L, 7L, 151L, 150L),
				Map.of(150L, "berth-helper-73", 151L, "sleep")).orElseThrow();
		assertTrue(why.startsWith("process 151 (sleep)"), why);
		// a cycle in a stale table ends the walk instead of looping
		assertTrue(Obstacles.ofProcesses(100, Map.of(100L, 50L, 300L, 301L, 301L, 300L), Map.of()).isPresent());
	}

	@Test
	void cgroupsMountedInAnUnprivilegedContainerOrMadeBelowItsGroupAreRefused() {
		List<String> systemd = List.of(
				"47 70 0:49 / /sys/fs/cgroup ro,nosuid,nodev,noexec - tmpfs tmpfs ro,size=4096k,mode=755",
				"48 47 0:37 /berth/sd1-1796370035033 /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime - cgroup2"
						+ " cgroup2 rw");
		String why = Obstacles.ofMounts(systemd, true).orElseThrow();
		assertTrue(why.contains("cgroup2 on /sys/fs/cgroup/unified"), why);
		assertEquals(Optional.empty(), Obstacles.ofMounts(systemd, false),
				"a privileged container's own cgroup2, which the helper mounts, restores");
		assertEquals(Optional.empty(), Obstacles.ofMounts(List.of(systemd.get(0), "garbage"), true));
		why = Obstacles.ofSubgroups(List.of("system.slice", "init.scope", "init.scope", "user.slice", "a"))
				.orElseThrow();
		assertTrue(why.contains("(a, init.scope, system.slice, …; systemd does that)"), why);
		assertEquals(Optional.empty(), Obstacles.ofSubgroups(List.of()));
	}

	@Test
	void theRecordRoundTripsAndAForeignFolderIsSaidToHoldNone(@TempDir Path dir) throws IOException {
		ContainerSpec spec = ContainerSpec.builder("c").userNamespace(1048576, 65536).build();
		CheckpointRecord rec = new CheckpointRecord("c", "ck-1", Instant.parse("2026-12-04T06:00:00Z"),
				"berth/c-1796364341671", "8800:19", List.of("/.berth-init"), false, true, spec);
		rec.write(dir);
		assertEquals(rec, CheckpointRecord.read(dir));

		Path empty = Files.createDirectory(dir.resolve("empty"));
		IOException e = assertThrows(IOException.class, () -> CheckpointRecord.read(empty));
		assertTrue(e.getMessage().contains("holds no checkpoint"), e.getMessage());
		Files.writeString(empty.resolve(CheckpointRecord.FILE), "{\"container\": 1");
		e = assertThrows(IOException.class, () -> CheckpointRecord.read(empty));
		assertTrue(e.getMessage().contains("not a checkpoint record"), e.getMessage());
	}

	@Test
	void criusErrorsAreItsErrorLinesWithoutTheNoiseItLogsOnEveryRun(@TempDir Path dir) throws IOException {
		Path log = dir.resolve("dump.log");
		Files.writeString(log, String.join("\n",
				"(00.050620) Error (criu/util.c:1534): rlimit: Can't setup RLIMIT_NOFILE for self: Operation not permitted",
				"Error (criu/util.c:641): execvp(\"iptables-restore\", ...) failed: No such file or directory",
				"(00.052101) Error (criu/files-reg.c:1790): Can't lookup mount=28 for fd=0 path=/dev/pts/0",
				"(00.052145) Error (criu/cr-dump.c:1681): Dump files (pid: 22961) failed with -1", ""));
		assertEquals(
				List.of("Can't lookup mount=28 for fd=0 path=/dev/pts/0", "Dump files (pid: 22961) failed with -1"),
				Criu.errors(log, 3));
		assertEquals(List.of(), Criu.errors(dir.resolve("none.log"), 3));
	}

	@Test
	void criuRunsWithItsOutputAndErrorsAppendedToTheLogAndIsKilledWhenItTakesTooLong(@TempDir Path dir)
			throws IOException {
		Path log = dir.resolve("run.log");
		Files.writeString(log, "before\n");
		assertEquals(3,
				Criu.run(List.of("/bin/sh", "-c", "echo out; echo err >&2; exit 3"), log, Duration.ofMinutes(1)));
		assertEquals(List.of("before", "out", "err"), Files.readAllLines(log));
		long started = System.nanoTime();
		assertEquals(-1, Criu.run(List.of("/bin/sleep", "60"), log, Duration.ofMillis(200)));
		assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(30)) < 0,
				"the run was not ended at its timeout");
		assertThrows(IOException.class, () -> Criu.run(List.of(dir.resolve("no-criu").toString()), log,
				Duration.ofSeconds(5)));
	}
}
