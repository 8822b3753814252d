package org.berth.core.linux.internal.engine;

import static org.berth.core.linux.internal.engine.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.ExecRequest;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceType;
import org.berth.core.linux.internal.testing.Await;
import org.berth.core.linux.internal.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The debian template's systemd boots in an unprivileged container (its own user namespace, the root file system
 * idmapped, its cgroup2 folder delegated) to "running" or "degraded", and halts on its halt signal. The template is
 * made with debootstrap from the host's own apt mirror (minutes the first time); without debootstrap the test is
 * skipped, and says so.
 */
class DebianSystemdTest {

	private TestEngine t;

	@BeforeEach
	void setUp() throws Exception {
		assumeTrue(Host.isRoot(), "integration tests start real containers and need root");
		assumeTrue(Files.isExecutable(Path.of("/usr/sbin/debootstrap")), "needs debootstrap (releng/setup-host)");
		t = new TestEngine();
	}

	@AfterEach
	void tearDown() throws Exception {
		if (t != null) {
			t.close();
		}
	}

	private String inside(String... cmd) throws Exception {
		return await(t.engine.exec("deb", ExecRequest.of(cmd))).stdoutText().trim();
	}

	@Test
	void systemdBootsUnprivilegedAndHalts() throws Exception {
		ContainerSnapshot defined = t.engine.define(ContainerSpec.builder("deb").template("debian").build())
				.get(20, TimeUnit.MINUTES);
		assertTrue(defined.spec().idBlock().isPresent(), "unprivileged");
		ContainerSnapshot running = t.start("deb");
		String[] map = Files.readString(Path.of("/proc", Long.toString(running.initPid()), "uid_map")).trim()
				.split("\\s+");
		assertEquals(List.of("0", Long.toString(defined.spec().idBlock().get().outsideId()), "65536"), List.of(map));
		bootsAndHalts();
	}

	/** A privileged one boots too, under the mount guard (what its services cannot mount is in the failed units). */
	@Test
	void systemdBootsPrivilegedUnderTheMountGuard() throws Exception {
		t.engine.define(ContainerSpec.builder("deb").template("debian").namespace(NamespaceType.USER,
				NamespaceMode.HOST).build()).get(20, TimeUnit.MINUTES);
		t.start("deb");
		bootsAndHalts();
	}

	private void bootsAndHalts() throws Exception {
		String[] state = {""};
		try {
			Await.until("systemctl is-system-running says running or degraded", Duration.ofSeconds(120), () -> {
				state[0] = inside("systemctl", "is-system-running");
				return state[0].equals("running") || state[0].equals("degraded");
			});
		} catch (Exception | AssertionError e) {
			Path log = t.runRoot.resolve("deb/console.log");
			String console = Files.exists(log) ? Files.readString(log) : "(no console log)";
			throw new AssertionError("systemd did not come up (" + state[0] + "); its console:\n"
					+ console.substring(Math.max(0, console.length() - 4000)), e);
		}
		System.out.println("DebianSystemdTest: systemd is " + state[0] + "; failed units: "
				+ inside("systemctl", "--failed", "--no-legend", "--plain"));
		assertEquals("systemd", inside("cat", "/proc/1/comm"));
		ContainerSnapshot stopped = await(t.engine.stop("deb", Duration.ofSeconds(60)));
		assertEquals(ContainerState.STOPPED, stopped.state());
		assertTrue(stopped.lastExit() == null || !stopped.lastExit().contains("SIGKILL"),
				"halted by its halt signal, not killed: " + stopped.lastExit());
	}
}
