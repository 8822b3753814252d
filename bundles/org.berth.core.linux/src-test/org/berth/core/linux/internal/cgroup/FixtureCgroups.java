package org.berth.core.linux.internal.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A fake cgroup v2 host for tests outside this package (the engine's logic): a {@link CgroupDriver} on a
 * {@link FixtureCgroupIo} in a temporary directory, with what the tests check of it.
 */
public final class FixtureCgroups {
	private final Path root;
	private final FixtureCgroupIo io;
	private final CgroupDriver driver;

	private FixtureCgroups(Path root, FixtureCgroupIo io, CgroupDriver driver) {
		this.root = root;
		this.io = io;
		this.driver = driver;
	}

	/** A unified (v2) host under {@code base} offering the usual controllers. */
	public static FixtureCgroups unified(Path base) throws IOException {
		FixtureCgroupIo[] io = new FixtureCgroupIo[1];
		CgroupDriver driver = FixtureCgroupTree.unified(base, "cpuset cpu io memory hugetlb pids", io);
		return new FixtureCgroups(base.resolve("sys/fs/cgroup"), io[0], driver);
	}

	public CgroupDriver driver() {
		return driver;
	}

	/** Whether the group {@code rel} exists. */
	public boolean exists(String rel) {
		return Files.isDirectory(root.resolve(rel));
	}

	/** Puts {@code pid} into the group {@code rel}, as a process of the container. */
	public void addProcess(String rel, long pid) throws IOException {
		Path procs = root.resolve(rel).resolve("cgroup.procs");
		Files.writeString(procs, Files.readString(procs) + pid + "\n");
	}

	/** The values written to files of that name, in order. */
	public synchronized List<String> writesTo(String fileName) {
		return List.copyOf(io.writesTo(fileName));
	}
}
