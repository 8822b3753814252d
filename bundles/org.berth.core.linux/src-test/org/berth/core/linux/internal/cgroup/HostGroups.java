package org.berth.core.linux.internal.cgroup;

import org.berth.core.linux.internal.proc.ProcessTable;
import org.berth.core.linux.internal.sys.Sys;
import org.berth.core.linux.internal.testing.ChildProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the real-host cgroup tests share: placing a process the way the helper does, and a cleanup that ends
 * every process the test started, removes the groups, and fails if anything is left behind.
 */
final class HostGroups {
	private final List<ChildProcess> children = new ArrayList<>();
	private final List<Path> files = new ArrayList<>();

	ChildProcess start(String... command) throws IOException {
		ChildProcess child = ChildProcess.start(command);
		children.add(child);
		return child;
	}

	/** Deleted at cleanup. */
	Path tempFile(Path file) {
		files.add(file);
		return file;
	}

	/** Writes the pid into every cgroup.procs of the group, as the helper does before init runs. */
	static void place(Group group, long pid) throws IOException {
		for (Path procs : group.procsFiles()) {
			Sys.writeFile(procs, Long.toString(pid));
		}
	}

	/**
	 * Ends the processes (by PID), removes {@code group} and its parent {@code parentRel}, then checks that no
	 * directory named {@code parentRel} is left under any of {@code roots} and no process is in it.
	 */
	void cleanUp(CgroupDriver driver, Group group, String parentRel, List<Path> roots) throws Exception {
		Exception failure = null;
		for (ChildProcess child : children) {
			try {
				child.close();
			} catch (Exception e) {
				failure = add(failure, e);
			}
		}
		for (Path file : files) {
			try {
				Files.deleteIfExists(file);
			} catch (IOException e) {
				failure = add(failure, e);
			}
		}
		if (group != null) {
			try {
				group.remove();
			} catch (IOException e) {
				failure = add(failure, e);
			}
		}
		if (driver != null) {
			try {
				driver.open(parentRel).remove();
			} catch (IOException e) {
				failure = add(failure, e);
			}
		}
		if (failure != null) {
			throw failure;
		}
		for (Path root : roots) {
			if (Files.exists(root.resolve(parentRel))) {
				throw new AssertionError("cgroup left behind: " + root.resolve(parentRel));
			}
		}
		if (!new ProcessTable().pidsInCgroup(parentRel).isEmpty()) {
			throw new AssertionError("processes left in " + parentRel + ": "
					+ new ProcessTable().pidsInCgroup(parentRel));
		}
	}

	private static Exception add(Exception first, Exception next) {
		if (first == null) {
			return next;
		}
		first.addSuppressed(next);
		return first;
	}
}
