package org.berth.core.linux.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.berth.core.ContainerSpec;
import org.berth.core.IdMap;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;
import org.berth.core.linux.internal.cgroup.CgroupV1Driver;
import org.junit.jupiter.api.Test;

/** The helper's argument lists, as text: what the engine asks the helper to do for a spec. */
class HelperCommandTest {

	private static HelperCommand.StartPlan plan(Map<NamespaceType, Path> joins) {
		return plan(joins, null);
	}

	private static HelperCommand.StartPlan plan(Map<NamespaceType, Path> joins, Path cloneInto) {
		return plan(joins, cloneInto, null);
	}

	private static HelperCommand.StartPlan plan(Map<NamespaceType, Path> joins, Path cloneInto, Path lxcfs) {
		return new HelperCommand.StartPlan(Path.of("/h"), Path.of("/r"), Path.of("/run/berth/c"),
				List.of("/sbin/init"), joins, List.of(Path.of("/cg/memory/berth/c-1/cgroup.procs")), cloneInto,
				List.of(Path.of("/cg/memory/berth/c-1")),
				List.of(new HelperCommand.Bind(Path.of("/usr"), "/usr", true)), lxcfs,
				12, 1024, true, false, Path.of("/cg/unified/berth/c-1"));
	}

	private static String after(List<String> args, String option) {
		int i = args.indexOf(option);
		return i < 0 ? null : args.get(i + 1);
	}

	@Test
	void defaultSystemContainerGetsItsOwnNamespacesButTheHostsTime() {
		List<String> args = HelperCommand.start(ContainerSpec.builder("c").userNamespace(1048576, 65536).build(),
				plan(Map.of()));
		assertEquals(List.of("/h", "start", "--name", "c", "--rootfs", "/r", "--state-dir", "/run/berth/c"),
				args.subList(0, 8));
		assertEquals("mnt,uts,ipc,pid,net,user,cgroup", after(args, "--ns"));
		assertEquals("0 1048576 65536", after(args, "--uidmap"));
		assertEquals("0 1048576 65536", after(args, "--gidmap"));
		assertEquals("c", after(args, "--hostname"));
		assertEquals("/usr:/usr:ro", after(args, "--bind"));
		assertEquals("12", after(args, "--halt-signal"));
		assertTrue(args.contains("--sync"));
		assertFalse(args.contains("--cgroup-dir"), "no clone3 into a cgroup where init is moved by writes");
		assertEquals("/cg/memory/berth/c-1/cgroup.procs", after(args, "--cgroup-procs"));
		assertEquals(List.of("--", "/sbin/init"), args.subList(args.size() - 2, args.size()));
		assertEquals(5, args.stream().filter("--drop-cap"::equals).count(), "the five default capabilities");
		assertTrue(args.contains("CAP_SYS_TIME"));
		assertEquals("default", after(args, "--seccomp"), "the filter is always named, never left to the helper");
		assertEquals("/cg/unified/berth/c-1", after(args, "--devices-bpf"));
		List<String> rules = new java.util.ArrayList<>();
		for (int i = args.indexOf("--device-allow"); i >= 0 && args.get(i).equals("--device-allow"); i += 2) {
			rules.add(args.get(i + 1));
		}
		assertEquals(CgroupV1Driver.DEVICE_ALLOWLIST, rules, "the same rules as the v1 devices controller");
	}

	@Test
	void theSeccompProfileReachesStartAndExec() {
		ContainerSpec spec = ContainerSpec.builder("c").seccomp("/etc/berth/strict.seccomp").build();
		List<String> start = HelperCommand.start(spec, plan(Map.of()));
		assertEquals("/etc/berth/strict.seccomp", after(start, "--seccomp"));
		assertTrue(start.indexOf("--seccomp") < start.indexOf("--"), "an option, not part of init's command");
		List<String> exec = HelperCommand.exec(Path.of("/h"), 42, List.of(), spec, Map.of(), null, null,
				null, List.of("--seccomp"));
		assertEquals("/etc/berth/strict.seccomp", after(exec, "--seccomp"));
		assertEquals(List.of("--", "--seccomp"), exec.subList(exec.size() - 2, exec.size()));
	}

	@Test
	void aRootfsOwnedByHostRootIsIdmappedInANewUserAndMntNamespace() {
		ContainerSpec own = ContainerSpec.builder("c").userNamespace(1048576, 65536).build();
		assertTrue(HelperCommand.idmapsRootfs(own, 0));
		assertFalse(HelperCommand.idmapsRootfs(own, 1048576), "a rootfs shifted by another tool is used as it is");
		assertFalse(HelperCommand.idmapsRootfs(ContainerSpec.builder("c").namespace(NamespaceType.USER,
				NamespaceMode.HOST).build(), 0), "privileged: nothing to map");
		assertFalse(HelperCommand.idmapsRootfs(ContainerSpec.builder("c").share(NamespaceType.USER, "o").build(), 0),
				"a joined user namespace: its owner's maps are not ours to rely on");
		assertFalse(HelperCommand.idmapsRootfs(own.toBuilder().share(NamespaceType.MNT, "o").build(), 0),
				"a joined mnt namespace: no rootfs is mounted");
		assertFalse(HelperCommand.start(own, plan(Map.of())).contains("--idmap-rootfs"), "only when the plan says so");
	}

	@Test
	void anLxcfsMountIsPassedOnlyWhenThereIsOne() {
		ContainerSpec spec = ContainerSpec.builder("c").build();
		assertFalse(HelperCommand.start(spec, plan(Map.of())).contains("--lxcfs"), "no lxcfs: the kernel's files");
		List<String> args = HelperCommand.start(spec, plan(Map.of(), null, Path.of("/var/lib/lxcfs")));
		assertEquals("/var/lib/lxcfs", after(args, "--lxcfs"));
		assertTrue(args.indexOf("--lxcfs") < args.indexOf("--"), "an option, not part of init's command");
	}

	@Test
	void aGroupClone3CanPlaceInitInIsPassedAsCgroupDir() {
		List<String> args = HelperCommand.start(ContainerSpec.builder("c").build(),
				plan(Map.of(), Path.of("/cg/berth/c-1")));
		assertEquals("/cg/berth/c-1", after(args, "--cgroup-dir"));
	}

	@Test
	void sharedAndHostNamespacesAreJoinedOrLeftAlone() {
		ContainerSpec spec = ContainerSpec.builder("c").namespace(NamespaceSpec.share(NamespaceType.UTS, "other"))
				.namespace(NamespaceSpec.host(NamespaceType.NET)).build();
		List<String> args = HelperCommand.start(spec, plan(Map.of(NamespaceType.UTS, Path.of("/proc/7/ns/uts"))));
		assertEquals("mnt,ipc,pid,user,cgroup", after(args, "--ns"));
		assertEquals("uts=/proc/7/ns/uts", after(args, "--join"));
		assertFalse(args.contains("--hostname"), "a shared uts keeps the other container's hostname");
	}

	@Test
	void userAndTimeNamespacesCarryTheirMapsAndOffsets() {
		ContainerSpec spec = ContainerSpec.builder("c").namespace(NamespaceType.USER, NamespaceMode.NEW)
				.uidMap(new IdMap(0, 100000, 65536)).gidMap(new IdMap(0, 100000, 65536))
				.namespace(NamespaceType.TIME, NamespaceMode.NEW).boottimeOffsetSeconds(86400).build();
		List<String> args = HelperCommand.start(spec, plan(Map.of()));
		assertTrue(after(args, "--ns").contains("user") && after(args, "--ns").contains("time"), after(args, "--ns"));
		assertEquals("0 100000 65536", after(args, "--uidmap"), "the kernel's uid_map line, as the helper takes it");
		assertEquals("0 100000 65536", after(args, "--gidmap"));
		assertEquals("boottime=86400", after(args, "--time-offset"));
	}

	@Test
	void execJoinsTheContainerInItsCgroupsWithItsCapabilitiesDropped() {
		List<String> args = HelperCommand.exec(Path.of("/h"), 42, List.of(Path.of("/cg/pids/x/cgroup.procs")),
				ContainerSpec.builder("c").build(), Map.of("A", "1"), "/tmp", null, Path.of("/run/berth/c/notify.sock"),
				List.of("echo", "hi"));
		assertEquals("/run/berth/c/notify.sock", after(args, "--notify"));
		assertEquals(List.of("/h", "exec", "--pid", "42"), args.subList(0, 4));
		assertEquals("/cg/pids/x/cgroup.procs", after(args, "--cgroup-procs"));
		assertEquals("A=1", after(args, "--env"));
		assertEquals("/tmp", after(args, "--cwd"));
		assertTrue(args.contains("CAP_SYS_MODULE"));
		assertEquals(List.of("--", "echo", "hi"), args.subList(args.size() - 3, args.size()));
	}

	@Test
	void aRestoreGivesTheMonitorsOptionsAndTheConsolesKeyThenCriusCommandAndNoJoinsBindsOrSync() {
		ContainerSpec spec = ContainerSpec.builder("c").userNamespace(1048576, 65536).build();
		List<String> args = HelperCommand.restore(spec, plan(Map.of()), "8800:19", List.of("/usr/sbin/criu",
				"restore", "--images-dir", "/i"));
		assertEquals(List.of("/h", "restore", "--name", "c"), args.subList(0, 4));
		assertEquals("8800:19", after(args, "--tty-key"));
		assertEquals("0 1048576 65536", after(args, "--uidmap"));
		assertEquals("/cg/memory/berth/c-1/cgroup.procs", after(args, "--cgroup-procs"));
		assertEquals("/cg/memory/berth/c-1", after(args, "--cgroup-cleanup"));
		assertEquals("/cg/unified/berth/c-1", after(args, "--devices-bpf"));
		assertEquals(List.of("--", "/usr/sbin/criu", "restore", "--images-dir", "/i"),
				args.subList(args.indexOf("--"), args.size()));
		for (String absent : List.of("--sync", "--bind", "--join", "--hostname", "--lxcfs")) {
			assertFalse(args.contains(absent), absent + " in " + args);
		}
	}
}
