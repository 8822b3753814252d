package org.berth.core.linux.internal.migration;

import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What rsync says while it runs ({@code --info=progress2}: one line, rewritten with carriage returns, "1,234,567 45%
 * 12.34MB/s 0:00:01 (xfr#3, to-chk=0/10)") and at its end ({@code --stats}: "Total bytes sent: 1,234"). Pure.
 */
public final class RsyncOutput {

	private static final Pattern PROGRESS = Pattern.compile("^\\s*([0-9,]+)\\s+([0-9]{1,3})%\\s");
	private static final Pattern SENT = Pattern.compile("^Total bytes sent:\\s*([0-9,.]+)\\s*$");

	private RsyncOutput() {
	}

	/** The fraction done (0 to 1) that a progress line says, if it is one. */
	public static OptionalDouble fraction(String line) {
		Matcher m = PROGRESS.matcher(line);
		if (!m.find()) {
			return OptionalDouble.empty();
		}
		return OptionalDouble.of(Math.min(100, Integer.parseInt(m.group(2))) / 100.0);
	}

	/** The bytes rsync sent over the wire, from its statistics' line, if this is that line. */
	public static OptionalLong bytesSent(String line) {
		Matcher m = SENT.matcher(line.trim());
		if (!m.matches()) {
			return OptionalLong.empty();
		}
		String digits = m.group(1).replace(",", "").replace(".", "");
		return digits.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(digits));
	}
}
