package org.berth.core;

import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsing and formatting of byte sizes (binary units: 1K = 1024) and CPU counts. Pure. No BigDecimal: on JDK 25 its
 * class initializer computes 5^65536, 20–30 ms in a fresh JVM, a tenth of a {@code berth list} (bench/ section cli).
 */
public final class Sizes {

	public static final long KIB = 1024L;
	public static final long MIB = KIB * 1024;
	public static final long GIB = MIB * 1024;
	public static final long TIB = GIB * 1024;

	/**
	 * The patterns of the parsers, compiled when one first parses: formatting needs none, and {@code berth list}
	 * formats only (compiling them took about 10 ms in a command whose AOT cache had not seen them).
	 */
	private static final class Patterns {
		static final Pattern SIZE = Pattern.compile(
				"([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)\\s*(?:([KMGT])(?:I?B)?|B)?", Pattern.CASE_INSENSITIVE);
		static final Pattern CPUS = Pattern.compile("[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+");
	}

	private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

	private Sizes() {
	}

	/**
	 * Parses a size such as "256M", "1G", "512k", "1048576", "1.5G" or "256 MiB" (units K, M, G, T in any case,
	 * optionally followed by "iB" or "B"; all binary). A fraction of a byte is rounded down.
	 *
	 * @throws IllegalArgumentException with a sentence such as
	 *                                  {@code "abc" is not a size; use a number with an optional unit K, M, G or T, e.g. 256M}
	 */
	public static long parseBytes(String text) {
		if (Text.isBlank(text)) {
			throw new IllegalArgumentException(
					"a size is missing; use a number with an optional unit K, M, G or T, e.g. 256M");
		}
		String t = text.trim();
		Matcher m = Patterns.SIZE.matcher(t);
		if (!m.matches()) {
			throw new IllegalArgumentException(Text.quote(text)
					+ " is not a size; use a number with an optional unit K, M, G or T, e.g. 256M");
		}
		String number = m.group(1);
		int dot = number.indexOf('.');
		String whole = dot < 0 ? number : number.substring(0, dot);
		String fraction = dot < 0 ? "" : number.substring(dot + 1);
		long unit = m.group(2) == null ? 1 : switch (m.group(2).toUpperCase(Locale.ROOT)) {
			case "K" -> KIB;
			case "M" -> MIB;
			case "G" -> GIB;
			default -> TIB;
		};
		// whole * unit + floor(fraction * unit), exactly; a fraction of a byte is dropped
		BigInteger bytes = new BigInteger(whole.isEmpty() ? "0" : whole).multiply(BigInteger.valueOf(unit));
		if (!fraction.isEmpty()) {
			bytes = bytes.add(new BigInteger(fraction).multiply(BigInteger.valueOf(unit))
					.divide(BigInteger.TEN.pow(fraction.length())));
		}
		if (bytes.bitLength() > 63) {
			throw new IllegalArgumentException(Text.quote(text) + " is too large for a size; the largest is 8 EiB");
		}
		return bytes.longValue();
	}

	/**
	 * Parses an optional limit: blank, "max", "unlimited" and "none" give {@code null} (no limit), anything else
	 * goes through {@link #parseBytes}.
	 */
	public static Long parseLimit(String text) {
		if (Text.isBlank(text)) {
			return null;
		}
		String t = text.trim().toLowerCase(Locale.ROOT);
		if (t.equals("max") || t.equals("unlimited") || t.equals("none")) {
			return null;
		}
		return parseBytes(text);
	}

	/**
	 * A size for people: "256 MiB", "1.5 GiB", "512 B", "0 B" (at most one decimal, binary units).
	 */
	public static String formatBytes(long bytes) {
		if (bytes < 0) {
			return bytes == Long.MIN_VALUE ? "-8 EiB" : "-" + formatBytes(-bytes);
		}
		int unit = 0;
		while (unit < UNITS.length - 1 && bytes >= 1L << (10 * (unit + 1))) {
			unit++;
		}
		// tenths of the unit, rounded half up; unsigned: remainder * 10 exceeds a long for EiB
		long divisor = 1L << (10 * unit);
		long tenths = bytes / divisor * 10 + Long.divideUnsigned(bytes % divisor * 10 + divisor / 2, divisor);
		if (tenths >= 10240 && unit < UNITS.length - 1) { // 1023.95 KiB and up show as 1 MiB
			tenths = (tenths + 512) / 1024;
			unit++;
		}
		return tenths / 10 + (tenths % 10 == 0 ? "" : "." + tenths % 10) + " " + UNITS[unit];
	}

	/**
	 * An exact size for command lines and files, with the largest unit that divides it: "256M", "1536M", "2G",
	 * "1000" (bytes). {@link #parseBytes} gives back the same number.
	 */
	public static String formatExact(long bytes) {
		if (bytes != 0) {
			long[] units = {TIB, GIB, MIB, KIB};
			String[] names = {"T", "G", "M", "K"};
			for (int i = 0; i < units.length; i++) {
				if (bytes % units[i] == 0) {
					return (bytes / units[i]) + names[i];
				}
			}
		}
		return Long.toString(bytes);
	}

	/**
	 * Parses a number of CPUs such as "0.5", "2" or ".25". Range checks are the validator's.
	 *
	 * @throws IllegalArgumentException with a sentence such as
	 *                                  {@code "abc" is not a number of CPUs; use a number such as 0.5 or 2}
	 */
	public static double parseCpus(String text) {
		if (text == null || !Patterns.CPUS.matcher(text.trim()).matches()) {
			throw new IllegalArgumentException(
					Text.quote(text) + " is not a number of CPUs; use a number such as 0.5 or 2");
		}
		return Double.parseDouble(text.trim());
	}

	/** A number of CPUs without trailing zeros: 0.5 → "0.5", 2.0 → "2". */
	public static String formatCpus(double cpus) {
		return Text.number(cpus);
	}
}
