package org.berth.core.linux.internal.cgroup;

import java.util.Map;
import org.berth.core.linux.internal.sys.Errno;
import org.berth.core.linux.internal.sys.Signals;
import org.berth.core.linux.internal.sys.SysException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Directory work shared by both drivers: path checks, depth-first removal, pids of a subtree, sizes. */
final class CgroupTree {
	/** Compiled once: a path is checked on every open of a group. */
	private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

	private CgroupTree() {
	}

	/** Accepts {@code berth/c1-7}; rejects absolute paths, empty or dot segments and odd characters. */
	static String checkRelPath(String relPath) {
		if (relPath == null || relPath.isEmpty() || relPath.startsWith("/") || relPath.endsWith("/")) {
			throw new IllegalArgumentException("A cgroup path is relative, like berth/c1, not '" + relPath + "'.");
		}
		for (String segment : relPath.split("/", -1)) {
			if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
					|| !SEGMENT.matcher(segment).matches()) {
				throw new IllegalArgumentException("The cgroup path '" + relPath
						+ "' may hold only letters, digits, '.', '_' and '-' between its slashes.");
			}
		}
		return relPath;
	}

	/** The sub-directories (sub-groups) of {@code dir}, not following links; empty when it does not exist. */
	static List<Path> children(Path dir) throws IOException {
		List<Path> children = new ArrayList<>();
		Map<String, Object> attributes;
		try {
			attributes = Files.readAttributes(dir, "unix:isDirectory,nlink", LinkOption.NOFOLLOW_LINKS);
		} catch (NoSuchFileException e) {
			return children;
		}
		// a cgroup folder's link count is 2 and one per sub-folder (kernfs), so one stat spares the listing, which
		// stats each of its dozens of files; any other count (other file systems) lists
		if (!Boolean.TRUE.equals(attributes.get("isDirectory")) || Integer.valueOf(2).equals(attributes.get("nlink"))) {
			return children;
		}
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
			for (Path entry : entries) {
				if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
					children.add(entry);
				}
			}
		} catch (NoSuchFileException e) {
			// removed meanwhile
		}
		children.sort(null);
		return children;
	}

	/** Names of the sub-groups of {@code parentRel} under each root, merged and sorted. */
	static List<String> listGroups(Collection<Path> roots, String parentRel) throws IOException {
		checkRelPath(parentRel);
		Set<String> names = new TreeSet<>();
		for (Path root : roots) {
			for (Path child : children(root.resolve(parentRel))) {
				names.add(child.getFileName().toString());
			}
		}
		return List.copyOf(names);
	}

	/**
	 * Makes one level of a group's path: an inner level may exist already (other containers' parent), the leaf
	 * must not (a group is made fresh for every start). What it made is added to {@code created} for undo.
	 */
	static void makeLevel(CgroupIo io, Path dir, boolean leaf, String relPath, List<Path> created)
			throws IOException {
		if (!leaf && Files.isDirectory(dir)) {
			return;
		}
		try {
			io.mkdir(dir);
			created.add(dir);
		} catch (SysException e) {
			if (e.errno() != Errno.EEXIST) {
				throw e;
			}
			if (leaf) {
				throw new SysException("create cgroup", relPath, Errno.EEXIST, "cannot create cgroup " + relPath
						+ ": " + dir + " exists already (a group is made fresh for every start; remove the old"
						+ " one first)", e);
			}
		}
	}

	/** The pids in {@code cgroup.procs} of {@code dir} and of all its sub-groups. */
	static void collectPids(CgroupIo io, Path dir, Set<Long> into) throws IOException {
		try {
			into.addAll(ControlFiles.pids(io.read(dir.resolve("cgroup.procs"))));
		} catch (NoSuchFileException e) {
			return; // removed meanwhile
		} catch (IOException e) {
			if (!Files.isDirectory(dir)) {
				return; // removed while we read it: the kernel answers ENODEV
			}
			throw e;
		}
		for (Path child : children(dir)) {
			collectPids(io, child, into);
		}
	}

	/** Removes {@code dir} and its sub-groups depth-first, retrying EBUSY until {@code poll} runs out. */
	static void removeTree(CgroupIo io, Path dir, Poll poll) throws IOException {
		for (Path child : children(dir)) {
			removeTree(io, child, poll);
		}
		while (true) {
			try {
				io.rmdir(dir);
				return;
			} catch (SysException e) {
				if (e.errno() == Errno.ENOENT) {
					return;
				}
				if (e.errno() != Errno.EBUSY || !poll.pause()) {
					throw e;
				}
			}
		}
	}

	/** Removes every directory; collects the failures into one exception naming the group. */
	static void removeAll(CgroupIo io, String relPath, List<Path> dirs, Duration timeout) throws IOException {
		Poll poll = new Poll(timeout);
		SysException failure = null;
		for (Path dir : dirs) {
			try {
				removeTree(io, dir, poll);
			} catch (SysException e) {
				if (failure == null) {
					failure = new SysException("remove cgroup", relPath, e.errno(),
							"cannot remove cgroup " + relPath + ": " + e.getMessage(), e);
				} else {
					failure.addSuppressed(e);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	/**
	 * SIGKILLs the pids one by one, as often as new ones appear, until the subtree is empty; with a
	 * {@code freezer} step around each round so that nothing forks in between (and frozen tasks can die).
	 */
	static void killEach(CgroupIo io, Collection<Path> dirs, FreezeStep freezer, Duration timeout)
			throws IOException {
		Poll poll = new Poll(timeout);
		while (true) {
			Set<Long> pids = pidsOf(io, dirs);
			if (pids.isEmpty()) {
				return;
			}
			freezer.freeze();
			try {
				for (long pid : pids) {
					try {
						io.kill(pid, Signals.SIGKILL);
					} catch (SysException e) {
						if (e.errno() != Errno.ESRCH) {
							throw e;
						}
					}
				}
			} finally {
				freezer.thaw();
			}
			if (!poll.pause()) {
				Set<Long> left = pidsOf(io, dirs);
				if (left.isEmpty()) {
					return;
				}
				throw new SysException("kill", dirs.iterator().next().toString(), Errno.EBUSY,
						"processes " + left + " are still in the cgroup " + timeout.toMillis()
								+ " ms after SIGKILL");
			}
		}
	}

	/** The optional freeze around a kill round; both steps are best effort. */
	interface FreezeStep {
		FreezeStep NONE = new FreezeStep() {
			@Override
			public void freeze() {
			}

			@Override
			public void thaw() {
			}
		};

		void freeze() throws IOException;

		void thaw() throws IOException;
	}

	static Set<Long> pidsOf(CgroupIo io, Collection<Path> dirs) throws IOException {
		Set<Long> pids = new TreeSet<>();
		for (Path dir : dirs) {
			collectPids(io, dir, pids);
		}
		return pids;
	}

	/** Reads a number, -1 when the file does not exist (controller not there). */
	static long readSingle(CgroupIo io, Path file) throws IOException {
		try {
			return ControlFiles.single(io.read(file));
		} catch (NoSuchFileException e) {
			return -1;
		}
	}

	/** Reads a limit (-1 = none), -1 also when the file does not exist. */
	static long readLimit(CgroupIo io, Path file) throws IOException {
		try {
			return ControlFiles.limit(io.read(file));
		} catch (NoSuchFileException e) {
			return -1;
		}
	}

	static Map<String, Long> readKeyed(CgroupIo io, Path file) throws IOException {
		try {
			return ControlFiles.flatKeyed(io.read(file));
		} catch (NoSuchFileException e) {
			return Map.of();
		}
	}

	/** {@code 4 MiB}, {@code 20.5 MiB}, {@code 512 bytes}. */
	static String bytes(long n) {
		String[] units = {"KiB", "MiB", "GiB", "TiB"};
		if (n < 1024) {
			return n + " bytes";
		}
		double value = n;
		int unit = -1;
		while (value >= 1024 && unit < units.length - 1) {
			value /= 1024;
			unit++;
		}
		return value == Math.rint(value)
				? String.format(Locale.ROOT, "%d %s", (long) value, units[unit])
				: String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
	}
}
