package org.berth.core.linux.internal.proc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Small helpers shared by the /proc readers. */
final class ProcFiles {
	/** The real procfs. */
	static final Path PROC = Path.of("/proc");

	private ProcFiles() {
	}

	static Path pidDir(Path procRoot, long pid) {
		if (pid <= 0) {
			throw new IllegalArgumentException("not a process id: " + pid);
		}
		return procRoot.resolve(Long.toString(pid));
	}

	/** True when the process's directory no longer exists. */
	static boolean isGone(Path procRoot, long pid) {
		return !Files.isDirectory(pidDir(procRoot, pid));
	}

	/**
	 * Reads a whole /proc file. Not {@code Files.readAllBytes}: /proc reports size 0, the JDK then starts
	 * with a tiny read, and files that do not support reading on from an offset (sysctl) end after it
	 * ({@code /proc/sys/kernel/pid_max} read as "3"). A stream read takes 16 KiB at a time.
	 */
	static List<String> lines(Path file) throws IOException {
		return List.of(readText(file).split("\n", -1)).stream().filter(line -> !line.isEmpty()).toList();
	}

	static String readText(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	/** Undoes the octal escapes the kernel writes for space, tab, newline and backslash ({@code \040}). */
	static String unescapeOctal(String s) {
		if (s.indexOf('\\') < 0) {
			return s;
		}
		StringBuilder out = new StringBuilder(s.length());
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c == '\\' && isOctal(s, i + 1) && isOctal(s, i + 2) && isOctal(s, i + 3)) {
				out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
				i += 3;
			} else {
				out.append(c);
			}
		}
		return out.toString();
	}

	private static boolean isOctal(String s, int index) {
		return index < s.length() && s.charAt(index) >= '0' && s.charAt(index) <= '7';
	}
}
