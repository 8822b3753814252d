package org.berth.core.linux.internal.cgroup;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One container's cgroup, in every hierarchy the host has. Obtained from {@link CgroupDriver#create} (fresh
 * for every start) or {@link CgroupDriver#open} (a group found again). Not thread-safe for concurrent writes;
 * reads ({@link #stats()}, {@link #pids()}, {@link #frozen()}) may run from a sampler at any time.
 */
public interface Group {
	Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	/** The path below each cgroup root, e.g. {@code berth/c1-7}. */
	String relPath();

	/** The container the group belongs to, for messages: the last element of {@link #relPath()} without its run id. */
	default String name() {
		String rel = relPath();
		String leaf = rel.substring(rel.lastIndexOf('/') + 1);
		// the engine names a container's group NAME-RUNID (a fresh group per run); messages speak of NAME
		return leaf.replaceFirst("-\\d{10,}$", "");
	}

	/**
	 * Every {@code cgroup.procs} of the group: one per v1 hierarchy (including name=systemd) and the cgroup2 one. The
	 * helper places init and every command it runs in all of them (PROTOCOL.md): in the cgroup2 one by
	 * {@code clone3(CLONE_INTO_CGROUP)}, in a v1 one by the process moving itself ({@code 0} into the group's
	 * {@code tasks}); neither waits for the RCU grace period that writing a pid here waits for after an idle moment.
	 */
	List<Path> procsFiles();

	/**
	 * The cgroup2 directory {@code clone3(CLONE_INTO_CGROUP)} starts init in: the group on a v2 host, its cgroup2
	 * directory on a hybrid one; empty on a v1 host without a cgroup2 mount.
	 */
	Optional<Path> cloneIntoDir();

	/**
	 * The cgroup2 directory the helper attaches the device program to ({@code --devices-bpf}, the rules of
	 * {@link CgroupV1Driver#DEVICE_ALLOWLIST}): the group on a v2 host, its cgroup2 directory on a hybrid one,
	 * empty on a v1 host without a cgroup2 mount (the v1 devices controller is the only policy there).
	 */
	default Optional<Path> deviceProgramDir() {
		return Optional.empty();
	}

	/**
	 * The directory that freezes the group, for CRIU's {@code --freeze-cgroup}: the v1 freezer's, else the cgroup2
	 * one (which has {@code cgroup.freeze}); empty when there is neither.
	 */
	default Optional<Path> freezerDir() {
		return Optional.empty();
	}

	/** Every directory of the group (not its sub-groups), for cleanup checks. */
	List<Path> dirs();

	/**
	 * Writes all limits ({@code null} fields become unlimited). Not atomic: a failure leaves the earlier
	 * writes in place. Lowering memory below the current usage fails on v1 with EBUSY (reported as a
	 * {@link org.berth.core.linux.internal.sys.SysException} saying how much the container uses); on v2 the
	 * kernel instead reclaims and may OOM-kill, so callers should compare with {@link #stats()} first.
	 */
	void apply(CgroupLimits limits) throws IOException;

	/** Freezes every task and waits until the kernel reports the group frozen; thaws again on timeout. */
	void freeze(Duration timeout) throws IOException;

	default void freeze() throws IOException {
		freeze(DEFAULT_TIMEOUT);
	}

	void thaw(Duration timeout) throws IOException;

	default void thaw() throws IOException {
		thaw(DEFAULT_TIMEOUT);
	}

	boolean frozen() throws IOException;

	/**
	 * SIGKILLs every process in the group and its sub-groups and waits until none is left
	 * ({@code cgroup.kill} where the kernel has it, else kill each pid, repeated while new ones appear).
	 */
	void killAll(Duration timeout) throws IOException;

	default void killAll() throws IOException {
		killAll(DEFAULT_TIMEOUT);
	}

	/**
	 * SIGKILLs every process in the group and its sub-groups at once through {@code cgroup.kill} and returns
	 * without waiting (the caller waits for what tells it best, e.g. the container's monitor).
	 *
	 * @return false when the kernel has no {@code cgroup.kill} for this group (before Linux 5.14): then only
	 *         {@link #killAll(Duration)} kills them all
	 */
	boolean killAtOnce() throws IOException;

	/** The processes (thread group ids) in the group and its sub-groups. */
	Set<Long> pids() throws IOException;

	/** The names of the folders below the group's own (sub-groups its processes made), in every hierarchy. */
	default List<String> subgroups() throws IOException {
		List<String> found = new ArrayList<>();
		for (Path dir : dirs()) {
			for (Path child : CgroupTree.children(dir)) {
				found.add(child.getFileName().toString());
			}
		}
		return found;
	}

	/** Read fresh on every call. */
	CgroupStats stats() throws IOException;

	/**
	 * The group's counter files, opened once, for a reader that reads them again and again (the sampler): cheaper
	 * than {@link #stats()} per reading. The caller closes them.
	 *
	 * @param buffer the read buffer, shared by the counters one thread reads
	 */
	default GroupCounters counters(CounterFile.Buffer buffer) throws IOException {
		return GroupCounters.ofStats(this, buffer);
	}

	/** Memory in use now, as in {@link #stats()}; the drivers read only the one file that holds it. */
	default long memoryCurrent() throws IOException {
		return stats().memoryCurrent();
	}

	/**
	 * Removes the group's directories depth-first (with sub-groups a systemd inside may have made), retrying
	 * while the kernel still reports EBUSY for exiting tasks. Missing directories are fine. The parent
	 * (e.g. {@code berth}) is left alone.
	 */
	void remove(Duration timeout) throws IOException;

	default void remove() throws IOException {
		remove(DEFAULT_TIMEOUT);
	}

	/** True when any of the group's directories exists. */
	boolean exists();
}
