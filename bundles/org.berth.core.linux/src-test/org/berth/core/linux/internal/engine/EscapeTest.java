package org.berth.core.linux.internal.engine;

import static org.berth.core.linux.internal.engine.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.berth.core.ContainerKind;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.NamespaceType;
import org.berth.core.NamespaceMode;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.linux.internal.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Escapes tried from inside real containers, as their root: a small static C probe
 * ({@code native/tests/escape-probe.c}, built here with gcc) makes each system call and prints its errno; the
 * tests assert that each fails and that the host's core_pattern is what it was. Every attempt is harmless if it
 * works (the probe writes core_pattern's own value back, only reads the disk, passes invalid arguments to
 * kexec_load and clock_settime). The default container is privileged today (the host's user namespace, with
 * CAP_SYS_ADMIN and CAP_MKNOD): what stops these is the seccomp filter and the device policy.
 */
class EscapeTest {

	private TestEngine t;
	private Path probe;

	@BeforeEach
	void setUp() throws Exception {
		assumeTrue(Host.isRoot(), "integration tests start real containers and need root");
		assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs Debian's busybox-static");
		assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "builds the probe with gcc");
		t = new TestEngine();
		probe = t.configRoot.resolve("escape-probe");
		Process gcc = new ProcessBuilder("gcc", "-O2", "-static", "-o", probe.toString(),
				Path.of("native/tests/escape-probe.c").toAbsolutePath().toString()).redirectErrorStream(true).start();
		String out = new String(gcc.getInputStream().readAllBytes());
		assertEquals(0, gcc.waitFor(), "gcc escape-probe.c: " + out);
	}

	@AfterEach
	void tearDown() throws Exception {
		if (t != null) {
			t.close();
		}
	}

	/** The host's root file system's block device: major:minor and its name in /dev, from mountinfo. */
	private static String[] hostRootDevice() throws Exception {
		for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
			String[] f = line.split(" ");
			if (f[4].equals("/")) {
				String source = line.substring(line.indexOf(" - ") + 3).split(" ")[1];
				return new String[]{f[2], source.substring(source.lastIndexOf('/') + 1)};
			}
		}
		throw new AssertionError("no / in /proc/self/mountinfo");
	}

	/** Starts {@code spec}, runs the probe in it as root, and returns each attempt's result ("ok" or "EPERM 1"). */
	private Map<String, String> probe(ContainerSpec spec) throws Exception {
		t.define(spec);
		ContainerSnapshot c = t.start(spec.name());
		// onto the disk, not through /proc/PID/root: the container's view of its root is idmapped, and host root is
		// not one of its ids
		Files.copy(probe, t.configRoot.resolve(spec.name()).resolve("rootfs/escape-probe"),
				StandardCopyOption.COPY_ATTRIBUTES);
		String[] disk = hostRootDevice();
		assumeTrue(!disk[0].startsWith("0:"), "the host's root is not on a block device: " + disk[0]);
		ExecResult r = await(t.engine.exec(spec.name(), ExecRequest.of("/escape-probe", disk[0], disk[1])));
		assertEquals(0, r.exitCode(), r.stdoutText() + r.stderrText());
		Map<String, String> results = new LinkedHashMap<>();
		for (String line : r.stdoutText().split("\n")) {
			int sp = line.indexOf(' ');
			results.put(sp < 0 ? line : line.substring(0, sp), sp < 0 ? "" : line.substring(sp + 1));
		}
		System.out.println("escape probe in " + spec.name() + " (seccomp " + spec.seccomp() + "): " + results);
		return results;
	}

	private static void assertDenied(Map<String, String> results, String attempt, String... errnos) {
		String got = results.get(attempt);
		assertTrue(got != null && List.of(errnos).contains(got.split(" ")[0]),
				attempt + " must fail with one of " + List.of(errnos) + ", got " + got + " (all: " + results + ")");
	}

	/**
	 * A default container: its own user namespace (the host's root owns the host's sysctls, and a mount made in the
	 * container's namespace is the container's), seccomp and the device policy.
	 */
	/** What seccomp and the device policy refuse in every confined container, privileged or not. */
	private static void assertFilterAndDevicePolicyDeny(Map<String, String> r) {
		assertEquals("2", r.get("seccomp_mode"), "the probe runs under a seccomp filter");
		assertDenied(r, "core_pattern", "EROFS", "EACCES", "EPERM");
		assertDenied(r, "mknod_host_disk", "EPERM");
		for (String call : List.of("open_by_handle_at", "kexec_load", "init_module", "finit_module", "clock_settime",
				"settimeofday", "tiocsti")) {
			assertDenied(r, call, "EPERM");
		}
	}

	@Test
	void aDefaultContainersRootCannotReachTheHost() throws Exception {
		String corePattern = Files.readString(Path.of("/proc/sys/kernel/core_pattern"));
		Map<String, String> r = probe(ContainerSpec.builder("userns").template("busybox").build());
		assertFilterAndDevicePolicyDeny(r);
		assertCorePatternStaysCovered(r);
		assertEquals(corePattern, Files.readString(Path.of("/proc/sys/kernel/core_pattern")), "host unchanged");
	}

	/**
	 * The helper joins cgroups through descriptors of host files (init writes into the v1 groups' {@code tasks} files
	 * the helper opened before the clone; an exec's child is cloned into the cgroup2 group by its directory's
	 * descriptor): none of them may reach init or a command the container runs. Checked from the host, on init and on
	 * an exec's running command, default and privileged.
	 */
	@Test
	void noHostDescriptorOfTheCgroupJoinReachesTheContainer() throws Exception {
		for (ContainerSpec spec : List.of(ContainerSpec.builder("fds").template("busybox").build(),
				ContainerSpec.builder("fdsp").template("busybox").namespace(NamespaceType.USER, NamespaceMode.HOST)
						.build())) {
			t.define(spec);
			ContainerSnapshot c = t.start(spec.name());
			String marker = "31." + (spec.name().length() * 1111); // an argument no other sleep has
			try (var session = await(t.engine.openExec(spec.name(), ExecRequest.of("sleep", marker)))) {
				long sleeper = -1;
				long deadline = System.nanoTime() + 10_000_000_000L;
				while (sleeper < 0) {
					assertTrue(System.nanoTime() < deadline, "the exec's sleep never appeared");
					sleeper = ProcessHandle.allProcesses().filter(h -> h.info().arguments()
							.map(a -> a.length == 1 && a[0].equals(marker)).orElse(false)).mapToLong(ProcessHandle::pid)
							.findFirst().orElse(-1);
					Thread.sleep(20);
				}
				for (long pid : new long[]{c.initPid(), sleeper}) {
					List<String> fds = new java.util.ArrayList<>();
					try (var list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
						for (Path fd : list.toList()) {
							fds.add(fd.getFileName() + " -> " + Files.readSymbolicLink(fd));
						}
					}
					assertTrue(fds.stream().noneMatch(f -> f.contains("/sys/fs/cgroup")),
							spec.name() + ": process " + pid + " holds " + fds);
				}
			}
			await(t.engine.kill(spec.name()));
		}
	}

	/** Every way around the read-only /proc/sys the probe tries, failed (or never got as far as the write). */
	private static void assertCorePatternStaysCovered(Map<String, String> r) {
		for (String attempt : List.of("core_pattern_after_umount", "core_pattern_fresh_proc",
				"core_pattern_after_remount", "core_pattern_via_bind", "core_pattern_after_move")) {
			assertNotEquals("ok", r.get(attempt), attempt + ": " + r);
		}
	}

	/**
	 * A privileged container (the host's user namespace, {@code --privileged}): seccomp and the device policy still
	 * stop what they can, and the filter's mount guard keeps the read-only mounts in place (no unmount, move,
	 * read-write remount, bind without submounts, fresh proc or sysfs, new mount API), so core_pattern stays
	 * covered.
	 */
	@Test
	void aPrivilegedContainersRootIsStillConfinedBySeccompAndTheDevicePolicy() throws Exception {
		String corePattern = Files.readString(Path.of("/proc/sys/kernel/core_pattern"));
		Map<String, String> r = probe(ContainerSpec.builder("esc").template("busybox")
				.namespace(NamespaceType.USER, NamespaceMode.HOST).build());
		assertFilterAndDevicePolicyDeny(r);
		// no lock of the kernel's protects a privileged container's mounts: the filter's mount guard does
		assertCorePatternStaysCovered(r);
		for (String call : List.of("umount_proc_sys", "mount_fresh_proc", "remount_proc_sys_rw", "bind_proc_alone",
				"move_proc_sys", "open_tree_proc", "mount_devtmpfs")) {
			assertDenied(r, call, "EPERM");
		}
		// (the device policy alone stops reading the disk through a devtmpfs: the control below)
		assertDenied(r, "kexec_load_x32", "EPERM");
		assertTrue(r.get("fds_self").trim().split(" ").length <= 3 && !r.get("fds_self").contains(" 3="),
				"only stdin, stdout and stderr reach the probe: " + r.get("fds_self"));
		assertTrue(!r.get("fds_init").contains(" 3="),
				"init holds no descriptor of the helper's: " + r.get("fds_init"));
		assertEquals(corePattern, Files.readString(Path.of("/proc/sys/kernel/core_pattern")), "host unchanged");
	}

	/**
	 * The host template binds the host's /usr read-only: from inside, neither a default nor a privileged container's
	 * root can write to it. A privileged one cannot even remount it (the mount guard); a default one can remount
	 * its own mount namespace's view read-write (the helper makes the bind inside the new user namespace, so the
	 * kernel does not lock it), but the files stay the host root's, an id outside its map.
	 */
	@Test
	void theHostsUsrStaysReadOnly() throws Exception {
		for (ContainerSpec spec : List.of(ContainerSpec.builder("usr").template("host").build(),
				ContainerSpec.builder("usrp").template("host").namespace(NamespaceType.USER, NamespaceMode.HOST)
						.build())) {
			Map<String, String> r = probe(spec);
			assertDenied(r, "write_usr", "EROFS", "EACCES", "EPERM");
			if (spec.namespace(NamespaceType.USER).mode() == NamespaceMode.HOST) {
				assertDenied(r, "remount_usr_rw", "EPERM");
			}
			await(t.engine.kill(spec.name()));
		}
		assertFalse(Files.exists(Path.of("/usr/.berth-escape-probe")));
	}

	/**
	 * An application container runs Berth's helper as its init, bound in read-only from the host: its root cannot
	 * open it for writing through /proc/1/exe (CVE-2019-5736), privileged or not; a privileged one cannot remount
	 * it either (for a default one the binary stays the host root's, outside its id map).
	 */
	@Test
	void anApplicationContainerCannotWriteTheHelper() throws Exception {
		for (ContainerSpec spec : List.of(
				ContainerSpec.builder("appx").template("busybox").kind(ContainerKind.APPLICATION)
						.init("/bin/sleep", "1000").build(),
				ContainerSpec.builder("appp").template("busybox").kind(ContainerKind.APPLICATION)
						.init("/bin/sleep", "1000").namespace(NamespaceType.USER, NamespaceMode.HOST).build())) {
			Map<String, String> r = probe(spec);
			assertDenied(r, "write_init_exe", "EROFS", "EACCES", "EPERM", "ETXTBSY");
			if (spec.namespace(NamespaceType.USER).mode() == NamespaceMode.HOST) {
				assertDenied(r, "remount_init_exe_rw", "EPERM");
			}
			await(t.engine.kill(spec.name()));
		}
	}

	/**
	 * The control: without seccomp the same calls get past the filter to the kernel (so the probe can fail); in the
	 * host's user namespace, where only the filter stands between open_by_handle_at and the host's files.
	 */
	@Test
	void withoutSeccompTheProbesReachTheKernel() throws Exception {
		Map<String, String> r = probe(ContainerSpec.builder("open").template("busybox")
				.namespace(NamespaceType.USER, NamespaceMode.HOST).seccomp(ContainerSpec.SECCOMP_UNCONFINED).build());
		assertEquals("0", r.get("seccomp_mode"));
		// kexec_load, init_module and clock_settime answer differently per kernel (EPERM, ENOSYS, EINVAL): only
		// open_by_handle_at is refused by nothing but the filter
		assertEquals("ok", r.get("open_by_handle_at"), "a file handle opens any inode: what the filter stops");
		// the device policy does not depend on seccomp
		assertDenied(r, "mknod_host_disk", "EPERM");
		assertDenied(r, "read_host_disk_devtmpfs", "EPERM");
		assertNotEquals("ok", r.get("read_host_disk_mknod"));
	}

	/**
	 * A checkpoint's restore runs CRIU as host root on what the container left: files its process holds open, which
	 * the container's root then replaces by symbolic links naming host files (one absolute, one climbing with ".."),
	 * before the container is stopped and restored. The link is resolved inside the
	 * container's root, never on the host: the host file is neither written nor created, whether the restore
	 * succeeds or is refused.
	 */
	@Test
	void aRestoreDoesNotFollowALinkTheContainerPlantedToAHostFile() throws Exception {
		assertTrue(org.berth.core.linux.internal.checkpoint.Criu.locate().isPresent(),
				"no CRIU: releng/setup-criu (run by releng/test as root) provides it");
		Path host = Files.createDirectory(t.configRoot.resolve("host-side"));
		Path target = host.resolve("target");
		Files.writeString(target, "host\n");
		Path absent = host.resolve("absent");
		t.define(ContainerSpec.builder("ck").template("busybox").build());
		t.start("ck");
		ExecResult held = await(t.engine.exec("ck", ExecRequest.of("sh", "-c", "sh -c 'exec 3>>/root/held"
				+ " 4>>/root/held2; while true; do echo x >&3; echo y >&4; sleep 0.1; done' </dev/null >/dev/null 2>&1 &")));
		assertEquals(0, held.exitCode(), held.stderrText());
		await(t.engine.checkpoint("ck", new org.berth.core.CheckpointRequest("planted", null, true, false)));
		for (String[] link : List.of(new String[]{"/root/held", target.toString()},
				new String[]{"/root/held.new", "../../../../../../.." + absent})) {
			ExecResult planted = await(t.engine.exec("ck", ExecRequest.of("sh", "-c", "rm -f " + link[0] + " && ln -s "
					+ link[1] + " " + link[0])));
			assertEquals(0, planted.exitCode(), planted.stderrText());
		}
		await(t.engine.kill("ck"));
		ContainerSnapshot after;
		try {
			after = await(t.engine.restoreCheckpoint("ck", "planted"));
		} catch (Exception refused) {
			after = t.engine.get("ck").orElseThrow();
		}
		if (after.isActive()) {
			// restored: its process writes through the descriptor it got back, wherever that leads
			long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
			Path inside = t.configRoot.resolve("ck/rootfs" + target);
			while (!Files.exists(inside) && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			await(t.engine.kill("ck"));
		}
		assertEquals("host\n", Files.readString(target), "the host file is as it was");
		assertFalse(Files.exists(absent), "nothing made on the host");
	}

	/**
	 * A migration's rsync reads the container's files while the container runs: a folder the container swaps for a
	 * link to the host's / between rsync's listing and its reading must not make the sender (root) read host files.
	 * It reads through {@link org.berth.core.linux.internal.migration.SenderView}: here a link planted inside the root
	 * file system is read through that view as rsync would, and ends in ELOOP; the container's own files are read.
	 */
	@Test
	void aMigrationsSenderDoesNotFollowALinkTheContainerPlanted() throws Exception {
		Path host = Files.createDirectory(t.configRoot.resolve("host-side"));
		Files.writeString(host.resolve("secret"), "host\n");
		t.define(ContainerSpec.builder("mv").template("busybox").build());
		t.start("mv");
		ExecResult planted = await(t.engine.exec("mv", ExecRequest.of("sh", "-c", "echo mine > /root/own && ln -s / "
				+ "/root/escape")));
		assertEquals(0, planted.exitCode(), planted.stderrText());
		Path view = Files.createDirectory(t.configRoot.resolve("view"));
		String through = view + "/rootfs/root/escape" + host + "/secret";
		Process p = new ProcessBuilder(org.berth.core.linux.internal.migration.SenderView.wrap(
				t.configRoot.resolve("mv").toString(), view.toString(), List.of("sh", "-c", "cat " + view
						+ "/rootfs/root/own; readlink " + view + "/rootfs/root/escape; cat " + through
						+ " || echo REFUSED")))
				.redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		assertEquals(0, p.waitFor(), out);
		assertTrue(out.startsWith("mine\n/\n"), "its own files and links are read: " + out);
		assertTrue(out.contains("Too many levels of symbolic links") && out.endsWith("REFUSED\n")
				&& !out.contains("host\n"), "the host file is not read through the planted link: " + out);
		assertTrue(Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().noneMatch(l -> l.contains(view
				.toString())), "the view was in the sender's own mount namespace: nothing is left on the host");
		await(t.engine.kill("mv"));
	}
}
