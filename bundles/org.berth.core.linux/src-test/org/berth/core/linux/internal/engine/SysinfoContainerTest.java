package org.berth.core.linux.internal.engine;

import static org.berth.core.linux.internal.engine.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.berth.core.ContainerKind;
import org.berth.core.ContainerSpec;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.Limits;
import org.berth.core.Sizes;
import org.berth.core.linux.internal.testing.Await;
import org.berth.core.linux.internal.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * busybox's {@code free} and {@code uptime} ask sysinfo(2), which no file system (LXCFS) can answer: the monitor
 * does, through the seccomp filter (native/sysinfo.h). Without LXCFS here, so what is seen is sysinfo's alone.
 */
class SysinfoContainerTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private TestEngine t;

	@BeforeEach
	void setUp() throws Exception {
		assumeTrue(Host.isRoot(), "integration tests start real containers and need root");
		assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs Debian's busybox-static");
		t = new TestEngine(c -> c.withLxcfs(Path.of("/nonexistent-lxcfs")));
	}

	@AfterEach
	void tearDown() throws Exception {
		if (t != null) {
			t.close();
		}
	}

	private String exec(String name, String... cmd) throws Exception {
		ExecResult r = await(t.engine.exec(name, ExecRequest.of(cmd)));
		assertEquals(0, r.exitCode(), String.join(" ", cmd) + ": " + r.stderrText());
		return r.stdoutText();
	}

	/**
	 * The total of the "Mem:" line of {@code free -m}, read up to where the header's "total" ends: without LXCFS
	 * busybox subtracts the host's page cache (/proc/meminfo) from the container's total, and its "used" column
	 * overflows into the total's.
	 */
	private static long memTotal(String free) {
		String header = free.lines().filter(l -> l.contains("total")).findFirst()
				.orElseThrow(() -> new AssertionError("no header in\n" + free));
		String mem = free.lines().filter(l -> l.startsWith("Mem:")).findFirst()
				.orElseThrow(() -> new AssertionError("no Mem: line in\n" + free));
		return Long.parseLong(mem.substring(4, header.indexOf("total") + 5).trim());
	}

	@Test
	void freeAndUptimeInAContainerAreItsOwn() throws Exception {
		long hostMib = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
				.map(l -> Long.parseLong(l.replaceAll("\\D+", "")) / 1024).findFirst().orElseThrow();
		t.define(ContainerSpec.builder("small").template("busybox")
				.limits(Limits.NONE.withMemoryBytes(128 * Sizes.MIB)).build());
		t.start("small");
		assertEquals(128, memTotal(exec("small", "free", "-m")), "busybox free -m in a 128 MiB container (the host has "
				+ hostMib + " MiB)");
		String uptime = exec("small", "uptime");
		assertTrue(uptime.contains("up 0 min"), "a container started just now: " + uptime);

		// a process the exec leaves behind is answered after the exec has ended
		exec("small", "sh", "-c", "(sleep 1; free -m >/tmp/late.part; mv /tmp/late.part /tmp/late) "
				+ "</dev/null >/dev/null 2>&1 &");
		Await.until("the left-behind process's free", TIMEOUT,
				() -> await(t.engine.exec("small", ExecRequest.of("test", "-e", "/tmp/late"))).exitCode() == 0);
		assertEquals(128, memTotal(exec("small", "cat", "/tmp/late")));

		// an unconfined container asks the kernel: the host's memory
		t.define(ContainerSpec.builder("open").template("busybox").seccomp("unconfined")
				.limits(Limits.NONE.withMemoryBytes(128 * Sizes.MIB)).build());
		t.start("open");
		assertEquals(hostMib, memTotal(exec("open", "free", "-m")), "unconfined: the kernel's answer");
	}

	@Test
	void initAndItsChildrenAreAnsweredByTheMonitor() throws Exception {
		t.define(ContainerSpec.builder("app").template("busybox").kind(ContainerKind.APPLICATION)
				.init(List.of("/bin/sh", "-c", "free -m; exec sleep 1000"))
				.limits(Limits.NONE.withMemoryBytes(64 * Sizes.MIB)).build());
		t.start("app");
		Path log = t.runRoot.resolve("app").resolve(RunDir.CONSOLE_LOG);
		Await.until("free's output on the console", TIMEOUT,
				() -> Files.exists(log) && Files.readString(log).contains("Swap:"));
		assertEquals(64, memTotal(Files.readString(log).replace("\r", "")));
	}
}
