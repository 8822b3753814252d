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

	/**
	 * As {@link #create(String)}, with {@code dirsMade} run as soon as the group's folders exist and before they are
	 * set up (a v1 cpuset's cpus and mems, the device rules): a start that moves its process by writes starts
	 * {@link #primeMoves()} there, which holds the cgroup mutex that every mkdir needs.
	 */
	default Group create(String relPath, Runnable dirsMade) throws IOException {
		Group group = create(relPath);
		dirsMade.run();
		return group;
	}

	/** A handle on a group that may exist (found again after a console restart, or to clean it up). No I/O. */
	Group open(String relPath);

	/**
	 * Makes the kernel take the slow part of moving a process between cgroups now, so that moves which follow
	 * within about 10 ms are quick, and moves nothing. The first move after an idle moment waits for an RCU
	 * grace period while the kernel's {@code cgroup_threadgroup_rwsem} leaves its fast path: 5-10 ms on our
	 * machines ({@code bench/run}, "moving a process into a cgroup"); moves within a grace period of the last one
	 * do not wait (measured: 0.02 ms 10 ms later, the full wait again 20 ms later). A host whose cgroup2 is
	 * mounted with {@code favordynmods} never waits.
	 * <p>
	 * Blocks for that wait, holding the kernel's cgroup mutex (a mkdir of a cgroup waits too): call it after the
	 * cgroups are made, beside other work. A pid that does not exist is no use: newer kernels (6.18) answer ESRCH
	 * before they lock.
	 *
	 * @return whether the kernel took the move; false where nothing needs priming or it could not be done (the
	 *         later move then waits itself)
	 */
	boolean primeMoves();

	/** The names of the sub-groups of {@code parentRel} in any hierarchy (e.g. the containers under {@code berth}). */
	List<String> listGroups(String parentRel) throws IOException;
}
