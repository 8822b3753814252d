package org.berth.core.linux.internal.proc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The processes in a procfs, for cleanup checks ("is anything still running in berth/c1?"). Every call walks
 * /proc afresh; a process that exits during the walk is skipped.
 */
public final class ProcessTable {
	private final Path procRoot;

	public ProcessTable(Path procRoot) {
		this.procRoot = procRoot;
	}

	/** On the real /proc. */
	public ProcessTable() {
		this(ProcFiles.PROC);
	}

	public Path procRoot() {
		return procRoot;
	}

	/** Every numeric directory of the procfs, ascending. */
	public List<Long> pids() throws IOException {
		List<Long> pids = new ArrayList<>();
		try (DirectoryStream<Path> dirs = Files.newDirectoryStream(procRoot)) {
			for (Path dir : dirs) {
				String name = dir.getFileName().toString();
				if (!name.isEmpty() && name.chars().allMatch(Character::isDigit) && name.length() < 19) {
					pids.add(Long.parseLong(name));
				}
			}
		}
		pids.sort(null);
		return pids;
	}

	/**
	 * The processes whose {@code /proc/PID/cgroup} places them in {@code relPath} or below, in any hierarchy
	 * (see {@link ProcCgroup#isIn(String)}).
	 */
	public Set<Long> pidsInCgroup(String relPath) throws IOException {
		Set<Long> found = new TreeSet<>();
		for (long pid : pids()) {
			try {
				if (ProcCgroup.read(procRoot, pid).isIn(relPath)) {
					found.add(pid);
				}
			} catch (NoSuchFileException e) {
				// exited during the walk
			} catch (IOException e) {
				if (!ProcFiles.isGone(procRoot, pid)) {
					throw e;
				}
			}
		}
		return found;
	}
}
