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
import java.util.List;

import org.berth.core.BerthException;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.IdMap;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;
import org.berth.core.linux.internal.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real containers as root, as they are by default: a user namespace of their own, a block of 65536 host ids that no
 * other container has, the template's root file system seen through an idmapped mount (unchanged on disk).
 */
class UnprivilegedContainerTest {

	private TestEngine t;

	@BeforeEach
	void setUp() throws Exception {
		assumeTrue(Host.isRoot(), "integration tests start real containers and need root");
		assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs Debian's busybox-static");
		t = new TestEngine();
	}

	@AfterEach
	void tearDown() throws Exception {
		if (t != null) {
			t.close();
		}
	}

	private ExecResult exec(String name, String... cmd) throws Exception {
		return await(t.engine.exec(name, ExecRequest.of(cmd)));
	}

	private static List<String> uidMap(long pid) throws Exception {
		return List.of(Files.readString(Path.of("/proc", Long.toString(pid), "uid_map")).trim().split("\\s+"));
	}

	@Test
	void twoDefaultContainersGetDisjointBlocksAndTheirRootIsNobodyOnTheHost() throws Exception {
		ContainerSnapshot a = t.define(ContainerSpec.builder("ua").build());
		ContainerSnapshot b = t.define(ContainerSpec.builder("ub").build());
		IdMap ba = a.spec().idBlock().orElseThrow();
		IdMap bb = b.spec().idBlock().orElseThrow();
		assertFalse(a.spec().isPrivileged());
		assertEquals(65536, ba.count());
		assertTrue(ba.outsideId() >= 100000 && ba.outsideId() % 65536 == 0, "aligned, above the users' ids: " + ba);
		assertTrue(ba.outsideId() + 65536 <= bb.outsideId() || bb.outsideId() + 65536 <= ba.outsideId(),
				"disjoint: " + ba + " and " + bb);
		assertEquals(ba, new ConfigStore(t.configRoot).load("ua").idBlock().orElseThrow(), "kept in the config");

		long pid = t.start("ua").initPid();
		assertEquals(List.of("0", Long.toString(ba.outsideId()), "65536"), uidMap(pid));
		String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
		assertTrue(status.contains("Uid:\t" + ba.outsideId()), "init is host uid " + ba.outsideId());
		assertEquals("0", exec("ua", "id", "-u").stdoutText().trim(), "and root inside");
		assertEquals("0 0", exec("ua", "stat", "-c", "%u %g", "/bin/busybox").stdoutText().trim(),
				"the template's files are root's inside (idmapped)");
		ExecResult touch = exec("ua", "sh", "-c", "echo hi > /root/made-inside && echo ok");
		assertEquals("ok", touch.stdoutText().trim(), touch.stderrText());
		Path made = t.configRoot.resolve("ua/rootfs/root/made-inside");
		assertEquals(0, Files.getAttribute(made, "unix:uid"),
				"root's file is root's on disk: the template stays as it is");
		assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(t.configRoot.toString()),
				"the idmapped mount lives only in the container's mount namespace");

		// its cgroup2 folder is delegated (systemd makes groups below it), its limits and controls are not
		String rel = new RunDir(t.runRoot.resolve("ua")).readState().orElseThrow().cgroup();
		Path cg2 = Files.isDirectory(Path.of("/sys/fs/cgroup/unified")) ? Path.of("/sys/fs/cgroup/unified", rel)
				: Path.of("/sys/fs/cgroup", rel);
		if (Files.isDirectory(cg2)) {
			try (var files = Files.list(cg2)) {
				for (Path f : files.toList()) {
					boolean delegated = List.of("cgroup.procs", "cgroup.threads", "cgroup.subtree_control")
							.contains(f.getFileName().toString());
					assertEquals(delegated ? (int) ba.outsideId() : 0, Files.getAttribute(f, "unix:uid"), f.toString());
				}
			}
			assertEquals((int) ba.outsideId(), Files.getAttribute(cg2, "unix:uid"), "the folder is the container's");
		}
		ExecResult setTime = exec("ua", "date", "-s", "2000-01-01");
		assertTrue(setTime.stderrText().contains("not permitted"),
				"busybox says so (and exits 0): " + setTime.stderrText());
		assertTrue(java.time.Year.now().getValue() > 2000, "root inside cannot set the host's clock");
	}

	/** A system container stays a real machine without privileges: users, their passwords, su, and ping. */
	@Test
	void aUserInsideCanBeMadeGetAPasswordSuAndPing() throws Exception {
		t.define(ContainerSpec.builder("users").template("busybox").build());
		t.start("users");
		// busybox-static has no adduser: a user is two lines, as adduser would write them
		ExecResult made = exec("users", "sh", "-c", "echo 'u1:x:1000:1000::/tmp:/bin/sh' >>/etc/passwd"
				+ " && echo 'u1::1000:' >>/etc/group && echo 'u1:!:20000:0:99999:7:::' >>/etc/shadow"
				+ " && printf 'Secret-1\\nSecret-1\\n' | passwd u1 && grep '^u1:' /etc/shadow");
		assertEquals(0, made.exitCode(), made.stdoutText() + made.stderrText());
		assertTrue(made.stdoutText().contains("\nu1:$"), "a hashed password: " + made.stdoutText());
		assertEquals("0\t65535\n", exec("users", "cat", "/proc/sys/net/ipv4/ping_group_range").stdoutText(),
				"ICMP datagram sockets for every group the container maps");
		// busybox's ping wants a raw socket (root); a ping with datagram sockets (iputils) works for everyone: the
		// probe makes the same call
		Path probe = t.configRoot.resolve("users/rootfs/icmp-echo");
		Process gcc = new ProcessBuilder("gcc", "-O2", "-static", "-o", probe.toString(),
				Path.of("native/tests/icmp-echo.c").toAbsolutePath().toString()).redirectErrorStream(true).start();
		String out = new String(gcc.getInputStream().readAllBytes());
		assertEquals(0, gcc.waitFor(), "gcc icmp-echo.c: " + out);
		ExecResult su = exec("users", "su", "u1", "-c", "id -u; /icmp-echo");
		assertEquals(0, su.exitCode(), su.stdoutText() + su.stderrText());
		assertEquals("1000\necho reply\n", su.stdoutText());
		ExecResult ping = exec("users", "ping", "-c", "1", "-W", "2", "127.0.0.1");
		assertEquals(0, ping.exitCode(), "busybox ping as root: " + ping.stdoutText() + ping.stderrText());
	}

	@Test
	void aSharerJoinsItsOwnersUserNamespaceAndAPrivilegedOwnerIsRefused() throws Exception {
		t.define(ContainerSpec.builder("owner").build());
		ContainerSnapshot sharer = t.define(ContainerSpec.builder("sharer").share(NamespaceType.UTS, "owner").build());
		assertEquals(NamespaceSpec.share(NamespaceType.USER, "owner"), sharer.spec().namespace(NamespaceType.USER));
		assertTrue(sharer.spec().uidMaps().isEmpty(), "no block of its own: it has the owner's");
		long o = t.start("owner").initPid();
		long s = t.start("sharer").initPid();
		assertEquals(Files.readSymbolicLink(Path.of("/proc", Long.toString(o), "ns", "user")),
				Files.readSymbolicLink(Path.of("/proc", Long.toString(s), "ns", "user")));
		assertEquals("owner", exec("sharer", "hostname").stdoutText().trim());

		t.define(ContainerSpec.builder("root").namespace(NamespaceType.USER, NamespaceMode.HOST).build());
		BerthException e = assertThrows(BerthException.class,
				() -> t.define(ContainerSpec.builder("joiner").share(NamespaceType.IPC, "root").build()));
		assertTrue(e.getMessage().contains("\"root\", a privileged container"), e.getMessage());
		assertFalse(t.engine.get("joiner").isPresent());
	}

	@Test
	void aPrivilegedContainerKeepsTheHostsUserNamespaceAndACloneGetsABlockOfItsOwn() throws Exception {
		ContainerSnapshot p = t.define(ContainerSpec.builder("priv").namespace(NamespaceType.USER, NamespaceMode.HOST)
				.build());
		assertTrue(p.spec().isPrivileged());
		assertTrue(p.spec().uidMaps().isEmpty());
		long pid = t.start("priv").initPid();
		assertEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/user")),
				Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "user")));

		IdMap first = t.define(ContainerSpec.builder("orig").build()).spec().idBlock().orElseThrow();
		IdMap copy = await(t.engine.cloneContainer("orig", "copy")).spec().idBlock().orElseThrow();
		assertNotEquals(first, copy, "a clone's root is not the original's");
		t.start("copy");
		assertEquals("0", exec("copy", "stat", "-c", "%u", "/bin/busybox").stdoutText().trim());
	}

	@Test
	void aRootfsUnderAFolderOnlyRootMayPassStartsAndAFailedSetUpSaysWhy() throws Exception {
		t.define(ContainerSpec.builder("shut").build());
		Path dir = t.configRoot.resolve("shut");
		Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
		assertEquals(ContainerState.RUNNING, t.start("shut").state(), "reached through the idmapped mount, as root");

		t.define(ContainerSpec.builder("noinit").init("/no/such/init").build());
		BerthException e = assertThrows(BerthException.class, () -> t.start("noinit"));
		assertTrue(e.getMessage().contains("/no/such/init"), "the helper's reason: " + e.getMessage());
	}
}
