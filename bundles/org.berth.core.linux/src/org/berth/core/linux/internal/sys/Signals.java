package org.berth.core.linux.internal.sys;

import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Linux signal numbers by name (x86_64; aarch64 uses the same numbers). Real-time signals follow glibc:
 * SIGRTMIN is 34 (glibc keeps 32 and 33 for itself), so systemd's halt signal SIGRTMIN+3 is 37.
 */
public final class Signals {
	public static final int SIGHUP = 1;
	public static final int SIGINT = 2;
	public static final int SIGQUIT = 3;
	public static final int SIGKILL = 9;
	public static final int SIGUSR1 = 10;
	public static final int SIGUSR2 = 12;
	public static final int SIGTERM = 15;
	public static final int SIGCHLD = 17;
	public static final int SIGCONT = 18;
	public static final int SIGSTOP = 19;
	public static final int SIGWINCH = 28;
	public static final int SIGPWR = 30;
	public static final int SIGRTMIN = 34;
	public static final int SIGRTMAX = 64;

	/** Index = signal number; null where the number has no classic name (0, 32, 33, real-time). */
	private static final List<String> NAMES = List.of("", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
			"KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
			"TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");

	private Signals() {
	}

	/**
	 * The number for a name such as {@code TERM}, {@code SIGTERM}, {@code sigterm}, {@code RTMIN+3},
	 * {@code SIGRTMAX-1} or a plain number {@code 15}; empty when it is none of those.
	 */
	public static OptionalInt number(String name) {
		String s = name.trim().toUpperCase(Locale.ROOT);
		if (s.startsWith("SIG")) {
			s = s.substring(3);
		}
		if (s.matches("\\d{1,2}")) {
			int n = Integer.parseInt(s);
			return n >= 1 && n <= SIGRTMAX ? OptionalInt.of(n) : OptionalInt.empty();
		}
		if (s.equals("IOT")) {
			return OptionalInt.of(6);
		}
		if (s.equals("POLL")) {
			return OptionalInt.of(29);
		}
		int index = NAMES.indexOf(s);
		if (index > 0) {
			return OptionalInt.of(index);
		}
		for (String base : List.of("RTMIN", "RTMAX")) {
			if (s.startsWith(base)) {
				String rest = s.substring(base.length());
				int offset = rest.isEmpty() ? 0 : rest.matches("[+-]\\d{1,2}") ? Integer.parseInt(rest) : -100;
				int n = (base.equals("RTMIN") ? SIGRTMIN : SIGRTMAX) + offset;
				return n >= SIGRTMIN && n <= SIGRTMAX ? OptionalInt.of(n) : OptionalInt.empty();
			}
		}
		return OptionalInt.empty();
	}

	/** {@code SIGTERM}, {@code SIGRTMIN+3}, or {@code signal 99} for numbers outside 1..64. */
	public static String name(int number) {
		if (number >= 1 && number < NAMES.size()) {
			return "SIG" + NAMES.get(number);
		}
		if (number >= SIGRTMIN && number <= SIGRTMAX) {
			return number == SIGRTMIN ? "SIGRTMIN" : "SIGRTMIN+" + (number - SIGRTMIN);
		}
		return "signal " + number;
	}
}
