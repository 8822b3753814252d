package org.berth.core.linux.internal.proc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /proc/PID/status} as {@code Key: value} fields, with the capability sets as bit masks
 * (bit N = capability N, e.g. CAP_SYS_ADMIN = 21).
 */
public record ProcStatus(Map<String, String> fields) {

	public ProcStatus {
		fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
	}

	public static ProcStatus parse(List<String> lines) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (String line : lines) {
			int colon = line.indexOf(':');
			if (colon > 0) {
				fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
			}
		}
		return new ProcStatus(fields);
	}

	public static ProcStatus read(Path procRoot, long pid) throws IOException {
		return parse(ProcFiles.lines(ProcFiles.pidDir(procRoot, pid).resolve("status")));
	}

	public Optional<String> field(String key) {
		return Optional.ofNullable(fields.get(key));
	}

	public long capInh() {
		return capabilities("CapInh");
	}

	public long capPrm() {
		return capabilities("CapPrm");
	}

	public long capEff() {
		return capabilities("CapEff");
	}

	public long capBnd() {
		return capabilities("CapBnd");
	}

	public long capAmb() {
		return capabilities("CapAmb");
	}

	/** True when capability number {@code cap} is set in {@code mask}. */
	public static boolean has(long mask, int cap) {
		return cap >= 0 && cap < 64 && (mask & (1L << cap)) != 0;
	}

	private long capabilities(String key) {
		String hex = fields.get(key);
		if (hex == null) {
			throw new IllegalStateException("/proc/PID/status has no " + key + " line");
		}
		return Long.parseUnsignedLong(hex, 16);
	}
}
