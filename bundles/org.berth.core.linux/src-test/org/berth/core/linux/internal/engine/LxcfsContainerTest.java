package org.berth.core.linux.internal.engine;

import static org.berth.core.linux.internal.engine.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.berth.core.ContainerKind;
import org.berth.core.ContainerSpec;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.Limits;
import org.berth.core.Sizes;
import org.berth.core.linux.internal.proc.MountInfo;
import org.berth.core.linux.internal.testing.Await;
import org.berth.core.linux.internal.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real lxcfs of the test's own, on a temporary mount point, and a container started with the engine pointed at
 * it: inside, {@code free}, /proc/cpuinfo, /sys/devices/system/cpu and /proc/uptime show the container's limits and
 * age, not the host's. lxcfs is ended by its PID (unmounted first) and nothing of it is left.
 */
class LxcfsContainerTest {

	private static final Path LXCFS = Path.of("/usr/bin/lxcfs");
	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private Path dir;
	private Path mountPoint;
	private Process lxcfs;
	private TestEngine t;

	@BeforeEach
	void setUp() throws Exception {
		assumeTrue(Host.isRoot(), "integration tests start real containers and need root");
		assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs Debian's busybox-static");
		assumeTrue(Files.isExecutable(LXCFS), "needs Debian's lxcfs (releng/setup-host installs it)");
		dir = Files.createTempDirectory("berth-lxcfs",
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
		// as /var/lib/berth is: a container with a user namespace of its own (host uid 1048576+) must reach it
		mountPoint = Files.createDirectory(dir.resolve("mnt"));
		// in the foreground, so the PID is this child's; its own pid file, not the system lxcfs's /run/lxcfs.pid
		lxcfs = new ProcessBuilder(LXCFS.toString(), "--foreground", "--enable-cfs", "--pidfile",
				dir.resolve("lxcfs.pid").toString(), mountPoint.toString())
				.redirectErrorStream(true).redirectOutput(dir.resolve("lxcfs.log").toFile()).start();
		Await.until("lxcfs mounted at " + mountPoint, TIMEOUT,
				() -> mounted() || !lxcfs.isAlive() && fail("lxcfs ended: " + log()));
		t = new TestEngine(c -> c.withLxcfs(mountPoint));
	}

	@AfterEach
	void tearDown() throws Exception {
		try {
			if (t != null) {
				t.close();
			}
		} finally {
			if (lxcfs != null) {
				stopLxcfs();
			}
		}
	}

	private boolean mounted() throws IOException {
		return Lxcfs.mountedAt(MountInfo.readSelf(), mountPoint);
	}

	private String log() throws IOException {
		return Files.readString(dir.resolve("lxcfs.log"));
	}

	private static boolean fail(String why) {
		throw new AssertionError(why);
	}

	/** Unmounts (lxcfs then ends by itself), ends it by PID if it does not, and checks nothing is left. */
	private void stopLxcfs() throws Exception {
		long pid = lxcfs.pid();
		if (mounted()) {
			TestEngine.run("umount", mountPoint.toString());
		}
		if (!lxcfs.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			lxcfs.destroy();
			if (!lxcfs.waitFor(5, TimeUnit.SECONDS)) {
				lxcfs.destroyForcibly().waitFor();
			}
		}
		assertFalse(mounted(), "the test's lxcfs mount is left");
		assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "lxcfs " + pid + " still runs");
		Files2.deleteTree(dir);
	}

	private String exec(String name, String... cmd) throws Exception {
		ExecResult r = await(t.engine.exec(name, ExecRequest.of(cmd)));
		assertEquals(0, r.exitCode(), String.join(" ", cmd) + ": " + r.stderrText());
		return r.stdoutText();
	}

	private static ContainerSpec small(String name, String template) {
		return ContainerSpec.builder(name).template(template)
				.limits(Limits.NONE.withMemoryBytes(128 * Sizes.MIB).withCpus(1.0)).build();
	}

	/** The host template runs the host's procps and coreutils, which read /proc as a real machine's tools do. */
	@Test
	void aContainerSeesItsOwnMemoryCpusAndUptime() throws Exception {
		int hostCpus = Runtime.getRuntime().availableProcessors();
		t.define(small("small", "host"));
		t.start("small");

		String free = exec("small", "free", "-m");
		String mem = free.lines().filter(l -> l.startsWith("Mem:")).findFirst().orElseThrow(() -> new AssertionError(
				free));
		assertEquals("128", mem.trim().split("\\s+")[1], "free -m total:\n" + free);

		long processors = exec("small", "cat", "/proc/cpuinfo").lines().filter(l -> l.startsWith("processor"))
				.count();
		assertEquals(1, processors, "processors in /proc/cpuinfo (the host has " + hostCpus + ")");
		assertEquals("0", exec("small", "cat", "/sys/devices/system/cpu/online").trim());
		long cpuLines = exec("small", "cat", "/proc/stat").lines().filter(l -> l.matches("cpu\\d+ .*")).count();
		assertEquals(1, cpuLines, "cpuN lines in /proc/stat");
		assertEquals("1", exec("small", "getconf", "_NPROCESSORS_ONLN").trim(), "glibc reads /sys/.../cpu/online");
		// nproc asks sched_getaffinity: --cpus 1 pins the container to one CPU (CpuPlacement)
		assertEquals("1", exec("small", "nproc").trim(), "nproc with --cpus 1 (the host has " + hostCpus + ")");
		if (hostCpus > 1) {
			// a second one-CPU container goes to another CPU
			t.define(small("small2", "host"));
			t.start("small2");
			String first = exec("small", "sh", "-c", "grep Cpus_allowed_list /proc/1/status").trim();
			String second = exec("small2", "sh", "-c", "grep Cpus_allowed_list /proc/1/status").trim();
			assertTrue(!first.equals(second), first + " / " + second);
		}

		double inside = Double.parseDouble(exec("small", "cat", "/proc/uptime").split("\\s+")[0]);
		double host = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split("\\s+")[0]);
		assertTrue(inside < host, "the container's uptime (" + inside + " s) is its own, not the host's (" + host
				+ " s)");
	}

	/**
	 * Busybox's tools read the same files; busybox {@code free} takes its total from sysinfo(2), which the monitor
	 * answers (SysinfoContainerTest), and its "available" column from /proc/meminfo.
	 */
	@Test
	void aBusyboxContainerReadsTheSameFiles() throws Exception {
		t.define(small("bb", "busybox"));
		t.start("bb");
		String memTotal = exec("bb", "head", "-n", "1", "/proc/meminfo").trim();
		assertTrue(memTotal.matches("MemTotal:\\s+131072 kB"), memTotal);
		String free = exec("bb", "free", "-m");
		String mem = free.lines().filter(l -> l.startsWith("Mem:")).findFirst().orElseThrow(() -> new AssertionError(
				free));
		String[] columns = mem.trim().split("\\s+");
		assertTrue(Long.parseLong(columns[columns.length - 1]) <= 128, "busybox free -m available:\n" + free);
		assertEquals("128", columns[1], "busybox free -m total:\n" + free);
		assertEquals(1, exec("bb", "cat", "/proc/cpuinfo").lines().filter(l -> l.startsWith("processor")).count());
		System.out.println("LxcfsContainerTest: busybox free -m:\n" + free + "busybox nproc " + exec("bb", "nproc")
				.trim());
	}

	@Test
	void anApplicationContainerRunsWithThemToo() throws Exception {
		t.define(ContainerSpec.builder("app").template("busybox").kind(ContainerKind.APPLICATION)
				.init(List.of("/bin/sleep", "1000")).limits(Limits.NONE.withMemoryBytes(64 * Sizes.MIB)).build());
		t.start("app");
		String memTotal = exec("app", "head", "-n", "1", "/proc/meminfo").trim();
		assertTrue(memTotal.matches("MemTotal:\\s+65536 kB"), memTotal);
		assertEquals("1", exec("app", "sh", "-c", "cat /proc/1/stat | cut -d' ' -f1").trim(), "its program is PID 1");
	}

	@Test
	void withoutAnLxcfsMountAContainerReadsTheKernelsFilesAndTheEngineSaysSo() throws Exception {
		try (TestEngine other = new TestEngine(c -> c.withLxcfs(dir.resolve("not-mounted")))) {
			other.define(ContainerSpec.builder("plain").template("busybox")
					.limits(Limits.NONE.withMemoryBytes(128 * Sizes.MIB)).build());
			other.start("plain");
			String meminfo = await(other.engine.exec("plain", ExecRequest.of("head", "-n", "1", "/proc/meminfo")))
					.stdoutText();
			assertFalse(meminfo.trim().endsWith(" 131072 kB"), meminfo);
			assertTrue(other.engine.limitations().stream().anyMatch(s -> s.startsWith("LXCFS is not mounted at "
					+ dir.resolve("not-mounted"))), other.engine.limitations().toString());
		}
		assertFalse(t.engine.limitations().stream().anyMatch(s -> s.startsWith("LXCFS")), "mounted: no word");
	}
}
