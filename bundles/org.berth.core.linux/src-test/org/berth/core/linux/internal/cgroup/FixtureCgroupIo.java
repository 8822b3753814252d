package org.berth.core.linux.internal.cgroup;

import org.berth.core.linux.internal.sys.Errno;
import org.berth.core.linux.internal.sys.SysException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * {@link CgroupIo} on a plain directory tree, imitating what the drivers rely on from the kernel: mkdir fills
 * the new directory with control files, rmdir refuses (EBUSY) while there are sub-groups or processes, writes
 * to a missing file fail with ENOENT, a v1 child copies its parent's files (devices.list: its rules) but gets its
 * parent's cpus and mems only when the parent's {@code cgroup.clone_children} is 1, {@code devices.deny} and
 * {@code devices.allow} change {@code devices.list}, {@code cgroup.subtree_control} takes {@code +ctrl},
 * {@code cgroup.freeze} updates {@code cgroup.events}, {@code cgroup.kill} empties the subtree, and kill removes
 * the pid everywhere.
 * It records every write and kill so tests can check what was written in which order.
 */
class FixtureCgroupIo implements CgroupIo {
	private final Path base;
	private final Set<Path> unifiedRoots;
	private final List<String> writes = new ArrayList<>();
	private final List<Long> killed = new ArrayList<>();
	private Predicate<Path> failMkdir = dir -> false;
	private Consumer<Path> afterMkdir = dir -> {
	};

	/**
	 * @param base         the fixture file system root (paths in {@link #writes()} are relative to it)
	 * @param unifiedRoots the cgroup2 mounts in the tree; everything else is v1
	 */
	FixtureCgroupIo(Path base, Set<Path> unifiedRoots) {
		this.base = base;
		this.unifiedRoots = Set.copyOf(unifiedRoots);
	}

	/** {@code sys/fs/cgroup/memory/berth/c1/memory.limit_in_bytes=67108864}, in order. */
	List<String> writes() {
		return writes;
	}

	/** Writes to files whose name is {@code fileName}, values only, in order. */
	List<String> writesTo(String fileName) {
		return writes.stream().filter(w -> w.substring(0, w.indexOf('=')).endsWith("/" + fileName))
				.map(w -> w.substring(w.indexOf('=') + 1)).toList();
	}

	List<Long> killed() {
		return killed;
	}

	/** mkdir of a matching directory fails with EACCES. */
	void failMkdirWhen(Predicate<Path> predicate) {
		this.failMkdir = predicate;
	}

	/** After each mkdir: what another process does right then (it may make a group of its own). */
	void afterMkdir(Consumer<Path> action) {
		this.afterMkdir = action;
	}

	@Override
	public void mkdir(Path dir) throws SysException {
		if (Files.exists(dir)) {
			throw SysException.of("mkdir", dir.toString(), Errno.EEXIST);
		}
		if (!Files.isDirectory(dir.getParent())) {
			throw SysException.of("mkdir", dir.toString(), Errno.ENOENT);
		}
		if (failMkdir.test(dir)) {
			throw SysException.of("mkdir", dir.toString(), Errno.EACCES);
		}
		try {
			Files.createDirectory(dir);
			if (unifiedRoot(dir) != null) {
				fillV2(dir);
			} else {
				fillV1(dir);
			}
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		afterMkdir.accept(dir);
	}

	/** A v1 child gets its parent's control files, with the per-group ones reset, as the kernel does. */
	private void fillV1(Path dir) throws IOException {
		Path parent = dir.getParent();
		try (Stream<Path> files = Files.list(parent)) {
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				String name = file.getFileName().toString();
				if (name.equals("cgroup.sane_behavior") || name.equals("release_agent")) {
					continue; // only the root group has these
				}
				String content = switch (name) {
					case "cgroup.procs", "tasks" -> "";
					// a new cpuset group has none, unless its parent clones them to its children
					case "cpuset.cpus", "cpuset.mems" -> Files.readString(parent.resolve("cgroup.clone_children"))
							.trim().equals("1") ? Files.readString(file) : "";
					case "memory.usage_in_bytes", "memory.max_usage_in_bytes", "memory.memsw.usage_in_bytes" -> "0\n";
					case "cpuacct.usage", "pids.current" -> "0\n";
					default -> Files.readString(file);
				};
				Files.writeString(dir.resolve(name), content);
			}
		}
		// files a child has and the root group does not
		String hierarchy = hierarchyName(dir);
		if (hierarchy.equals("freezer") && !Files.exists(dir.resolve("freezer.state"))) {
			Files.writeString(dir.resolve("freezer.state"), "THAWED\n");
		}
		if (hierarchy.equals("pids") && !Files.exists(dir.resolve("pids.max"))) {
			Files.writeString(dir.resolve("pids.max"), "max\n");
			Files.writeString(dir.resolve("pids.current"), "0\n");
			Files.writeString(dir.resolve("pids.events"), "max 0\n");
		}
	}

	/** A v2 child gets the core files, and the files of the controllers its parent enabled for it. */
	private static void fillV2(Path dir) throws IOException {
		String enabled = Files.readString(dir.getParent().resolve("cgroup.subtree_control")).trim();
		Files.writeString(dir.resolve("cgroup.controllers"), enabled.isEmpty() ? "" : enabled + "\n");
		Files.writeString(dir.resolve("cgroup.subtree_control"), "");
		Files.writeString(dir.resolve("cgroup.procs"), "");
		Files.writeString(dir.resolve("cgroup.events"), "populated 0\nfrozen 0\n");
		Files.writeString(dir.resolve("cgroup.freeze"), "0\n");
		Files.writeString(dir.resolve("cgroup.kill"), "");
		Files.writeString(dir.resolve("cpu.stat"), "usage_usec 0\nuser_usec 0\nsystem_usec 0\n");
		for (String controller : enabled.isEmpty() ? new String[0] : enabled.split(" ")) {
			switch (controller) {
				case "memory" -> {
					Files.writeString(dir.resolve("memory.max"), "max\n");
					Files.writeString(dir.resolve("memory.swap.max"), "max\n");
					Files.writeString(dir.resolve("memory.current"), "0\n");
					Files.writeString(dir.resolve("memory.peak"), "0\n");
					Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n");
				}
				case "cpu" -> {
					Files.writeString(dir.resolve("cpu.max"), "max 100000\n");
					Files.writeString(dir.resolve("cpu.weight"), "100\n");
				}
				case "cpuset" -> Files.writeString(dir.resolve("cpuset.cpus"), "\n");
				case "io" -> Files.writeString(dir.resolve("io.stat"), "");
				case "pids" -> {
					Files.writeString(dir.resolve("pids.max"), "max\n");
					Files.writeString(dir.resolve("pids.current"), "0\n");
					Files.writeString(dir.resolve("pids.events"), "max 0\n");
				}
				default -> {
				}
			}
		}
	}

	@Override
	public void rmdir(Path dir) throws SysException {
		if (!Files.isDirectory(dir)) {
			throw SysException.of("rmdir", dir.toString(), Errno.ENOENT);
		}
		try {
			if (!CgroupTree.children(dir).isEmpty()
					|| Files.exists(dir.resolve("cgroup.procs"))
							&& !Files.readString(dir.resolve("cgroup.procs")).isBlank()) {
				throw SysException.of("rmdir", dir.toString(), Errno.EBUSY);
			}
			try (Stream<Path> files = Files.list(dir)) {
				for (Path file : files.toList()) {
					Files.delete(file);
				}
			}
			Files.delete(dir);
		} catch (SysException e) {
			throw e;
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	@Override
	public void write(Path file, String value) throws SysException {
		if (!Files.isRegularFile(file)) {
			throw SysException.of("open", file.toString(), Errno.ENOENT);
		}
		String name = file.getFileName().toString();
		if ((name.equals("devices.deny") || name.equals("devices.allow")) && value.trim().equals("a")
				&& hasSubgroups(file.getParent())) {
			throw SysException.of("write", file.toString(), Errno.EINVAL); // no new default under sub-groups
		}
		writes.add(base.relativize(file) + "=" + value);
		try {
			switch (file.getFileName().toString()) {
				case "cgroup.subtree_control" -> {
					Set<String> enabled = new LinkedHashSet<>(
							ControlFiles.controllers(List.of(Files.readString(file))));
					for (String change : value.trim().split("\\s+")) {
						if (change.startsWith("+")) {
							enabled.add(change.substring(1));
						} else if (change.startsWith("-")) {
							enabled.remove(change.substring(1));
						}
					}
					Files.writeString(file, String.join(" ", enabled) + "\n");
				}
				case "cgroup.freeze" -> {
					Files.writeString(file, value.trim() + "\n");
					Path events = file.resolveSibling("cgroup.events");
					Files.writeString(events,
							Files.readString(events).replaceAll("frozen \\d", "frozen " + value.trim()));
				}
				case "cgroup.kill" -> clearProcs(file.getParent());
				// the rules, as devices.list shows them: "a" denied leaves none; allowing adds to them unless all are
				case "devices.deny" -> Files.writeString(file.resolveSibling("devices.list"), "");
				case "devices.allow" -> {
					Path list = file.resolveSibling("devices.list");
					if (!Files.readString(list).equals("a *:* rwm\n")) {
						Files.writeString(list, Files.readString(list) + value + "\n");
					}
				}
				default -> Files.writeString(file, value);
			}
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static boolean hasSubgroups(Path dir) {
		try (Stream<Path> entries = Files.list(dir)) {
			return entries.anyMatch(Files::isDirectory);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	@Override
	public void kill(long pid, int signal) throws SysException {
		killed.add(pid);
		boolean found = false;
		try (Stream<Path> all = Files.walk(base)) {
			for (Path procs : all.filter(p -> p.getFileName().toString().equals("cgroup.procs")).toList()) {
				List<String> lines = Files.readAllLines(procs);
				List<String> left = lines.stream().filter(l -> !l.trim().equals(Long.toString(pid))).toList();
				if (left.size() != lines.size()) {
					found = true;
					Files.writeString(procs, left.isEmpty() ? "" : String.join("\n", left) + "\n");
				}
			}
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		if (!found) {
			throw SysException.of("kill", Long.toString(pid), Errno.ESRCH);
		}
	}

	private static void clearProcs(Path dir) throws IOException {
		Files.writeString(dir.resolve("cgroup.procs"), "");
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isDirectory)) {
			for (Path child : entries) {
				clearProcs(child);
			}
		}
	}

	private Path unifiedRoot(Path dir) {
		return unifiedRoots.stream().filter(dir::startsWith).findFirst().orElse(null);
	}

	/** The directory right below {@code sys/fs/cgroup}, e.g. {@code memory}. */
	private String hierarchyName(Path dir) {
		Path rel = base.resolve("sys/fs/cgroup").relativize(dir);
		return rel.getName(0).toString();
	}
}
