package org.berth.core.linux.internal.cgroup;

import org.berth.core.linux.internal.sys.Errno;
import org.berth.core.linux.internal.sys.Sys;
import org.berth.core.linux.internal.sys.SysException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * cgroup v2 (unified): one directory per group. Controllers must be enabled in each ancestor's
 * {@code cgroup.subtree_control}, and only those the ancestor has in {@code cgroup.controllers}. The
 * "no internal processes" rule means a group with controllers enabled for its children must hold no processes
 * itself: the engine places processes only in leaf groups ({@code berth/c1-7}), never in {@code berth}.
 */
public final class CgroupV2Driver implements CgroupDriver {

	/** The controllers a container group wants, where the host offers them. */
	public static final List<String> CONTROLLERS = List.of("cpu", "cpuset", "io", "memory", "pids");

	private final Path root;
	private final CgroupIo io;

	/** @param root the cgroup2 mount, normally {@code /sys/fs/cgroup} */
	public CgroupV2Driver(Path root) {
		this(root, KernelCgroupIo.INSTANCE);
	}

	CgroupV2Driver(Path root, CgroupIo io) {
		this.root = root;
		this.io = io;
	}

	public Path root() {
		return root;
	}

	@Override
	public String description() {
		return "cgroup v2 at " + root;
	}

	@Override
	public boolean isUnified() {
		return true;
	}

	@Override
	public Group create(String relPath) throws IOException {
		CgroupTree.checkRelPath(relPath);
		List<Path> created = new ArrayList<>();
		try {
			String[] segments = relPath.split("/");
			Path parent = root;
			for (int i = 0; i < segments.length; i++) {
				enableControllers(parent);
				Path dir = parent.resolve(segments[i]);
				CgroupTree.makeLevel(io, dir, i == segments.length - 1, relPath, created);
				parent = dir;
			}
			return new V2Group(relPath);
		} catch (IOException | RuntimeException e) {
			for (int i = created.size() - 1; i >= 0; i--) {
				try {
					io.rmdir(created.get(i));
				} catch (SysException undo) {
					e.addSuppressed(undo);
				}
			}
			throw e;
		}
	}

	/** Enables in {@code dir/cgroup.subtree_control} each wanted controller {@code dir} has and has not enabled. */
	private void enableControllers(Path dir) throws IOException {
		Set<String> available = ControlFiles.controllers(io.read(dir.resolve("cgroup.controllers")));
		Set<String> enabled = ControlFiles.controllers(io.read(dir.resolve("cgroup.subtree_control")));
		for (String controller : CONTROLLERS) {
			if (available.contains(controller) && !enabled.contains(controller)) {
				try {
					io.write(dir.resolve("cgroup.subtree_control"), "+" + controller);
				} catch (SysException e) {
					String why = e.errno() == Errno.EBUSY
							? dir + " has processes of its own, and cgroup v2 gives controllers only to the"
									+ " children of groups without processes (" + Sys.strerror(Errno.EBUSY) + ")"
							: e.getMessage();
					throw new SysException("enable controller", dir.toString(), e.errno(),
							"cannot enable the " + controller + " controller below " + dir + ": " + why, e);
				}
			}
		}
	}

	@Override
	public Group open(String relPath) {
		CgroupTree.checkRelPath(relPath);
		return new V2Group(relPath);
	}

	@Override
	public List<String> listGroups(String parentRel) throws IOException {
		return CgroupTree.listGroups(List.of(root), parentRel);
	}

	@Override
	public String toString() {
		return description();
	}

	/**
	 * Writes {@code cgroup.freeze} and waits for {@code cgroup.events} to report it; a freeze that does not
	 * finish in time is undone. Shared with the v1 driver, which uses it on a hybrid host without a v1 freezer.
	 */
	static void setFrozen(CgroupIo io, Path dir, String name, boolean frozen, Duration timeout) throws IOException {
		Path freeze = dir.resolve("cgroup.freeze");
		if (!Files.exists(freeze)) {
			throw new SysException(frozen ? "freeze" : "thaw", dir.toString(), Errno.EOPNOTSUPP, "cannot "
					+ (frozen ? "freeze " : "thaw ") + name + ": no cgroup.freeze (the kernel needs Linux 5.2)");
		}
		io.write(freeze, frozen ? "1" : "0");
		long wanted = frozen ? 1 : 0;
		Path events = dir.resolve("cgroup.events");
		if (!Poll.until(() -> CgroupTree.readKeyed(io, events).getOrDefault("frozen", -1L) == wanted, timeout)) {
			SysException failure = new SysException(frozen ? "freeze" : "thaw", dir.toString(), Errno.EBUSY,
					"cannot " + (frozen ? "freeze " : "thaw ") + name + " within " + timeout.toMillis()
							+ " ms: cgroup.events does not report frozen " + wanted
							+ (frozen ? "; thawed it again" : ""));
			if (frozen) {
				try {
					io.write(freeze, "0");
				} catch (SysException e) {
					failure.addSuppressed(e);
				}
			}
			throw failure;
		}
	}

	/** The group: one directory below the cgroup2 root. */
	final class V2Group implements Group {
		private final String relPath;
		private final Path dir;

		V2Group(String relPath) {
			this.relPath = relPath;
			this.dir = root.resolve(relPath);
		}

		@Override
		public String relPath() {
			return relPath;
		}

		@Override
		public List<Path> procsFiles() {
			return List.of(dir.resolve("cgroup.procs"));
		}

		@Override
		public Optional<Path> cloneIntoDir() {
			return Optional.of(dir);
		}

		@Override
		public Optional<Path> deviceProgramDir() {
			return Optional.of(dir);
		}

		@Override
		public Optional<Path> freezerDir() {
			return Optional.of(dir);
		}

		@Override
		public List<Path> dirs() {
			return List.of(dir);
		}

		@Override
		public void apply(CgroupLimits limits) throws IOException {
			Long memory = limits.memoryBytes();
			Long swap = limits.memorySwapBytes();
			set("memory limit", "memory", "memory.max", memory == null ? "max" : memory.toString(),
					memory != null, memory == null ? "unlimited" : CgroupTree.bytes(memory));
			set("swap limit", "memory", "memory.swap.max", swap == null ? "max" : Long.toString(swap - memory),
					swap != null, swap == null ? "unlimited" : CgroupTree.bytes(swap - memory));
			Long quota = limits.cpuQuotaMicros();
			String period = Long.toString(limits.effectiveCpuPeriod());
			set("CPU quota", "cpu", "cpu.max", (quota == null ? "max" : quota.toString()) + " " + period,
					quota != null || limits.cpuPeriodMicros() != null,
					(quota == null ? "max" : quota.toString()) + " " + period);
			int weight = limits.cpuWeight() == null ? CgroupLimits.DEFAULT_CPU_WEIGHT : limits.cpuWeight();
			set("CPU weight", "cpu", "cpu.weight", Integer.toString(weight), limits.cpuWeight() != null,
					Integer.toString(weight));
			// an empty cpuset.cpus means "what the parent has"
			set("CPU set", "cpuset", "cpuset.cpus", limits.cpuset() == null ? "\n" : limits.cpuset(),
					limits.cpuset() != null, limits.cpuset() == null ? "all" : limits.cpuset());
			set("process limit", "pids", "pids.max", limits.pidsMax() == null ? "max" : limits.pidsMax().toString(),
					limits.pidsMax() != null, limits.pidsMax() == null ? "unlimited" : limits.pidsMax().toString());
		}

		/**
		 * Writes one limit. A missing file means the controller is not enabled for the group: fine when the
		 * value is "unlimited" anyway, an error when a limit was asked for.
		 */
		private void set(String what, String controller, String fileName, String value, boolean limited,
				String shown) throws SysException {
			Path file = dir.resolve(fileName);
			if (!Files.exists(file)) {
				if (!limited) {
					return;
				}
				throw new SysException("set " + what, relPath, Errno.ENOENT, "cannot set " + what + " of " + name()
						+ " to " + shown + ": the " + controller + " controller is not enabled for this group (no "
						+ fileName + ")");
			}
			try {
				io.write(file, value);
			} catch (SysException e) {
				throw new SysException("set " + what, relPath, e.errno(),
						"cannot set " + what + " of " + name() + " to " + shown + ": " + e.getMessage(), e);
			}
		}

		@Override
		public void freeze(Duration timeout) throws IOException {
			setFrozen(io, dir, name(), true, timeout);
		}

		@Override
		public void thaw(Duration timeout) throws IOException {
			setFrozen(io, dir, name(), false, timeout);
		}

		@Override
		public boolean frozen() throws IOException {
			return CgroupTree.readKeyed(io, dir.resolve("cgroup.events")).getOrDefault("frozen", 0L) == 1;
		}

		@Override
		public void killAll(Duration timeout) throws IOException {
			try {
				killAllOnce(timeout);
			} catch (IOException e) {
				if (exists()) {
					throw e;
				}
				// the group went away meanwhile (its monitor removes it once init is dead): nothing is left to kill
			}
		}

		@Override
		public boolean killAtOnce() throws IOException {
			Path kill = dir.resolve("cgroup.kill");
			if (Files.exists(kill)) {
				io.write(kill, "1");
				return true;
			}
			return false;
		}

		private void killAllOnce(Duration timeout) throws IOException {
			if (killAtOnce()) {
				if (Poll.until(() -> pids().isEmpty(), timeout)) {
					return;
				}
				throw new SysException("kill", relPath, Errno.EBUSY, "processes " + pids() + " are still in "
						+ name() + " " + timeout.toMillis() + " ms after cgroup.kill");
			}
			// before Linux 5.14: freeze, SIGKILL each, thaw, until empty
			CgroupTree.FreezeStep step = new CgroupTree.FreezeStep() {
				@Override
				public void freeze() throws IOException {
					if (Files.exists(dir.resolve("cgroup.freeze"))) {
						io.write(dir.resolve("cgroup.freeze"), "1");
					}
				}

				@Override
				public void thaw() throws IOException {
					if (Files.exists(dir.resolve("cgroup.freeze"))) {
						io.write(dir.resolve("cgroup.freeze"), "0");
					}
				}
			};
			CgroupTree.killEach(io, List.of(dir), step, timeout);
		}

		@Override
		public Set<Long> pids() throws IOException {
			return CgroupTree.pidsOf(io, List.of(dir));
		}

		@Override
		public long memoryCurrent() throws IOException {
			return CgroupTree.readSingle(io, dir.resolve("memory.current"));
		}

		@Override
		public GroupCounters counters(CounterFile.Buffer buffer) throws IOException {
			if (!exists()) {
				throw new NoSuchFileException(dir.toString(), null, "cgroup " + relPath + " does not exist");
			}
			return GroupCounters.v2(dir, buffer);
		}

		@Override
		public CgroupStats stats() throws IOException {
			if (!exists()) {
				throw new NoSuchFileException(dir.toString(), null, "cgroup " + relPath + " does not exist");
			}
			Map<String, Long> cpu = CgroupTree.readKeyed(io, dir.resolve("cpu.stat"));
			long usageMicros = cpu.getOrDefault("usage_usec", -1L);
			long throttledMicros = cpu.getOrDefault("throttled_usec", -1L);
			long memoryLimit = CgroupTree.readLimit(io, dir.resolve("memory.max"));
			long swapLimit = CgroupTree.readLimit(io, dir.resolve("memory.swap.max"));
			long ioRead = -1;
			long ioWrite = -1;
			try {
				ControlFiles.IoBytes bytes = ControlFiles.ioStat(io.read(dir.resolve("io.stat")));
				ioRead = bytes.read();
				ioWrite = bytes.written();
			} catch (NoSuchFileException e) {
				// io controller not enabled
			}
			return new CgroupStats(
					usageMicros < 0 ? -1 : usageMicros * 1000,
					CgroupTree.readSingle(io, dir.resolve("memory.current")),
					CgroupTree.readSingle(io, dir.resolve("memory.peak")),
					memoryLimit,
					memoryLimit >= 0 && swapLimit >= 0 ? memoryLimit + swapLimit : -1,
					CgroupTree.readKeyed(io, dir.resolve("memory.events")).getOrDefault("oom_kill", -1L),
					CgroupTree.readSingle(io, dir.resolve("pids.current")),
					CgroupTree.readLimit(io, dir.resolve("pids.max")),
					CgroupTree.readKeyed(io, dir.resolve("pids.events")).getOrDefault("max", -1L),
					ioRead, ioWrite,
					cpu.getOrDefault("nr_throttled", -1L),
					throttledMicros < 0 ? -1 : throttledMicros * 1000);
		}

		@Override
		public void remove(Duration timeout) throws IOException {
			CgroupTree.removeAll(io, relPath, List.of(dir), timeout);
		}

		@Override
		public boolean exists() {
			return Files.isDirectory(dir);
		}

		@Override
		public String toString() {
			return "cgroup v2 " + relPath;
		}
	}
}
