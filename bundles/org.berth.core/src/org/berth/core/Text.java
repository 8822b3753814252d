package org.berth.core;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Iterator;

/** Small helpers for the sentences the API builds. Not exported as API (package-private). */
final class Text {
	private Text() {
	}

	/** {@code abc} → {@code "abc"}; {@code null} → {@code nothing}. */
	static String quote(String s) {
		return s == null ? "nothing" : "\"" + s + "\"";
	}

	/** "a", "a or b", "a, b or c" (with {@code conjunction} "or" or "and"). */
	static String list(Collection<String> items, String conjunction) {
		StringBuilder b = new StringBuilder();
		Iterator<String> it = items.iterator();
		int i = 0;
		int n = items.size();
		while (it.hasNext()) {
			String s = it.next();
			if (i > 0) {
				b.append(i == n - 1 ? " " + conjunction + " " : ", ");
			}
			b.append(s);
			i++;
		}
		return b.toString();
	}

	/** 0.5 → "0.5", 2.0 → "2", 1e-7 → "0.0000001" (no exponent, no trailing zeros). */
	static String number(double d) {
		if (Double.isNaN(d) || Double.isInfinite(d)) {
			return Double.toString(d);
		}
		if (d == Math.rint(d) && Math.abs(d) < 1e15) {
			return Long.toString((long) d); // the common case, without BigDecimal's costly first use (see Sizes)
		}
		String s = Double.toString(d);
		if (s.indexOf('E') < 0) {
			return s; // shortest form, no trailing zeros once it is not whole
		}
		return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
	}

	static boolean isBlank(String s) {
		return s == null || s.isBlank();
	}

	/** Trimmed text, or null when blank. */
	static String trimToNull(String s) {
		return isBlank(s) ? null : s.trim();
	}
}
