package org.berth.core.linux.internal.cgroup;

import org.berth.core.linux.internal.proc.ProcCgroup;
import org.berth.core.linux.internal.sys.Errno;
import org.berth.core.linux.internal.sys.Sys;
import org.berth.core.linux.internal.sys.SysException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * cgroup v1, alone or on a hybrid host. A group is a directory in <em>every</em> mounted hierarchy, named ones
 * like name=systemd included: where init is not placed, its cgroup-namespace root is the host's root, and a
 * systemd inside the container would create its groups there. Pitfalls handled: hierarchies are found in
 * mountinfo, never assumed (cpu and cpuacct may be separate mounts or one); a new cpuset group is empty and
 * refuses tasks (ENOSPC) until cpuset.cpus and cpuset.mems are copied down each new level; the devices
 * controller gets {@code deny a} and a short allowlist. On a hybrid host the cgroup2 mount gets the group too,
 * for {@code CLONE_INTO_CGROUP} and {@code cgroup.kill}.
 */
public final class CgroupV1Driver implements CgroupDriver {

	/**
	 * One mounted v1 hierarchy.
	 *
	 * @param name        {@code memory}, {@code cpu,cpuacct} or {@code name=systemd}
	 * @param controllers the controllers bound to it; empty for a named hierarchy
	 */
	public record Hierarchy(String name, Set<String> controllers, Path mountPoint) {
		public Hierarchy {
			controllers = Collections.unmodifiableSet(new LinkedHashSet<>(controllers));
		}
	}

	/**
	 * The devices a container may use, open and mknod: null, zero, full, random, urandom, tty, console, ptmx,
	 * every pts, fuse and net/tun. No block device, not even its mknod (LXC allows {@code c *:* m} and
	 * {@code b *:* m}; a privileged container could then make and, through a hole elsewhere, open the host's
	 * disk). The same rules become the cgroup2 device program the helper attaches ({@code --device-allow}).
	 */
	public static final List<String> DEVICE_ALLOWLIST = List.of(
			"c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm",
			"c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm",
			"c 10:229 rwm", "c 10:200 rwm");

	private static final String CLONE_CHILDREN = "cgroup.clone_children";
	private static final String FROZEN = "FROZEN";
	private static final String THAWED = "THAWED";
	/** How long a v1 group may read FREEZING before it is thawed and asked again. */
	private static final Duration REFREEZE_AFTER = Duration.ofMillis(250);

	/** The calling thread's directory in /proc; it links to {@code PID/task/TID}. */

	private final List<Hierarchy> hierarchies;
	private final Path unified;
	private final CgroupIo io;
	private final Object creating = new Object();

	/** @param unified the cgroup2 mount of a hybrid host, or null */
	public CgroupV1Driver(List<Hierarchy> hierarchies, Path unified) {
		this(hierarchies, unified, KernelCgroupIo.INSTANCE);
	}

	CgroupV1Driver(List<Hierarchy> hierarchies, Path unified, CgroupIo io) {
		if (hierarchies.isEmpty()) {
			throw new IllegalArgumentException("a v1 driver needs at least one mounted hierarchy");
		}
		this.hierarchies = List.copyOf(hierarchies);
		this.unified = unified;
		this.io = io;
	}

	public List<Hierarchy> hierarchies() {
		return hierarchies;
	}

	/** The cgroup2 mount of a hybrid host. */
	public Optional<Path> unifiedMount() {
		return Optional.ofNullable(unified);
	}

	@Override
	public String description() {
		return "cgroup v1 (" + String.join(", ", hierarchies.stream().map(Hierarchy::name).toList()) + ")"
				+ (unified != null ? " + cgroup2 at " + unified : "");
	}

	@Override
	public boolean isUnified() {
		return false;
	}

	/** Every folder first, then the cpusets' cpus and mems and the device rules. */
	@Override
	public Group create(String relPath) throws IOException {
		CgroupTree.checkRelPath(relPath);
		List<Path> created = new ArrayList<>();
		try {
			synchronized (creating) { // a new parent level gets its device rules before any group is made below it
				for (Hierarchy h : hierarchies) {
					createLevels(h.mountPoint(), relPath, created, h.controllers().contains("devices"));
				}
				if (unified != null) {
					createLevels(unified, relPath, created, false);
				}
			}
			for (Hierarchy h : hierarchies) {
				if (h.controllers().contains("cpuset")) {
					copyCpusetDown(h.mountPoint(), relPath);
				}
			}
			V1Group group = new V1Group(relPath);
			group.denyDevices();
			return group;
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

	/**
	 * Makes the levels of {@code relPath} below {@code root} that are missing. In the devices hierarchy a level above
	 * the container's that is made here, and so is still empty, gets the container's device rules: a group copies its
	 * parent's rules when it is made, so every container's group made below it starts with them (and a container
	 * with CAP_SYS_ADMIN can widen its own rules no further).
	 */
	private void createLevels(Path root, String relPath, List<Path> created, boolean devices) throws IOException {
		String[] segments = relPath.split("/");
		Path parent = root;
		for (int i = 0; i < segments.length; i++) {
			Path dir = parent.resolve(segments[i]);
			boolean leaf = i == segments.length - 1;
			int before = created.size();
			CgroupTree.makeLevel(io, dir, leaf, relPath, created);
			if (devices && !leaf && created.size() > before) {
				try {
					restrictDevices(dir);
				} catch (SysException e) {
					// the kernel changes no default once a group has sub-groups (EINVAL): a process other than this
					// engine made one meanwhile; the parent stays as it is, each group is restricted itself
					if (e.errno() != Errno.EINVAL) {
						throw e;
					}
				}
			}
			parent = dir;
		}
	}

	/** Every device refused but those of {@link #DEVICE_ALLOWLIST}. */
	private void restrictDevices(Path dir) throws IOException {
		io.write(dir.resolve("devices.deny"), "a");
		for (String rule : DEVICE_ALLOWLIST) {
			io.write(dir.resolve("devices.allow"), rule);
		}
	}

	/**
	 * A new cpuset group starts with empty cpus and mems and refuses tasks until they are set, unless its parent's
	 * {@code cgroup.clone_children} is 1: then it starts with the parent's. When the container's level has none, each
	 * level of {@code relPath} below {@code root} that has none gets its parent's, from the top down, and the levels
	 * above the container's get clone_children, so that the next container's group is made with them.
	 */
	private void copyCpusetDown(Path root, String relPath) throws IOException {
		Path leaf = root.resolve(relPath);
		if (hasCpuset(leaf)) {
			return;
		}
		Path parent = root;
		String[] segments = relPath.split("/");
		for (int i = 0; i < segments.length; i++) {
			Path dir = parent.resolve(segments[i]);
			for (String file : List.of("cpuset.cpus", "cpuset.mems")) {
				if (value(dir.resolve(file)).isEmpty()) {
					io.write(dir.resolve(file), value(parent.resolve(file)));
				}
			}
			if (i < segments.length - 1 && !value(dir.resolve(CLONE_CHILDREN)).equals("1")) {
				io.write(dir.resolve(CLONE_CHILDREN), "1");
			}
			parent = dir;
		}
	}

	private boolean hasCpuset(Path dir) throws IOException {
		return !value(dir.resolve("cpuset.cpus")).isEmpty()
				&& !value(dir.resolve("cpuset.mems")).isEmpty();
	}

	/** A one-value control file, trimmed. */
	private String value(Path file) throws IOException {
		return String.join("", io.read(file)).trim();
	}

	@Override
	public Group open(String relPath) {
		CgroupTree.checkRelPath(relPath);
		return new V1Group(relPath);
	}

	@Override
	public List<String> listGroups(String parentRel) throws IOException {
		List<Path> roots = new ArrayList<>(hierarchies.stream().map(Hierarchy::mountPoint).toList());
		if (unified != null) {
			roots.add(unified);
		}
		return CgroupTree.listGroups(roots, parentRel);
	}

	@Override
	public String toString() {
		return description();
	}

	/** One group in every hierarchy (and in the cgroup2 mount of a hybrid host). */
	final class V1Group implements Group {
		private final String relPath;
		private final Path unifiedDir;

		V1Group(String relPath) {
			this.relPath = relPath;
			this.unifiedDir = unified == null ? null : unified.resolve(relPath);
		}

		@Override
		public String relPath() {
			return relPath;
		}

		/** The group's directory in the hierarchy that has {@code controller} or is named so ({@code name=systemd}). */
		Optional<Path> dir(String controller) {
			return hierarchies.stream()
					.filter(h -> h.controllers().contains(controller) || h.name().equals(controller)).findFirst()
					.map(h -> h.mountPoint().resolve(relPath));
		}

		@Override
		public List<Path> procsFiles() {
			return dirs().stream().map(d -> d.resolve("cgroup.procs")).toList();
		}

		@Override
		public Optional<Path> cloneIntoDir() {
			return Optional.ofNullable(unifiedDir); // init joins the v1 groups itself; see Group.cloneIntoDir()
		}

		@Override
		public Optional<Path> freezerDir() {
			return dir("freezer").or(() -> Optional.ofNullable(unifiedDir));
		}

		@Override
		public Optional<Path> deviceProgramDir() {
			// besides the v1 devices controller: a container cannot detach a program (seccomp denies bpf), while
			// one with CAP_SYS_ADMIN could widen its own v1 devices.allow up to what berth's parent group allows
			return Optional.ofNullable(unifiedDir);
		}

		@Override
		public List<Path> dirs() {
			Set<Path> dirs = new LinkedHashSet<>();
			for (Hierarchy h : hierarchies) {
				dirs.add(h.mountPoint().resolve(relPath));
			}
			if (unifiedDir != null) {
				dirs.add(unifiedDir);
			}
			return List.copyOf(dirs);
		}

		/**
		 * Restricts the group to {@link #DEVICE_ALLOWLIST}, unless it was made with exactly those rules (copied from
		 * its parent, see {@link #createLevels}): {@code devices.list} then lists the allowlist and nothing else,
		 * where a group that allows everything lists {@code a *:* rwm}.
		 */
		void denyDevices() throws IOException {
			Optional<Path> devices = dir("devices");
			if (devices.isPresent() && !Set.copyOf(io.read(devices.get().resolve("devices.list")))
					.equals(Set.copyOf(DEVICE_ALLOWLIST))) {
				restrictDevices(devices.get());
			}
		}

		// ------------------------------------------------------------------------------------ limits

		@Override
		public void apply(CgroupLimits limits) throws IOException {
			Optional<Path> memory = dir("memory");
			if (memory.isPresent()) {
				applyMemory(memory.get(), limits);
			} else if (limits.memoryBytes() != null) {
				throw notMounted("memory limit", "memory");
			}

			Optional<Path> cpu = dir("cpu");
			if (cpu.isPresent()) {
				Long quota = limits.cpuQuotaMicros();
				set("CPU period", cpu.get().resolve("cpu.cfs_period_us"), Long.toString(limits.effectiveCpuPeriod()));
				set("CPU quota", cpu.get().resolve("cpu.cfs_quota_us"), quota == null ? "-1" : quota.toString());
				set("CPU weight", cpu.get().resolve("cpu.shares"), Integer.toString(limits.cpuShares()));
			} else if (limits.cpuQuotaMicros() != null || limits.cpuPeriodMicros() != null
					|| limits.cpuWeight() != null) {
				throw notMounted("CPU limit", "cpu");
			}

			Optional<Path> cpuset = dir("cpuset");
			if (cpuset.isPresent()) {
				String cpus = limits.cpuset() != null ? limits.cpuset()
						: value(cpuset.get().getParent().resolve("cpuset.cpus"));
				set("CPU set", cpuset.get().resolve("cpuset.cpus"), cpus);
			} else if (limits.cpuset() != null) {
				throw notMounted("CPU set", "cpuset");
			}

			Optional<Path> pids = dir("pids");
			if (pids.isPresent()) {
				set("process limit", pids.get().resolve("pids.max"),
						limits.pidsMax() == null ? "max" : limits.pidsMax().toString());
			} else if (limits.pidsMax() != null) {
				throw notMounted("process limit", "pids");
			}
		}

		/**
		 * memory.memsw.limit_in_bytes must never be below memory.limit_in_bytes, so the order depends on the
		 * direction: when memory+swap goes up, it is written first; when it goes down, memory goes first.
		 */
		private void applyMemory(Path dir, CgroupLimits limits) throws IOException {
			Path memoryFile = dir.resolve("memory.limit_in_bytes");
			Path swapFile = dir.resolve("memory.memsw.limit_in_bytes");
			long memory = limits.memoryBytes() == null ? -1 : limits.memoryBytes();
			if (!Files.exists(swapFile)) {
				if (limits.memorySwapBytes() != null) {
					throw new SysException("set memory+swap limit", relPath, Errno.EOPNOTSUPP,
							"cannot limit memory+swap of " + name() + ": swap accounting is off on this host"
									+ " (no memory.memsw.limit_in_bytes; the kernel needs swapaccount=1)");
				}
				setMemory("memory limit", memoryFile, memory, dir.resolve("memory.usage_in_bytes"));
				return;
			}
			long swap = limits.memorySwapBytes() == null ? -1 : limits.memorySwapBytes();
			long currentSwap = CgroupTree.readLimit(io, swapFile);
			boolean raising = swap < 0 || currentSwap >= 0 && swap >= currentSwap;
			if (raising) {
				setMemory("memory+swap limit", swapFile, swap, dir.resolve("memory.memsw.usage_in_bytes"));
				setMemory("memory limit", memoryFile, memory, dir.resolve("memory.usage_in_bytes"));
			} else {
				setMemory("memory limit", memoryFile, memory, dir.resolve("memory.usage_in_bytes"));
				setMemory("memory+swap limit", swapFile, swap, dir.resolve("memory.memsw.usage_in_bytes"));
			}
		}

		/** EBUSY here means the group uses more than the new limit and the kernel could not reclaim enough. */
		private void setMemory(String what, Path file, long bytes, Path usageFile) throws IOException {
			try {
				io.write(file, bytes < 0 ? "-1" : Long.toString(bytes));
			} catch (SysException e) {
				if (e.errno() == Errno.EBUSY && bytes >= 0) {
					long used = CgroupTree.readSingle(io, usageFile);
					throw new SysException("set " + what, relPath, Errno.EBUSY, "cannot set " + what + " of "
							+ name() + " to " + CgroupTree.bytes(bytes) + ": the container uses "
							+ CgroupTree.bytes(used) + " now (" + Sys.strerror(Errno.EBUSY) + ")", e);
				}
				throw failedToSet(what, bytes < 0 ? "unlimited" : CgroupTree.bytes(bytes), e);
			}
		}

		private void set(String what, Path file, String value) throws SysException {
			try {
				io.write(file, value);
			} catch (SysException e) {
				throw failedToSet(what, value, e);
			}
		}

		private SysException failedToSet(String what, String shown, SysException e) {
			return new SysException("set " + what, relPath, e.errno(),
					"cannot set " + what + " of " + name() + " to " + shown + ": " + e.getMessage(), e);
		}

		private SysException notMounted(String what, String controller) {
			return new SysException("set " + what, relPath, Errno.ENOENT, "cannot set " + what + " of " + name()
					+ ": the " + controller + " controller is not mounted on this host");
		}

		// ------------------------------------------------------------------------------------ freezer

		@Override
		public void freeze(Duration timeout) throws IOException {
			Optional<Path> freezer = dir("freezer");
			if (freezer.isPresent()) {
				Path state = freezer.get().resolve("freezer.state");
				if (!freezeV1(state, timeout)) {
					String stuck = freezerState(state);
					SysException failure = new SysException("freeze", relPath, Errno.EBUSY, "cannot freeze "
							+ name() + " within " + timeout.toMillis() + " ms: freezer.state stays " + stuck
							+ " (a task may be in uninterruptible sleep); thawed it again");
					try {
						io.write(state, THAWED);
					} catch (SysException e) {
						failure.addSuppressed(e);
					}
					throw failure;
				}
			} else if (unifiedDir != null && Files.exists(unifiedDir.resolve("cgroup.freeze"))) {
				CgroupV2Driver.setFrozen(io, unifiedDir, name(), true, timeout);
			} else {
				throw noFreezer("freeze");
			}
		}

		@Override
		public void thaw(Duration timeout) throws IOException {
			Optional<Path> freezer = dir("freezer");
			if (freezer.isPresent()) {
				Path state = freezer.get().resolve("freezer.state");
				io.write(state, THAWED);
				if (!Poll.until(() -> THAWED.equals(freezerState(state)), timeout)) {
					throw new SysException("thaw", relPath, Errno.EBUSY, "cannot thaw " + name() + " within "
							+ timeout.toMillis() + " ms: freezer.state stays " + freezerState(state));
				}
			} else if (unifiedDir != null && Files.exists(unifiedDir.resolve("cgroup.freeze"))) {
				CgroupV2Driver.setFrozen(io, unifiedDir, name(), false, timeout);
			} else {
				throw noFreezer("thaw");
			}
		}

		@Override
		public boolean frozen() throws IOException {
			Optional<Path> freezer = dir("freezer");
			if (freezer.isPresent()) {
				return FROZEN.equals(freezerState(freezer.get().resolve("freezer.state")));
			}
			return unifiedDir != null
					&& CgroupTree.readKeyed(io, unifiedDir.resolve("cgroup.events")).getOrDefault("frozen", 0L) == 1;
		}

		/**
		 * Asks the v1 freezer for FROZEN until it reports so; false once {@code timeout} has passed. While the
		 * state reads FREEZING the request is repeated: each write makes the kernel signal every task of the group
		 * again, which catches a task forked while the previous round went by. Every {@link #REFREEZE_AFTER} the
		 * group is thawed for a moment and asked afresh. v1 can otherwise stay FREEZING for good while processes
		 * appear in the group (runc retries the same way; cgroup2's freezer has no such race).
		 */
		private boolean freezeV1(Path state, Duration timeout) throws IOException {
			Poll poll = new Poll(timeout);
			long refreezeAt = System.nanoTime() + REFREEZE_AFTER.toNanos();
			while (true) {
				io.write(state, FROZEN);
				if (FROZEN.equals(freezerState(state))) {
					return true;
				}
				if (!poll.pause()) {
					return false;
				}
				if (System.nanoTime() - refreezeAt >= 0) {
					io.write(state, THAWED);
					refreezeAt = System.nanoTime() + REFREEZE_AFTER.toNanos();
					if (!poll.pause()) {
						return false;
					}
				}
			}
		}

		private String freezerState(Path state) throws IOException {
			return ControlFiles.freezerState(io.read(state));
		}

		private SysException noFreezer(String operation) {
			return new SysException(operation, relPath, Errno.EOPNOTSUPP, "cannot " + operation + " " + name()
					+ ": this host has neither the v1 freezer controller nor cgroup2's cgroup.freeze");
		}

		// ------------------------------------------------------------------------------------ processes

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
			// every process of a container is in its unified group too: the helper places init there
			if (unifiedDir != null && Files.exists(unifiedDir.resolve("cgroup.kill"))) {
				io.write(unifiedDir.resolve("cgroup.kill"), "1");
				return true;
			}
			return false;
		}

		private void killAllOnce(Duration timeout) throws IOException {
			killAtOnce();
			// also for tasks that were placed in the v1 hierarchies only
			Optional<Path> freezer = dir("freezer");
			CgroupTree.FreezeStep step = freezer.isEmpty() ? CgroupTree.FreezeStep.NONE : new CgroupTree.FreezeStep() {
				private final Path state = freezer.get().resolve("freezer.state");

				@Override
				public void freeze() throws IOException {
					freezeV1(state, Duration.ofMillis(500));
				}

				@Override
				public void thaw() throws IOException {
					io.write(state, THAWED); // SIGKILLed tasks die only once thawed
				}
			};
			CgroupTree.killEach(io, dirs(), step, timeout);
		}

		@Override
		public Set<Long> pids() throws IOException {
			return CgroupTree.pidsOf(io, dirs());
		}

		@Override
		public long memoryCurrent() throws IOException {
			Optional<Path> memory = dir("memory");
			return memory.isEmpty() ? -1 : CgroupTree.readSingle(io, memory.get().resolve("memory.usage_in_bytes"));
		}

		@Override
		public GroupCounters counters(CounterFile.Buffer buffer) throws IOException {
			if (!exists()) {
				throw new NoSuchFileException(dirs().get(0).toString(), null, "cgroup " + relPath + " does not exist");
			}
			return GroupCounters.v1(this::dir, buffer);
		}

		@Override
		public CgroupStats stats() throws IOException {
			if (!exists()) {
				throw new NoSuchFileException(dirs().get(0).toString(), null, "cgroup " + relPath + " does not exist");
			}
			long cpuUsage = -1;
			long memoryCurrent = -1;
			long memoryPeak = -1;
			long memoryLimit = -1;
			long swapLimit = -1;
			long oomKills = -1;
			long pidsCurrent = -1;
			long pidsLimit = -1;
			long pidsHits = -1;
			long ioRead = -1;
			long ioWrite = -1;
			long throttledPeriods = -1;
			long throttledNanos = -1;
			Optional<Path> cpuacct = dir("cpuacct");
			if (cpuacct.isPresent()) {
				cpuUsage = CgroupTree.readSingle(io, cpuacct.get().resolve("cpuacct.usage"));
			}
			Optional<Path> memory = dir("memory");
			if (memory.isPresent()) {
				Path m = memory.get();
				memoryCurrent = CgroupTree.readSingle(io, m.resolve("memory.usage_in_bytes"));
				memoryPeak = CgroupTree.readSingle(io, m.resolve("memory.max_usage_in_bytes"));
				memoryLimit = CgroupTree.readLimit(io, m.resolve("memory.limit_in_bytes"));
				swapLimit = CgroupTree.readLimit(io, m.resolve("memory.memsw.limit_in_bytes"));
				oomKills = CgroupTree.readKeyed(io, m.resolve("memory.oom_control")).getOrDefault("oom_kill", -1L);
			}
			Optional<Path> pids = dir("pids");
			if (pids.isPresent()) {
				pidsCurrent = CgroupTree.readSingle(io, pids.get().resolve("pids.current"));
				pidsLimit = CgroupTree.readLimit(io, pids.get().resolve("pids.max"));
				pidsHits = CgroupTree.readKeyed(io, pids.get().resolve("pids.events")).getOrDefault("max", -1L);
			}
			Optional<Path> blkio = dir("blkio");
			if (blkio.isPresent()) {
				try {
					ControlFiles.IoBytes bytes = ControlFiles.blkioServiceBytes(
							io.read(blkio.get().resolve("blkio.throttle.io_service_bytes_recursive")));
					ioRead = bytes.read();
					ioWrite = bytes.written();
				} catch (NoSuchFileException e) {
					// blkio without throttling support
				}
			}
			Optional<Path> cpu = dir("cpu");
			if (cpu.isPresent()) {
				Map<String, Long> stat = CgroupTree.readKeyed(io, cpu.get().resolve("cpu.stat"));
				throttledPeriods = stat.getOrDefault("nr_throttled", -1L);
				throttledNanos = stat.getOrDefault("throttled_time", -1L);
			}
			return new CgroupStats(cpuUsage, memoryCurrent, memoryPeak, memoryLimit, swapLimit, oomKills,
					pidsCurrent, pidsLimit, pidsHits, ioRead, ioWrite, throttledPeriods, throttledNanos);
		}

		@Override
		public void remove(Duration timeout) throws IOException {
			CgroupTree.removeAll(io, relPath, dirs(), timeout);
		}

		@Override
		public boolean exists() {
			return dirs().stream().anyMatch(Files::isDirectory);
		}

		@Override
		public String toString() {
			return "cgroup v1 " + relPath;
		}
	}
}
