package org.berth.core.linux.internal.proc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code /proc/PID/net/dev}: the counters of every interface in that process's network namespace, read
 * without entering it. Counters: read fresh every time, never cached.
 */
public record NetDev(Map<String, Counters> interfaces) {
	/** Whitespace runs, compiled once (String.split compiles a pattern per call). */
	private static final Pattern WHITESPACE = Pattern.compile("\\s+");

	/** One interface's counters since it was created. */
	public record Counters(String name, long rxBytes, long rxPackets, long rxErrors, long rxDropped,
			long txBytes, long txPackets, long txErrors, long txDropped) {

		Counters plus(Counters o) {
			return new Counters(name, rxBytes + o.rxBytes, rxPackets + o.rxPackets, rxErrors + o.rxErrors,
					rxDropped + o.rxDropped, txBytes + o.txBytes, txPackets + o.txPackets, txErrors + o.txErrors,
					txDropped + o.txDropped);
		}
	}

	public NetDev {
		interfaces = Collections.unmodifiableMap(new LinkedHashMap<>(interfaces));
	}

	/** Parses the file: two header lines, then {@code name: 8 receive and 8 transmit columns}. */
	public static NetDev parse(List<String> lines) {
		Map<String, Counters> interfaces = new LinkedHashMap<>();
		for (String line : lines) {
			int colon = line.indexOf(':');
			if (colon < 0 || line.contains("|")) {
				continue; // header
			}
			String name = line.substring(0, colon).trim();
			String[] f = WHITESPACE.split(line.substring(colon + 1).trim());
			if (f.length < 16) {
				throw new IllegalArgumentException("too few columns in /proc/net/dev line: " + line);
			}
			try {
				interfaces.put(name, new Counters(name, Long.parseLong(f[0]), Long.parseLong(f[1]),
						Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[8]), Long.parseLong(f[9]),
						Long.parseLong(f[10]), Long.parseLong(f[11])));
			} catch (NumberFormatException e) {
				throw new IllegalArgumentException("bad number in /proc/net/dev line: " + line, e);
			}
		}
		return new NetDev(interfaces);
	}

	/** {@code procRoot/PID/net/dev}. */
	public static NetDev read(Path procRoot, long pid) throws IOException {
		return parse(ProcFiles.lines(file(procRoot, pid)));
	}

	/** The path of {@code procRoot/PID/net/dev}. */
	public static Path file(Path procRoot, long pid) {
		return ProcFiles.pidDir(procRoot, pid).resolve("net").resolve("dev");
	}

	public Optional<Counters> get(String interfaceName) {
		return Optional.ofNullable(interfaces.get(interfaceName));
	}

	/** The sum over every interface but the loopback {@code lo}, named {@code total}. */
	public Counters totalExcludingLoopback() {
		Counters total = new Counters("total", 0, 0, 0, 0, 0, 0, 0, 0);
		for (Counters c : interfaces.values()) {
			if (!c.name().equals("lo")) {
				total = total.plus(c);
			}
		}
		return total;
	}
}
