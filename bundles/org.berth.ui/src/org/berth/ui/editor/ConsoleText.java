package org.berth.ui.editor;

/**
 * What a console wrote, made readable as plain text for a log page: escape sequences (colours, cursor moves,
 * window titles) are removed, carriage returns dropped (so CR LF is a line end), a backspace takes back the character
 * before it on the same line, and other control characters go. A sequence cut in two between reads is held back
 * until the rest arrives. One instance per stream; not thread-safe.
 */
public final class ConsoleText {

	private static final char ESC = 0x1b;
	private static final char BEL = 0x07;
	/** An unterminated sequence longer than this is not one: it is dropped rather than held for ever. */
	static final int MAX_HELD = 4096;

	private final StringBuilder held = new StringBuilder();

	/**
	 * What a page that keeps at most {@code max} characters shows once {@code all} (what it showed, then what
	 * arrived) is too long: the newest half, from its first whole line (or the newest half as it is, when it holds
	 * no line end).
	 */
	public static String newestHalf(String all, int max) {
		if (all.length() <= max) {
			return all;
		}
		String kept = all.substring(all.length() - max / 2);
		int line = kept.indexOf('\n');
		return line >= 0 ? kept.substring(line + 1) : kept;
	}

	/** The readable text of the next piece of output. */
	public String feed(CharSequence chunk) {
		held.append(chunk);
		StringBuilder out = new StringBuilder(held.length());
		int i = 0;
		int n = held.length();
		while (i < n) {
			char c = held.charAt(i);
			if (c == ESC) {
				int end = sequenceEnd(held, i);
				if (end < 0) {
					break; // the rest comes with the next chunk
				}
				i = end;
				continue;
			}
			if (c == '\b') {
				int last = out.length() - 1;
				if (last >= 0 && out.charAt(last) != '\n') {
					out.setLength(last);
				}
			} else if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0))) {
				out.append(c);
			}
			i++;
		}
		held.delete(0, i);
		if (held.length() > MAX_HELD) {
			held.setLength(0);
		}
		return out.toString();
	}

	/**
	 * The index after the escape sequence at {@code start}, or -1 when {@code s} ends inside it. CSI
	 * ({@code ESC [} parameters, intermediates, a final byte), OSC, DCS and the like (up to BEL or {@code ESC \}),
	 * character set choices ({@code ESC ( B}) and two-character ones ({@code ESC 7}).
	 */
	static int sequenceEnd(CharSequence s, int start) {
		int n = s.length();
		if (start + 1 >= n) {
			return -1;
		}
		char kind = s.charAt(start + 1);
		switch (kind) {
			case '[' -> {
				for (int i = start + 2; i < n; i++) {
					char c = s.charAt(i);
					if (c >= 0x40 && c <= 0x7e) {
						return i + 1;
					}
					if (c < 0x20 || c > 0x7e) {
						return i; // malformed: end it here, keep what follows
					}
				}
				return -1;
			}
			case ']', 'P', '_', '^', 'X' -> {
				for (int i = start + 2; i < n; i++) {
					char c = s.charAt(i);
					if (c == BEL) {
						return i + 1;
					}
					if (c == ESC) {
						if (i + 1 >= n) {
							return -1;
						}
						return s.charAt(i + 1) == '\\' ? i + 2 : i;
					}
				}
				return -1;
			}
			case '(', ')', '*', '+', '#', '%' -> {
				return start + 3 <= n ? start + 3 : -1;
			}
			default -> {
				return start + 2;
			}
		}
	}
}
