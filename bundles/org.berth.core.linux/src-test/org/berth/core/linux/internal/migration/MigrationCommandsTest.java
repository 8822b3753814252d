package org.berth.core.linux.internal.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

/** The commands a migration runs (ssh, rsync), what it reads from rsync, and how it runs them. No root needed. */
class MigrationCommandsTest {

	@Test
	void sshNeverAsksAndTheRemoteCommandIsOneQuotedLine() {
		SshTarget t = SshTarget.parse("ssh://root@host2:2222");
		assertEquals(List.of("ssh", "-F", "/tmp/my config", "-o", "BatchMode=yes", "-o", "ServerAliveInterval=15",
				"-o", "ServerAliveCountMax=4", "-p", "2222", "root@host2", "--",
				"env BERTH_AGENT=0 berth migrate-receive 'c1;reboot' '/opt/my berth'"),
				t.command(List.of("ssh", "-F", "/tmp/my config"), List.of("BERTH_AGENT=0"),
						List.of("berth", "migrate-receive", "c1;reboot", "/opt/my berth")));
		assertEquals(List.of("ssh", "-o", "BatchMode=yes", "-o", "ServerAliveInterval=15", "-o",
				"ServerAliveCountMax=4", "host2", "--", "berth version"),
				SshTarget.parse("ssh://host2").command(List.of("ssh"), List.of(), List.of("berth", "version")));
		assertEquals("'it'\\''s'", SshTarget.quote("it's"));
		SshTarget through = SshTarget.parse("ssh://host2").through(java.nio.file.Path.of("/tmp/berth-ssh-1/master"));
		assertEquals(List.of("ssh", "-o", "BatchMode=yes", "-o", "ServerAliveInterval=15", "-o",
				"ServerAliveCountMax=4", "-o", "ControlMaster=yes", "-o", "ControlPath=/tmp/berth-ssh-1/master", "-o",
				"ControlPersist=300", "-N", "-f", "host2"), through.master(List.of("ssh")));
		assertEquals(List.of("ssh", "-o", "BatchMode=yes", "-o", "ServerAliveInterval=15", "-o",
				"ServerAliveCountMax=4", "-o", "ControlMaster=no", "-o", "ControlPath=/tmp/berth-ssh-1/master", "host2",
				"--", "berth version"), through.command(List.of("ssh"), List.of(), List.of("berth", "version")));
		assertEquals(List.of("ssh", "-o", "BatchMode=yes", "-o", "ServerAliveInterval=15", "-o",
				"ServerAliveCountMax=4", "-o", "ControlPath=/tmp/berth-ssh-1/master", "-O", "exit", "host2"),
				through.exit(List.of("ssh")));
		assertEquals("''", SshTarget.quote(""));
	}

	@Test
	void rsyncKeepsOwnersLinksAclsAndXattrsAndGoesOverTheSameSsh() {
		List<String> argv = SshTarget.parse("ssh://root@host2:2222").rsync(List.of("ssh", "-F", "/tmp/c"),
				"/var/lib/berth/c1", "/var/lib/berth/c1/", Optional.empty());
		assertEquals(List.of("rsync", "--archive", "--hard-links", "--acls", "--xattrs", "--numeric-ids", "--sparse",
				"--delete", "--whole-file", "--compress", "--compress-level=1", "--stats", "--info=progress2",
				"--no-inc-recursive",
				"--rsh=ssh -F /tmp/c -o BatchMode=yes -o ServerAliveInterval=15 -o ServerAliveCountMax=4 -p 2222",
				"/var/lib/berth/c1/", "root@host2:/var/lib/berth/c1/"), argv);
	}

	@Test
	void rsyncsProgressAndTotalsAreRead() {
		assertEquals(OptionalDouble.of(0.45), RsyncOutput.fraction("     1,234,567  45%   12.34MB/s    0:00:01 (xfr#3,"
				+ " to-chk=0/10)"));
		assertEquals(OptionalDouble.of(1.0), RsyncOutput.fraction("  33,554,432 100%  100.00MB/s    0:00:00"));
		assertEquals(OptionalDouble.empty(), RsyncOutput.fraction("sending incremental file list"));
		assertEquals(OptionalLong.of(1234567), RsyncOutput.bytesSent("Total bytes sent: 1,234,567"));
		assertEquals(OptionalLong.of(42), RsyncOutput.bytesSent("Total bytes sent: 42 "));
		assertEquals(OptionalLong.empty(), RsyncOutput.bytesSent("Total bytes received: 42"));
	}

	@Test
	void aCommandsLinesComeAsTheyAreWrittenItsErrorsTailIsKeptAndItEndsInTime() throws Exception {
		List<String> lines = new CopyOnWriteArrayList<>();
		Command.Result r = Command.run(List.of("sh", "-c", "printf 'a\\rb\\nc'; cat; for i in 1 2 3 4 5; do echo e$i"
				+ " >&2; done; exit 3"), "in\n".getBytes(StandardCharsets.UTF_8), lines::add, Duration.ofSeconds(30));
		assertEquals(List.of("a", "b", "cin"), lines);
		assertEquals(3, r.status());
		assertEquals("a\rb\ncin\n", r.stdout());
		assertEquals(List.of("e2", "e3", "e4", "e5"), r.errors());
		assertEquals("e2; e3; e4; e5", r.why());
		Command.Result slow = Command.run(List.of("sleep", "30"), null, null, Duration.ofMillis(200));
		assertEquals(-1, slow.status());
		assertEquals("it did not finish in time", slow.why());
		assertTrue(Command.run(List.of("true"), null, null, Duration.ofSeconds(30)).ok());
	}
}
