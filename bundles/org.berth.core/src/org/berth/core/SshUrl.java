package org.berth.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Another host reached over ssh, as the user writes it: {@code ssh://[user@]host[:port]} (a migration's target).
 * Pure: a dialog checks what is typed with it, the engine builds its commands from it.
 *
 * @param user null: ssh's own choice (the configuration's, else the local user's name)
 * @param port 0: ssh's own choice (the configuration's, else 22)
 */
public record SshUrl(String user, String host, int port) {

	private static final Pattern URL = Pattern.compile(
			"ssh://(?:([A-Za-z0-9._][A-Za-z0-9._-]{0,63})@)?([A-Za-z0-9][A-Za-z0-9.-]{0,252}|\\[[0-9a-fA-F:.]+\\])"
					+ "(?::([0-9]{1,5}))?/?");

	/** The host {@code url} names, or why it names none (an {@link IllegalArgumentException} with a sentence). */
	public static SshUrl parse(String url) {
		Matcher m = URL.matcher(url == null ? "" : url.trim());
		if (!m.matches()) {
			throw new IllegalArgumentException("\"" + (url == null ? "" : url.trim()) + "\" is not a target: write"
					+ " ssh://[user@]host[:port], e.g. ssh://root@host2 or ssh://host2:2222");
		}
		int port = 0;
		if (m.group(3) != null) {
			port = Integer.parseInt(m.group(3));
			if (port < 1 || port > 65535) {
				throw new IllegalArgumentException("port " + port + " of \"" + url.trim()
						+ "\" is not between 1 and 65535");
			}
		}
		String host = m.group(2);
		if (host.startsWith("[")) {
			host = host.substring(1, host.length() - 1);
		}
		return new SshUrl(m.group(1), host, port);
	}

	/** {@code [user@]host}, as ssh and rsync take it. */
	public String destination() {
		String h = host.contains(":") ? "[" + host + "]" : host;
		return user == null ? h : user + "@" + h;
	}

	/** The URL again, as the user reads it. */
	@Override
	public String toString() {
		String h = host.contains(":") ? "[" + host + "]" : host;
		return "ssh://" + (user == null ? "" : user + "@") + h + (port == 0 ? "" : ":" + port);
	}
}
