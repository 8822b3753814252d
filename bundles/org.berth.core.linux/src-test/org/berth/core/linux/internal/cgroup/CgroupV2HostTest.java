package org.berth.core.linux.internal.cgroup;

import org.berth.core.linux.internal.proc.MountInfo;
import org.berth.core.linux.internal.proc.ProcCgroup;
import org.berth.core.linux.internal.sys.Errno;
import org.berth.core.linux.internal.sys.SysException;
import org.berth.core.linux.internal.testing.ChildProcess;
import org.berth.core.linux.internal.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The v2 driver on a real cgroup2 mount: {@code /sys/fs/cgroup} on a unified host, or the controller-less
 * {@code /sys/fs/cgroup/unified} of a hybrid host (where only the core files exist: cgroup.procs,
 * cgroup.freeze, cgroup.events, cgroup.kill, cpu.stat). Needs root; skipped without a cgroup2 mount.
 */
class CgroupV2HostTest {
	private CgroupV2Driver driver;
	private String parent;
	private Group group;
	private String rootSubtreeControl;
	private final HostGroups host = new HostGroups();

	@BeforeEach
	void createGroup() throws IOException {
		assumeTrue(Host.isRoot(), "cgroup writes need root");
		MountInfo mounts = MountInfo.readSelf();
		Optional<MountInfo.Mount> cgroup2 = mounts.ofType("cgroup2").stream()
				.filter(m -> m.mountPoint().equals("/sys/fs/cgroup/unified") || m.mountPoint().equals("/sys/fs/cgroup"))
				.findFirst();
		assumeTrue(cgroup2.isPresent(), "no cgroup2 mount");
		driver = new CgroupV2Driver(Path.of(cgroup2.get().mountPoint()));
		rootSubtreeControl = Files.readString(driver.root().resolve("cgroup.subtree_control"));
		parent = "berth-test-" + Host.randomSuffix();
		group = driver.create(parent + "/c1");
	}

	@AfterEach
	void removeEverything() throws Exception {
		if (driver != null) {
			host.cleanUp(driver, group, parent, List.of(driver.root()));
		}
	}

	@Test
	void aProcessIsPlacedFrozenThawedAndKilled() throws Exception {
		assertEquals(rootSubtreeControl, Files.readString(driver.root().resolve("cgroup.subtree_control")),
				"nothing enabled that the host did not offer");
		ChildProcess sleep = host.start("sleep", "300");
		HostGroups.place(group, sleep.pid());
		assertEquals(Optional.of("/" + parent + "/c1"), ProcCgroup.read(Path.of("/proc"), sleep.pid()).unifiedPath());
		assertEquals(Set.of(sleep.pid()), group.pids());
		assertEquals(List.of("c1"), driver.listGroups(parent));

		assertFalse(group.frozen());
		group.freeze();
		assertTrue(group.frozen());
		group.thaw();
		assertFalse(group.frozen());

		CgroupStats stats = group.stats();
		assertTrue(stats.cpuUsageNanos() >= 0, "cpu.stat is a core file: " + stats);

		group.killAll();
		assertEquals(137, sleep.awaitExit(10));
		assertEquals(Set.of(), group.pids());
		group.remove();
		assertFalse(group.exists());
	}

	@Test
	void limitsNeedTheirControllers() throws Exception {
		Set<String> offered = ControlFiles.controllers(Files.readAllLines(driver.root().resolve("cgroup.controllers")));
		assumeTrue(!offered.contains("memory"), "this test is for a cgroup2 mount without the memory controller");
		group.apply(CgroupLimits.unlimited());
		SysException e = assertThrows(SysException.class,
				() -> group.apply(new CgroupLimits(64L << 20, null, null, null, null, null, null)));
		assertEquals(Errno.ENOENT, e.errno());
		assertEquals("cannot set memory limit of c1 to 64 MiB: the memory controller is not enabled for this group"
				+ " (no memory.max)", e.getMessage());
		assertEquals(-1, group.stats().memoryCurrent());
		assertEquals(-1, group.memoryCurrent());
	}
}
