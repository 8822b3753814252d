package org.berth.core.linux.internal.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code /sys/devices/system/cpu/online}: the CPUs the host runs on now, e.g. {@code 0-3,6}. */
public final class OnlineCpus {

	/** The real file. */
	public static final Path FILE = Path.of("/sys/devices/system/cpu/online");

	private OnlineCpus() {
	}

	/** How many CPUs a list such as {@code 0-3,6} names. */
	public static int count(String list) {
		int n = 0;
		for (String part : list.trim().split(",")) {
			if (part.isEmpty()) {
				continue;
			}
			try {
				int dash = part.indexOf('-');
				if (dash < 0) {
					Integer.parseInt(part);
					n++;
				} else {
					int from = Integer.parseInt(part.substring(0, dash));
					int to = Integer.parseInt(part.substring(dash + 1));
					if (to < from) {
						throw new IllegalArgumentException("a CPU range that runs backwards: " + part);
					}
					n += to - from + 1;
				}
			} catch (NumberFormatException e) {
				throw new IllegalArgumentException("not a CPU list: " + list, e);
			}
		}
		return n;
	}

	/** The count read from {@code file}; the JVM's count when the file cannot be read. */
	public static int read(Path file) {
		try (InputStream in = Files.newInputStream(file)) {
			int n = count(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
			return n > 0 ? n : Runtime.getRuntime().availableProcessors();
		} catch (IOException | IllegalArgumentException e) {
			return Runtime.getRuntime().availableProcessors();
		}
	}
}
