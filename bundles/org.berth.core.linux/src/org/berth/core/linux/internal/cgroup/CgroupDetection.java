package org.berth.core.linux.internal.cgroup;

import org.berth.core.linux.internal.proc.MountInfo;
import org.berth.core.linux.internal.proc.MountInfo.Mount;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the cgroup layout out of mountinfo. */
final class CgroupDetection {
	/** Super options of a v1 cgroup mount that are not controllers. */
	private static final Set<String> NOT_CONTROLLERS = Set.of("rw", "ro", "noprefix", "clone_children", "xattr",
			"none", "cpuset_v2_mode", "favordynmods", "nofavordynmods", "all");

	private CgroupDetection() {
	}

	static CgroupDriver detect(MountInfo mounts, Path fsRoot, CgroupIo io) throws IOException {
		List<CgroupV1Driver.Hierarchy> hierarchies = v1Hierarchies(mounts, fsRoot);
		Optional<Path> unified = unifiedMount(mounts, fsRoot);
		boolean anyController = hierarchies.stream().anyMatch(h -> !h.controllers().isEmpty());
		if (anyController) {
			return new CgroupV1Driver(hierarchies, unified.orElse(null), io);
		}
		if (unified.isPresent()) {
			return new CgroupV2Driver(unified.get(), io);
		}
		throw new IOException("no cgroup filesystem is mounted (neither cgroup nor cgroup2 in mountinfo)");
	}

	/** One entry per v1 hierarchy; a hierarchy mounted twice counts once, preferring its root mount. */
	static List<CgroupV1Driver.Hierarchy> v1Hierarchies(MountInfo mounts, Path fsRoot) {
		Map<String, Mount> bySuperblock = new LinkedHashMap<>();
		for (Mount m : mounts.ofType("cgroup")) {
			String device = m.major() + ":" + m.minor();
			Mount seen = bySuperblock.get(device);
			if (seen == null || !seen.root().equals("/") && m.root().equals("/")) {
				bySuperblock.put(device, m);
			}
		}
		List<CgroupV1Driver.Hierarchy> hierarchies = new ArrayList<>();
		for (Mount m : bySuperblock.values()) {
			Set<String> controllers = new LinkedHashSet<>();
			String name = null;
			for (String option : m.superOptions().split(",")) {
				if (option.startsWith("name=")) {
					name = option;
				} else if (!option.contains("=") && !NOT_CONTROLLERS.contains(option) && !option.isEmpty()) {
					controllers.add(option);
				}
			}
			String label = name != null ? name : String.join(",", controllers);
			hierarchies.add(new CgroupV1Driver.Hierarchy(label, controllers, under(fsRoot, m.mountPoint())));
		}
		return hierarchies;
	}

	/** The cgroup2 mount; {@code /sys/fs/cgroup} first if several. */
	static Optional<Path> unifiedMount(MountInfo mounts, Path fsRoot) {
		List<Mount> v2 = mounts.ofType("cgroup2");
		return v2.stream().filter(m -> m.mountPoint().equals("/sys/fs/cgroup")).findFirst()
				.or(() -> v2.stream().findFirst())
				.map(m -> under(fsRoot, m.mountPoint()));
	}

	private static Path under(Path fsRoot, String mountPoint) {
		String relative = mountPoint.startsWith("/") ? mountPoint.substring(1) : mountPoint;
		return relative.isEmpty() ? fsRoot : fsRoot.resolve(relative);
	}
}
