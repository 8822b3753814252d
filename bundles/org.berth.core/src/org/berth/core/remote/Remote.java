package org.berth.core.remote;

import java.net.URI;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.berth.core.SshUrl;

/**
 * A host a user has named ({@code berth remote add NAME URL}), of one of two kinds:
 * <ul>
 * <li>another <b>Berth</b> host: its agent, reached through the user's own ssh, which forwards the agent's socket
 * ({@code ssh://[user@]host[:port][/path/of/the/socket]}; the default socket is the agent's usual one);</li>
 * <li>an <b>Incus</b> (or LXD) server: {@code https://host[:port]} (8443 unless given) with a client certificate of the
 * user's and the server's certificate pinned by its SHA-256 fingerprint once the user accepted it, or a local
 * {@code unix:///path/of/unix.socket}.</li>
 * </ul>
 * Pure: parsing and checking only.
 *
 * @param name        how commands name it ({@code --remote NAME}, {@code NAME:container})
 * @param ssh         a Berth host: the host and how to log in; null for an Incus server
 * @param socket      a Berth host: the agent's socket there; an Incus server on {@code unix://}: its socket; else null
 * @param incus       an Incus server: its URL ({@code https://host:port} or {@code unix:///path}); null for Berth
 * @param fingerprint an Incus server over HTTPS: the SHA-256 of its certificate, lower-case hex, once accepted; else
 *                    null
 */
public record Remote(String name, SshUrl ssh, Path socket, URI incus, String fingerprint) {

	/** The kinds of host a remote is. */
	public enum Kind {
		BERTH, INCUS
	}

	/** The agent's socket on the other host unless the URL names another. */
	public static final Path DEFAULT_SOCKET = Path.of("/run/berth/berth.sock");

	/** Incus's HTTPS port unless the URL names another. */
	public static final int INCUS_PORT = 8443;

	/** A remote's name: short, lower case, usable before a colon and in a file name. */
	public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

	/** What {@link #NAME} allows, as a sentence. */
	public static final String NAME_RULE = "a remote's name is up to 32 lower-case letters, digits and '-', starting"
			+ " with a letter";

	private static final Pattern SSH = Pattern.compile("(ssh://[^/\\s]+)(/[^\\s]*)?");
	private static final Pattern HTTPS = Pattern.compile(
			"https://([A-Za-z0-9][A-Za-z0-9.-]{0,252}|\\[[0-9a-fA-F:.]+\\])(?::([0-9]{1,5}))?/?");
	private static final Pattern UNIX = Pattern.compile("unix://(/[^\\s]*)");
	private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{64}");

	/** A Berth host. */
	public Remote(String name, SshUrl ssh, Path socket) {
		this(name, ssh, socket, null, null);
	}

	public Kind kind() {
		return ssh != null ? Kind.BERTH : Kind.INCUS;
	}

	/** The remote {@code name} at {@code url}, or an {@link IllegalArgumentException} with a sentence. */
	public static Remote of(String name, String url) {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("\"" + (name == null ? "" : name) + "\" is not a remote's name: "
					+ NAME_RULE);
		}
		String given = url == null ? "" : url.trim();
		Matcher m = SSH.matcher(given);
		if (m.matches()) {
			SshUrl ssh = SshUrl.parse(m.group(1));
			String path = m.group(2);
			return new Remote(name, ssh, path == null || path.equals("/") ? DEFAULT_SOCKET : plainPath(path, given));
		}
		m = HTTPS.matcher(given);
		if (m.matches()) {
			int port = INCUS_PORT;
			if (m.group(2) != null) {
				port = Integer.parseInt(m.group(2));
				if (port < 1 || port > 65535) {
					throw new IllegalArgumentException("port " + port + " of \"" + given + "\" is not between 1 and"
							+ " 65535");
				}
			}
			return new Remote(name, null, null, URI.create("https://" + m.group(1).toLowerCase(Locale.ROOT) + ":"
					+ port), null);
		}
		m = UNIX.matcher(given);
		if (m.matches()) {
			Path socket = plainPath(m.group(1), given);
			return new Remote(name, null, socket, URI.create("unix://" + socket), null);
		}
		throw new IllegalArgumentException("\"" + given + "\" is not a host Berth knows: write"
				+ " ssh://[user@]host[:port] for a Berth host (e.g. ssh://root@host2, or with the agent's socket"
				+ " after it, ssh://host2/run/berth/berth.sock), https://host[:port] or unix:///path/of/unix.socket for"
				+ " an Incus server");
	}

	private static Path plainPath(String path, String given) {
		Path p = Path.of(path).normalize();
		if (!p.toString().equals(path) || path.endsWith("/") || path.chars().anyMatch(c -> c < 0x20)) {
			throw new IllegalArgumentException("\"" + path + "\" in \"" + given + "\" is not the path of a socket:"
					+ " write it plainly, e.g. /run/berth/berth.sock");
		}
		return p;
	}

	/** The same Incus server with its certificate's fingerprint accepted ({@link #fingerprint(String)}'s form). */
	public Remote withFingerprint(String sha256) {
		if (kind() != Kind.INCUS || incus.getScheme().equals("unix")) {
			throw new IllegalArgumentException(name + " is not reached over HTTPS: it has no certificate to pin");
		}
		return new Remote(name, ssh, socket, incus, fingerprint(sha256));
	}

	/**
	 * A SHA-256 fingerprint as it is kept: 64 lower-case hex digits (given with or without colons, in either case), or
	 * an {@link IllegalArgumentException} with a sentence.
	 */
	public static String fingerprint(String given) {
		String hex = given == null ? "" : given.strip().replace(":", "").toLowerCase(Locale.ROOT);
		if (!FINGERPRINT.matcher(hex).matches()) {
			throw new IllegalArgumentException("\"" + given + "\" is not a SHA-256 fingerprint (64 hex digits)");
		}
		return hex;
	}

	/** The fingerprint as people compare it: pairs of upper-case hex digits between colons. */
	public static String readable(String sha256) {
		byte[] bytes = HexFormat.of().parseHex(sha256);
		return HexFormat.ofDelimiter(":").withUpperCase().formatHex(bytes);
	}

	/** The URL as the user reads it and as it is saved: a Berth host's socket only when it is not the default one. */
	public String url() {
		if (kind() == Kind.INCUS) {
			return incus.toString();
		}
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
