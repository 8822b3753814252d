package org.berth.core;

import java.util.ArrayList;
import java.util.List;

/** Splits one string into words the way a POSIX shell does, without expansions (for {@code --init "CMD ARGS"}, BERTH_SSH). */
public final class ShellWords {

	private ShellWords() {
	}

	/**
	 * Splits at unquoted blanks; 'single quotes' keep everything, "double quotes" keep everything but a backslash
	 * before \ " $ or `, and a backslash outside quotes keeps the next character.
	 *
	 * @throws IllegalArgumentException with a sentence when a quote is not closed or there is no word at all
	 */
	public static List<String> split(String text) {
		List<String> words = new ArrayList<>();
		StringBuilder word = new StringBuilder();
		boolean inWord = false;
		int i = 0;
		int n = text.length();
		while (i < n) {
			char c = text.charAt(i);
			if (c == '\'') {
				int end = text.indexOf('\'', i + 1);
				if (end < 0) {
					throw unclosed(text, "'");
				}
				word.append(text, i + 1, end);
				inWord = true;
				i = end + 1;
			} else if (c == '"') {
				i++;
				boolean closed = false;
				while (i < n) {
					char d = text.charAt(i);
					if (d == '"') {
						closed = true;
						i++;
						break;
					}
					if (d == '\\' && i + 1 < n && "\\\"$`".indexOf(text.charAt(i + 1)) >= 0) {
						word.append(text.charAt(i + 1));
						i += 2;
					} else {
						word.append(d);
						i++;
					}
				}
				if (!closed) {
					throw unclosed(text, "\"");
				}
				inWord = true;
			} else if (c == '\\' && i + 1 < n) {
				word.append(text.charAt(i + 1));
				inWord = true;
				i += 2;
			} else if (Character.isWhitespace(c)) {
				if (inWord) {
					words.add(word.toString());
					word.setLength(0);
					inWord = false;
				}
				i++;
			} else {
				word.append(c);
				inWord = true;
				i++;
			}
		}
		if (inWord) {
			words.add(word.toString());
		}
		if (words.isEmpty()) {
			throw new IllegalArgumentException("the command is empty; give a program with its arguments,"
					+ " e.g. \"/sbin/init\"");
		}
		return List.copyOf(words);
	}

	private static IllegalArgumentException unclosed(String text, String quote) {
		return new IllegalArgumentException("the command \"" + text + "\" has a " + quote
				+ " that is not closed; close it, or quote the whole command differently");
	}
}
