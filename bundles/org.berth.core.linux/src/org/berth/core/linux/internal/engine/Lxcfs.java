package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

import org.berth.core.linux.internal.proc.MountInfo;
import org.berth.core.linux.internal.sys.EngineLog;

/**
 * The host's LXCFS, as the engine uses it: containers started while a {@code fuse.lxcfs} file system is mounted at
 * the configured place get its files over their /proc and /sys ones (the helper's {@code --lxcfs}), so {@code free},
 * {@code top} and {@code uptime} show the container's memory limit, CPU quota (lxcfs {@code --enable-cfs}) and age. The engine does not start lxcfs
 * (it must outlive every container that reads it); without it, {@link #limitation()} says so. A mount whose lxcfs
 * process has ended (every file answers "Transport endpoint is not connected") counts as none: containers start
 * without it rather than not at all, and the limitation says how to mend it.
 */
final class Lxcfs {

	static final String FS_TYPE = "fuse.lxcfs";
	/** How long the answer for {@link #limitation()} is kept: the console asks on every refresh. */
	private static final long RECHECK_NANOS = 2_000_000_000L;

	/** The mounts of this process: {@link MountInfo#readSelf()} on a host. */
	@FunctionalInterface
	interface MountSource {
		MountInfo read() throws IOException;
	}

	/** Whether the lxcfs behind a mount answers: throws when a file of it cannot be looked at. */
	@FunctionalInterface
	interface Answer {
		void check(Path mountPoint) throws IOException;
	}

	/** The file a start binds first: looking at it answers only while the lxcfs process serves the mount. */
	static void statCpuinfo(Path mountPoint) throws IOException {
		Files.readAttributes(mountPoint.resolve("proc/cpuinfo"), BasicFileAttributes.class);
	}

	private final Path mountPoint;
	private final MountSource mounts;
	private final Answer answer;
	private volatile boolean mounted;
	/** Why a mount that is there does not answer; null while it answers or is not there. */
	private volatile String silent;
	private volatile long checkedAt;
	private volatile boolean checked;

	/** LXCFS looked for at {@code mountPoint} (null: never used). */
	Lxcfs(Path mountPoint, MountSource mounts) {
		this(mountPoint, mounts, Lxcfs::statCpuinfo);
	}

	/** As {@link #Lxcfs(Path, MountSource)}, with how to ask the mount whether its lxcfs answers. */
	Lxcfs(Path mountPoint, MountSource mounts, Answer answer) {
		this.mountPoint = mountPoint;
		this.mounts = mounts;
		this.answer = answer;
	}

	/** Whether the visible mount at {@code mountPoint} is an lxcfs one. Pure. */
	static boolean mountedAt(MountInfo mounts, Path mountPoint) {
		return mounts.at(mountPoint.toString()).map(m -> m.fsType().equals(FS_TYPE)).orElse(false);
	}

	/** The mount point for a container starting now: empty when none is configured or nothing is mounted there. */
	Optional<Path> forStart() {
		return mountPoint != null && check() ? Optional.of(mountPoint) : Optional.empty();
	}

	/** The sentence for the engine's limitations when LXCFS is configured but not mounted (checked briefly). */
	Optional<String> limitation() {
		if (mountPoint == null) {
			return Optional.empty();
		}
		boolean now = checked && System.nanoTime() - checkedAt < RECHECK_NANOS ? mounted : check();
		if (now) {
			return Optional.empty();
		}
		String why = silent;
		if (why != null) {
			return Optional.of("LXCFS is mounted at " + mountPoint + " but does not answer (" + why + "): its"
					+ " process has ended. Containers start without it and show the host's memory, CPUs and uptime;"
					+ " containers started earlier cannot read their /proc files. As root, unmount it (umount -l "
					+ mountPoint + ") and start lxcfs again (lxcfs --enable-cfs " + mountPoint + ").");
		}
		return Optional.of("LXCFS is not mounted at " + mountPoint + ", so inside containers free, top and uptime"
				+ " show the host's memory, CPUs and uptime, not the container's limits. Install lxcfs and start it as"
				+ " root (lxcfs --enable-cfs " + mountPoint + "); containers started after that see their own.");
	}

	private boolean check() {
		boolean now;
		String why = null;
		try {
			now = mountedAt(mounts.read(), mountPoint);
		} catch (IOException | RuntimeException e) {
			EngineLog.log(Level.DEBUG, "reading the mounts to find lxcfs at " + mountPoint + " failed: " + e, e);
			now = false;
		}
		if (now) {
			try {
				answer.check(mountPoint);
			} catch (IOException e) {
				why = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
				if (silent == null) {
					EngineLog.log(Level.WARNING, "lxcfs at " + mountPoint + " does not answer (" + why
							+ "); containers start without it");
				}
				now = false;
			}
		}
		silent = why;
		mounted = now;
		checkedAt = System.nanoTime();
		checked = true;
		return now;
	}
}
