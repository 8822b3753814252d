package org.berth.core.linux.internal.cgroup;

import org.berth.core.linux.internal.proc.MountInfo;
import org.berth.core.linux.internal.testing.Fixtures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Fake cgroup trees in a temporary directory, laid out as the mountinfo fixtures describe them, with the
 * root control files this machine has (values copied from it).
 */
final class FixtureCgroupTree {
	static final String UNLIMITED_V1 = "9223372036854771712\n";

	private FixtureCgroupTree() {
	}

	/** The hybrid host of {@code proc/mountinfo-hybrid.txt}: nine v1 hierarchies and an empty cgroup2. */
	static CgroupV1Driver hybrid(Path base, FixtureCgroupIo[] ioOut) throws IOException {
		Path cg = base.resolve("sys/fs/cgroup");
		Map<String, Map<String, String>> roots = Map.of(
				"cpu", Map.of("cpu.cfs_period_us", "100000\n", "cpu.cfs_quota_us", "-1\n", "cpu.shares", "1024\n",
						"cpu.stat", "nr_periods 0\nnr_throttled 0\nthrottled_time 0\nnr_bursts 0\nburst_time 0\n"),
				"cpuacct", Map.of("cpuacct.usage", "83512400123\n"),
				"cpuset", Map.of("cpuset.cpus", "0-1\n", "cpuset.mems", "0\n"),
				"memory", Map.of("memory.limit_in_bytes", UNLIMITED_V1, "memory.memsw.limit_in_bytes", UNLIMITED_V1,
						"memory.usage_in_bytes", "1265721344\n", "memory.max_usage_in_bytes", "1396703232\n",
						"memory.memsw.usage_in_bytes", "1265721344\n",
						"memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n"),
				"devices", Map.of("devices.allow", "", "devices.deny", "", "devices.list", "a *:* rwm\n"),
				"freezer", Map.of(),
				"blkio", Map.of("blkio.throttle.io_service_bytes_recursive", "Total 0\n"),
				"pids", Map.of(),
				"systemd", Map.of());
		for (Map.Entry<String, Map<String, String>> hierarchy : roots.entrySet()) {
			Path root = Files.createDirectories(cg.resolve(hierarchy.getKey()));
			writeAll(root, Map.of("cgroup.procs", "1\n", "tasks", "1\n", "cgroup.clone_children", "0\n",
					"notify_on_release", "0\n", "cgroup.sane_behavior", "0\n", "release_agent", "\n"));
			writeAll(root, hierarchy.getValue());
		}
		Path unified = Files.createDirectories(cg.resolve("unified"));
		writeAll(unified, Map.of("cgroup.procs", "1\n", "cgroup.controllers", "hugetlb\n",
				"cgroup.subtree_control", "", "cpu.stat", "usage_usec 0\nuser_usec 0\nsystem_usec 0\n"));
		FixtureCgroupIo io = new FixtureCgroupIo(base, Set.of(unified));
		ioOut[0] = io;
		return (CgroupV1Driver) CgroupDetection.detect(MountInfo.parse(Fixtures.lines("proc/mountinfo-hybrid.txt")),
				base, io);
	}

	/** The v2 host of {@code proc/mountinfo-v2.txt}, offering {@code controllers} at its root. */
	static CgroupV2Driver unified(Path base, String controllers, FixtureCgroupIo[] ioOut) throws IOException {
		Path root = Files.createDirectories(base.resolve("sys/fs/cgroup"));
		writeAll(root, Map.of("cgroup.procs", "1\n", "cgroup.controllers", controllers + "\n",
				"cgroup.subtree_control", "", "cpu.stat", "usage_usec 912345678\n",
				"memory.stat", "anon 123\n", "io.stat", ""));
		FixtureCgroupIo io = new FixtureCgroupIo(base, Set.of(root));
		ioOut[0] = io;
		return (CgroupV2Driver) CgroupDetection.detect(MountInfo.parse(Fixtures.lines("proc/mountinfo-v2.txt")),
				base, io);
	}

	static void writeAll(Path dir, Map<String, String> files) throws IOException {
		for (Map.Entry<String, String> file : files.entrySet()) {
			Files.writeString(dir.resolve(file.getKey()), file.getValue());
		}
	}
}
