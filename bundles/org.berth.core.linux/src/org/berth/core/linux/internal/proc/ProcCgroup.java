package org.berth.core.linux.internal.proc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code /proc/PID/cgroup}: the process's cgroup in each hierarchy. Lines read {@code hier-id:controllers:path}:
 * {@code 4:memory:/berth/c1}, {@code 9:name=systemd:/berth/c1}, and for cgroup v2 {@code 0::/berth/c1}.
 * Paths are relative to the reader's cgroup namespace.
 */
public record ProcCgroup(List<Entry> entries) {

	/** One hierarchy; {@code controllers} is empty for the v2 (unified) line. */
	public record Entry(int hierarchyId, List<String> controllers, String path) {
		public Entry {
			controllers = List.copyOf(controllers);
		}

		public boolean isUnified() {
			return hierarchyId == 0 && controllers.isEmpty();
		}
	}

	public ProcCgroup {
		entries = List.copyOf(entries);
	}

	public static ProcCgroup parse(List<String> lines) {
		List<Entry> entries = new ArrayList<>();
		for (String line : lines) {
			if (line.isBlank()) {
				continue;
			}
			String[] f = line.split(":", 3); // the path may contain ':'
			if (f.length != 3) {
				throw new IllegalArgumentException("not a /proc/PID/cgroup line: " + line);
			}
			try {
				List<String> controllers = f[1].isEmpty() ? List.of() : Arrays.asList(f[1].split(","));
				entries.add(new Entry(Integer.parseInt(f[0]), controllers, f[2]));
			} catch (NumberFormatException e) {
				throw new IllegalArgumentException("bad hierarchy id in /proc/PID/cgroup line: " + line, e);
			}
		}
		return new ProcCgroup(entries);
	}

	public static ProcCgroup read(Path procRoot, long pid) throws IOException {
		return parse(ProcFiles.lines(ProcFiles.pidDir(procRoot, pid).resolve("cgroup")));
	}

	/** The path in the v1 hierarchy holding {@code controller} (e.g. {@code memory} or {@code name=systemd}). */
	public Optional<String> pathOf(String controller) {
		return entries.stream().filter(e -> e.controllers().contains(controller)).map(Entry::path).findFirst();
	}

	/** The path in the v2 (unified) hierarchy. */
	public Optional<String> unifiedPath() {
		return entries.stream().filter(Entry::isUnified).map(Entry::path).findFirst();
	}

	/**
	 * True when any hierarchy places the process in {@code relPath} or below it
	 * ({@code berth/c1} matches {@code /berth/c1} and {@code /berth/c1/init.scope}, not {@code /berth/c10}).
	 */
	public boolean isIn(String relPath) {
		String wanted = "/" + trimSlashes(relPath);
		for (Entry e : entries) {
			String path = e.path().endsWith(" (deleted)") ? e.path().substring(0, e.path().length() - 10) : e.path();
			if (path.equals(wanted) || path.startsWith(wanted + "/")) {
				return true;
			}
		}
		return false;
	}

	private static String trimSlashes(String s) {
		int start = 0;
		int end = s.length();
		while (start < end && s.charAt(start) == '/') {
			start++;
		}
		while (end > start && s.charAt(end - 1) == '/') {
			end--;
		}
		return s.substring(start, end);
	}
}
