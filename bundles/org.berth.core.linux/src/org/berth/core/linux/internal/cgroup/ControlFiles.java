package org.berth.core.linux.internal.cgroup;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Pure parsers for the formats of cgroup control files (v1 and v2). No I/O. */
public final class ControlFiles {
	/** Whitespace runs, compiled once (String.split compiles a pattern per call). */
	private static final Pattern WHITESPACE = Pattern.compile("\\s+");

	/** v1 writes "no limit" as PAGE_COUNTER_MAX pages (9223372036854771712 with 4 KiB pages). */
	static final long V1_UNLIMITED_THRESHOLD = 1L << 62;

	/** Bytes read and written, summed over devices. */
	public record IoBytes(long read, long written) {
	}

	private ControlFiles() {
	}

	/**
	 * Flat keyed files: {@code key value} per line ({@code cpu.stat}, {@code memory.events},
	 * {@code memory.oom_control}, {@code pids.events}, {@code cgroup.events}). Lines whose value is not a
	 * number are skipped, so new kernel fields do not break reading.
	 */
	public static Map<String, Long> flatKeyed(List<String> lines) {
		Map<String, Long> values = new HashMap<>();
		for (String line : lines) {
			String[] f = WHITESPACE.split(line.trim());
			if (f.length == 2) {
				try {
					values.put(f[0], Long.parseLong(f[1]));
				} catch (NumberFormatException e) {
					// not a number: not a field we read
				}
			}
		}
		return values;
	}

	/** A single number ({@code memory.current}, {@code cpuacct.usage}, {@code pids.current}). */
	public static long single(List<String> lines) {
		if (lines.isEmpty()) {
			throw new IllegalArgumentException("empty control file where a number was expected");
		}
		return Long.parseLong(lines.get(0).trim());
	}

	/**
	 * A limit: {@code max} (v2), {@code -1} or anything at or above 2^62 (v1's "unlimited") gives -1,
	 * meaning no limit.
	 */
	public static long limit(List<String> lines) {
		if (lines.isEmpty()) {
			throw new IllegalArgumentException("empty control file where a limit was expected");
		}
		String s = lines.get(0).trim();
		if (s.equals("max")) {
			return -1;
		}
		long value = Long.parseLong(s);
		return value < 0 || value >= V1_UNLIMITED_THRESHOLD ? -1 : value;
	}

	/** {@code cgroup.procs}: one pid per line. */
	public static Set<Long> pids(List<String> lines) {
		Set<Long> pids = new LinkedHashSet<>();
		for (String line : lines) {
			if (!line.isBlank()) {
				pids.add(Long.parseLong(line.trim()));
			}
		}
		return pids;
	}

	/** A space-separated controller list ({@code cgroup.controllers}, {@code cgroup.subtree_control}). */
	public static Set<String> controllers(List<String> lines) {
		Set<String> names = new LinkedHashSet<>();
		for (String line : lines) {
			for (String name : WHITESPACE.split(line.trim())) {
				if (!name.isEmpty()) {
					names.add(name);
				}
			}
		}
		return names;
	}

	/**
	 * v1 {@code blkio.throttle.io_service_bytes_recursive}: {@code 254:0 Read 17072128} lines per device and
	 * operation, then a {@code Total} line (not counted). Note: v1 counts only IO it throttles, so this stays 0
	 * until some throttle rule exists for the device, and buffered writes are never charged.
	 */
	public static IoBytes blkioServiceBytes(List<String> lines) {
		long read = 0;
		long written = 0;
		for (String line : lines) {
			String[] f = WHITESPACE.split(line.trim());
			if (f.length == 3 && f[1].equals("Read")) {
				read += Long.parseLong(f[2]);
			} else if (f.length == 3 && f[1].equals("Write")) {
				written += Long.parseLong(f[2]);
			}
		}
		return new IoBytes(read, written);
	}

	/** v2 {@code io.stat}: {@code 254:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0} per device. */
	public static IoBytes ioStat(List<String> lines) {
		long read = 0;
		long written = 0;
		for (String line : lines) {
			for (String field : WHITESPACE.split(line.trim())) {
				if (field.startsWith("rbytes=")) {
					read += Long.parseLong(field.substring(7));
				} else if (field.startsWith("wbytes=")) {
					written += Long.parseLong(field.substring(7));
				}
			}
		}
		return new IoBytes(read, written);
	}

	/** v1 {@code freezer.state}: THAWED, FREEZING or FROZEN. */
	public static String freezerState(List<String> lines) {
		return lines.isEmpty() ? "" : lines.get(0).trim();
	}
}
