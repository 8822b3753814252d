package org.berth.core.linux.internal.proc;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The fields of {@code /proc/PID/stat} the engine uses. {@code startTimeTicks} (clock ticks after boot) with
 * the pid identifies a process across PID reuse: a container found again after a console restart is the same
 * one only if both match.
 *
 * @param state R running, S sleeping, D uninterruptible (also a task frozen by the v1 freezer), Z zombie,
 *              T stopped, t traced, X dead, I idle
 */
public record ProcStat(long pid, String comm, char state, long ppid, long pgrp, long session,
		long userTicks, long systemTicks, long threads, long startTimeTicks) {
	/** Compiled once (String.split compiles a pattern per call). */
	private static final Pattern SPACES = Pattern.compile(" +");

	/**
	 * Parses the single line of a stat file. The command name sits in parentheses and may itself hold spaces
	 * and parentheses ({@code 42 ((a) b)) S 1 ...}), so the fields are counted from the last ')'.
	 */
	public static ProcStat parse(String line) {
		int open = line.indexOf('(');
		int close = line.lastIndexOf(')');
		if (open < 1 || close < open) {
			throw new IllegalArgumentException("not a /proc/PID/stat line: " + line);
		}
		String[] rest = SPACES.split(line.substring(close + 1).trim());
		// rest[0] is field 3 (state); field N is rest[N - 3]
		if (rest.length < 20 || rest[0].length() != 1) {
			throw new IllegalArgumentException("too few fields in /proc/PID/stat line: " + line);
		}
		try {
			return new ProcStat(Long.parseLong(line.substring(0, open).trim()), line.substring(open + 1, close),
					rest[0].charAt(0), Long.parseLong(rest[1]), Long.parseLong(rest[2]), Long.parseLong(rest[3]),
					Long.parseLong(rest[11]), Long.parseLong(rest[12]), Long.parseLong(rest[17]),
					Long.parseLong(rest[19]));
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException("bad number in /proc/PID/stat line: " + line, e);
		}
	}

	/** Parses the content of a stat file given as lines (a command name may contain a newline). */
	public static ProcStat parse(List<String> lines) {
		return parse(String.join("\n", lines));
	}

	/** @throws NoSuchFileException when the process does not exist (any more) */
	public static ProcStat read(Path procRoot, long pid) throws IOException {
		Path file = ProcFiles.pidDir(procRoot, pid).resolve("stat");
		List<String> lines = ProcFiles.lines(file);
		if (lines.isEmpty()) {
			throw new NoSuchFileException(file.toString(), null, "the process has exited");
		}
		return parse(lines);
	}

	/** The process's stat, or empty when it is gone. */
	public static Optional<ProcStat> readIfAlive(Path procRoot, long pid) throws IOException {
		try {
			return Optional.of(read(procRoot, pid));
		} catch (NoSuchFileException e) {
			return Optional.empty();
		} catch (IOException e) {
			if (ProcFiles.isGone(procRoot, pid)) {
				return Optional.empty(); // exited between open and read (ESRCH)
			}
			throw e;
		}
	}

	/** A zombie or dead task: exited, not yet reaped. */
	public boolean exited() {
		return state == 'Z' || state == 'X' || state == 'x';
	}
}
