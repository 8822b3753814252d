package org.berth.core;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signal names and numbers of Linux on x86_64 (and the other architectures of the asm-generic table, e.g. aarch64).
 * Real-time signals follow glibc: {@code SIGRTMIN} = 34 (the kernel's 32 and 33 are reserved by the C library),
 * {@code SIGRTMAX} = 64; so systemd's halt signal {@code SIGRTMIN+3} is 37. Pure.
 */
public final class Signals {

	public static final int SIGRTMIN = 34;
	public static final int SIGRTMAX = 64;

	private static final Map<String, Integer> NUMBERS = new LinkedHashMap<>();
	private static final Map<String, String> ALIASES = Map.of("SIGIOT", "SIGABRT", "SIGPOLL", "SIGIO", "SIGCLD",
			"SIGCHLD");
	private static final Pattern RT = Pattern.compile("SIGRT(MIN|MAX)(?:([+-])([0-9]{1,2}))?");

	static {
		String[] names = {"SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
				"SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
				"SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
				"SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};
		for (int i = 0; i < names.length; i++) {
			NUMBERS.put(names[i], i + 1);
		}
	}

	private Signals() {
	}

	/**
	 * The number of a signal given by name ("SIGTERM", "term", "SIGRTMIN+3", "RTMAX-1") or by number ("15").
	 *
	 * @throws IllegalArgumentException with a sentence such as
	 *                                  {@code "SIGFOO" is not a signal; use a name such as SIGTERM, SIGUSR2, SIGPWR or SIGRTMIN+3}
	 */
	public static int signalNumber(String name) {
		OptionalInt n = find(name);
		if (n.isEmpty()) {
			throw new IllegalArgumentException(Text.quote(name)
					+ " is not a signal; use a name such as SIGTERM, SIGUSR2, SIGPWR or SIGRTMIN+3");
		}
		return n.getAsInt();
	}

	/** The number of a signal, or empty when the text names none. See {@link #signalNumber}. */
	public static OptionalInt find(String name) {
		if (Text.isBlank(name)) {
			return OptionalInt.empty();
		}
		String n = name.trim().toUpperCase(Locale.ROOT);
		if (n.matches("[0-9]{1,2}")) {
			int number = Integer.parseInt(n);
			return isValidNumber(number) ? OptionalInt.of(number) : OptionalInt.empty();
		}
		if (!n.startsWith("SIG")) {
			n = "SIG" + n;
		}
		n = ALIASES.getOrDefault(n, n);
		Integer fixed = NUMBERS.get(n);
		if (fixed != null) {
			return OptionalInt.of(fixed);
		}
		Matcher m = RT.matcher(n);
		if (m.matches()) {
			int base = m.group(1).equals("MIN") ? SIGRTMIN : SIGRTMAX;
			int offset = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
			int number = "-".equals(m.group(2)) ? base - offset : base + offset;
			return number >= SIGRTMIN && number <= SIGRTMAX ? OptionalInt.of(number) : OptionalInt.empty();
		}
		return OptionalInt.empty();
	}

	/** Whether the text names a signal. */
	public static boolean isKnown(String name) {
		return find(name).isPresent();
	}

	/** The usual name of a signal number: 12 → "SIGUSR2", 34 → "SIGRTMIN", 37 → "SIGRTMIN+3", 64 → "SIGRTMAX". */
	public static String name(int number) {
		if (!isValidNumber(number)) {
			throw new IllegalArgumentException(number + " is not a signal number; Linux signals are 1 to 31 and "
					+ SIGRTMIN + " to " + SIGRTMAX);
		}
		if (number < 32) {
			for (Map.Entry<String, Integer> e : NUMBERS.entrySet()) {
				if (e.getValue() == number) {
					return e.getKey();
				}
			}
		}
		if (number == SIGRTMIN) {
			return "SIGRTMIN";
		}
		if (number == SIGRTMAX) {
			return "SIGRTMAX";
		}
		return "SIGRTMIN+" + (number - SIGRTMIN);
	}

	/** The usual name of the signal the text names: "usr2" → "SIGUSR2", "15" → "SIGTERM", "rtmax-27" → "SIGRTMIN+3". */
	public static String canonicalName(String name) {
		return name(signalNumber(name));
	}

	private static boolean isValidNumber(int number) {
		return (number >= 1 && number <= 31) || (number >= SIGRTMIN && number <= SIGRTMAX);
	}
}
