package org.berth.core.linux.internal.proc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /proc/PID/mountinfo}: one {@link Mount} per line, in the kernel's order (later mounts on the same
 * point hide earlier ones). See proc(5).
 */
public record MountInfo(List<Mount> mounts) {

	/**
	 * One line: {@code 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue}.
	 *
	 * @param root          the path inside the filesystem that is mounted here (e.g. a cgroup's own path)
	 * @param mountPoint    unescaped ({@code \040} becomes a space)
	 * @param optionalFields e.g. {@code shared:7}, {@code master:1}
	 * @param superOptions  per-superblock options; for a v1 cgroup these name its controllers
	 */
	public record Mount(int id, int parentId, int major, int minor, String root, String mountPoint,
			String mountOptions, List<String> optionalFields, String fsType, String source,
			String superOptions) {
		public Mount {
			optionalFields = List.copyOf(optionalFields);
		}

		/** The super options as a set, e.g. {@code [rw, cpu, cpuacct]} or {@code [rw, name=systemd]}. */
		public Set<String> superOptionSet() {
			return Set.copyOf(Arrays.asList(superOptions.split(",")));
		}
	}

	public MountInfo {
		mounts = List.copyOf(mounts);
	}

	/** Parses mountinfo lines; blank lines are skipped. */
	public static MountInfo parse(List<String> lines) {
		List<Mount> mounts = new ArrayList<>();
		for (String line : lines) {
			if (!line.isBlank()) {
				mounts.add(parseLine(line));
			}
		}
		return new MountInfo(mounts);
	}

	static Mount parseLine(String line) {
		String[] f = line.trim().split(" ");
		int separator = Arrays.asList(f).indexOf("-");
		if (f.length < 10 || separator < 6 || f.length < separator + 3) {
			throw new IllegalArgumentException("not a mountinfo line: " + line);
		}
		String[] device = f[2].split(":");
		if (device.length != 2) {
			throw new IllegalArgumentException("bad major:minor '" + f[2] + "' in mountinfo line: " + line);
		}
		try {
			return new Mount(Integer.parseInt(f[0]), Integer.parseInt(f[1]),
					Integer.parseInt(device[0]), Integer.parseInt(device[1]),
					ProcFiles.unescapeOctal(f[3]), ProcFiles.unescapeOctal(f[4]), f[5],
					List.of(Arrays.copyOfRange(f, 6, separator)),
					f[separator + 1], ProcFiles.unescapeOctal(f[separator + 2]),
					f.length > separator + 3 ? f[separator + 3] : "");
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException("bad number in mountinfo line: " + line, e);
		}
	}

	/** {@code procRoot/self/mountinfo}. */
	public static MountInfo read(Path procRoot) throws IOException {
		return parse(ProcFiles.lines(procRoot.resolve("self").resolve("mountinfo")));
	}

	/** {@code procRoot/PID/mountinfo}: the mounts as that process sees them. */
	public static MountInfo read(Path procRoot, long pid) throws IOException {
		return parse(ProcFiles.lines(ProcFiles.pidDir(procRoot, pid).resolve("mountinfo")));
	}

	/** The JVM's own mounts from the real /proc. */
	public static MountInfo readSelf() throws IOException {
		return read(ProcFiles.PROC);
	}

	/** Mounts of one filesystem type (e.g. {@code cgroup}, {@code cgroup2}), in order. */
	public List<Mount> ofType(String fsType) {
		return mounts.stream().filter(m -> m.fsType().equals(fsType)).toList();
	}

	/** The visible (last) mount on exactly this mount point. */
	public Optional<Mount> at(String mountPoint) {
		Mount found = null;
		for (Mount m : mounts) {
			if (m.mountPoint().equals(mountPoint)) {
				found = m;
			}
		}
		return Optional.ofNullable(found);
	}
}
