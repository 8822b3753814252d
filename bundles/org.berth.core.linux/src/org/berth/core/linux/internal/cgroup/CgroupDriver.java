package org.berth.core.linux.internal.cgroup;

import org.berth.core.linux.internal.proc.MountInfo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The host's cgroup layout, chosen once from mountinfo (as runc does): {@link CgroupV1Driver} when v1
 * controllers are mounted (legacy or hybrid; it also uses the cgroup2 mount of a hybrid host), else
 * {@link CgroupV2Driver} on the cgroup2 mount. The layout is cached for the driver's life; nothing else is.
 */
public interface CgroupDriver {

	/** Detects the layout of this host from {@code /proc/self/mountinfo}. */
	static CgroupDriver detect() throws IOException {
		return detect(MountInfo.readSelf(), Path.of("/"));
	}

	/**
	 * Detects the layout described by {@code mounts}; each mount point is taken below {@code fsRoot}
	 * ({@code /} on a real host, a temporary directory holding a fixture tree in tests).
	 *
	 * @throws IOException when no cgroup filesystem is mounted
	 */
	static CgroupDriver detect(MountInfo mounts, Path fsRoot) throws IOException {
		return CgroupDetection.detect(mounts, fsRoot, KernelCgroupIo.INSTANCE);
	}

	/** For logs and the About dialog, e.g. {@code cgroup v1 (cpu, cpuacct, ...) + cgroup2 at /sys/fs/cgroup/unified}. */
	String description();

	/** True for a pure cgroup v2 host. */
	boolean isUnified();

	/**
	 * Creates a fresh group (never reuse one: a cgroup once killed with {@code cgroup.kill} kills later
	 * {@code CLONE_INTO_CGROUP} children on some kernels). Missing parents are created and kept. On failure
	 * what was created is removed again.
	 *
	 * @param relPath e.g. {@code berth/c1-7}: letters, digits, '.', '_', '-', separated by '/'
	 * @throws org.berth.core.linux.internal.sys.SysException with EEXIST when the group exists already
	 */
	Group create(String relPath) throws IOException;

	/** A handle on a group that may exist (found again after a console restart, or to clean it up). No I/O. */
	Group open(String relPath);

	/** The names of the sub-groups of {@code parentRel} in any hierarchy (e.g. the containers under {@code berth}). */
	List<String> listGroups(String parentRel) throws IOException;
}
