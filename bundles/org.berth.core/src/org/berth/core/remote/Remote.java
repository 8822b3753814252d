package org.berth.core.remote;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.berth.core.SshUrl;

/**
 * Another Berth host a user has named ({@code berth remote add NAME URL}): its agent, reached through the user's own
 * ssh, which forwards the agent's socket ({@code ssh://[user@]host[:port][/path/of/the/socket]}; the default socket
 * is the agent's usual one). Pure: parsing and checking only.
 *
 * @param name   how commands name it ({@code --remote NAME}, {@code NAME:container})
 * @param ssh    the host and how to log in
 * @param socket the agent's socket on that host
 */
public record Remote(String name, SshUrl ssh, Path socket) {

	/** The agent's socket on the other host unless the URL names another. */
	public static final Path DEFAULT_SOCKET = Path.of("/run/berth/berth.sock");

	/** A remote's name: short, lower case, usable before a colon and in a file name. */
	public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

	/** What {@link #NAME} allows, as a sentence. */
	public static final String NAME_RULE = "a remote's name is up to 32 lower-case letters, digits and '-', starting"
			+ " with a letter";

	private static final Pattern URL = Pattern.compile("(ssh://[^/\\s]+)(/[^\\s]*)?");

	/** The remote {@code name} at {@code url}, or an {@link IllegalArgumentException} with a sentence. */
	public static Remote of(String name, String url) {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("\"" + (name == null ? "" : name) + "\" is not a remote's name: "
					+ NAME_RULE);
		}
		String given = url == null ? "" : url.trim();
		Matcher m = URL.matcher(given);
		if (!m.matches()) {
			throw new IllegalArgumentException("\"" + given + "\" is not a Berth host: write"
					+ " ssh://[user@]host[:port], e.g. ssh://root@host2, or with the agent's socket after it,"
					+ " ssh://host2/run/berth/berth.sock");
		}
		SshUrl ssh = SshUrl.parse(m.group(1));
		Path socket = DEFAULT_SOCKET;
		String path = m.group(2);
		if (path != null && !path.equals("/")) {
			socket = Path.of(path).normalize();
			if (!socket.toString().equals(path) || path.endsWith("/") || path.chars().anyMatch(c -> c < 0x20)) {
				throw new IllegalArgumentException("\"" + path + "\" in \"" + given + "\" is not the path of a"
						+ " socket: write it plainly, e.g. /run/berth/berth.sock");
			}
		}
		return new Remote(name, ssh, socket);
	}

	/** The URL as the user reads it and as it is saved: the socket only when it is not the default one. */
	public String url() {
		return ssh + (socket.equals(DEFAULT_SOCKET) ? "" : socket.toString());
	}

	/**
	 * Splits {@code REMOTE:rest} when {@code REMOTE} is a remote's name and the rest names a container (with a path
	 * after another colon, as in {@code berth file}); null otherwise.
	 */
	public static String[] split(String arg) {
		int colon = arg.indexOf(':');
		if (colon < 1) {
			return null;
		}
		String prefix = arg.substring(0, colon);
		String rest = arg.substring(colon + 1);
		if (!NAME.matcher(prefix).matches() || !REST.matcher(rest).matches()) {
			return null;
		}
		return new String[]{prefix, rest};
	}

	private static final Pattern REST = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}(:/.*)?");

	@Override
	public String toString() {
		return name + " (" + url() + ")";
	}
}
