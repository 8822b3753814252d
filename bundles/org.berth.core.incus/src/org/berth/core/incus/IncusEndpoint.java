package org.berth.core.incus;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where an Incus (or LXD) server answers, and how Berth proves who it is there: a local Unix socket
 * ({@code unix:///var/lib/incus/unix.socket}, or just the path), or {@code https://host[:port]} (port 8443 when none
 * is named) with a client certificate and the server certificate's pinned SHA-256 fingerprint.
 *
 * @param socket            the Unix socket; null for HTTPS
 * @param uri               {@code https://host:port} (no path); null for a Unix socket
 * @param clientCertificate the PEM file of Berth's client certificate; null for a Unix socket
 * @param clientKey         the PEM file of its private key (PKCS#8, unencrypted); null for a Unix socket
 * @param serverFingerprint the SHA-256 fingerprint of the server's certificate that Berth accepts, as 64 lower-case
 *                          hex digits; null for a Unix socket (and only there)
 */
public record IncusEndpoint(Path socket, URI uri, Path clientCertificate, Path clientKey, String serverFingerprint) {

	/** The port Incus listens on for HTTPS by default. */
	public static final int DEFAULT_PORT = 8443;

	private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

	public IncusEndpoint {
		if ((socket == null) == (uri == null)) {
			throw new IllegalArgumentException("an Incus endpoint is either a Unix socket or an https:// address");
		}
		if (uri != null) {
			Objects.requireNonNull(clientCertificate, "clientCertificate");
			Objects.requireNonNull(clientKey, "clientKey");
			serverFingerprint = fingerprint(Objects.requireNonNull(serverFingerprint, "serverFingerprint"));
		}
	}

	/** The server's Unix socket. */
	public static IncusEndpoint unix(Path socket) {
		return new IncusEndpoint(Objects.requireNonNull(socket, "socket").toAbsolutePath(), null, null, null, null);
	}

	/**
	 * The server at {@code address} ({@link #parseHttps}), reached with the client certificate {@code certificate}
	 * and key {@code key}, accepted when its certificate has the SHA-256 fingerprint {@code fingerprint} (any
	 * {@link #fingerprint} spelling).
	 */
	public static IncusEndpoint https(String address, Path certificate, Path key, String fingerprint) {
		return new IncusEndpoint(null, parseHttps(address), certificate, key, fingerprint);
	}

	/** Whether this is a Unix socket. */
	public boolean isUnix() {
		return socket != null;
	}

	/** For messages: the socket's path or the https:// address. */
	public String describe() {
		return isUnix() ? socket.toString() : uri.toString();
	}

	/**
	 * Parses {@code https://host[:port][/]}: the port is 8443 when none is named; an IPv6 host in brackets. A path,
	 * query, user or another scheme is refused with a sentence.
	 *
	 * @throws IllegalArgumentException with the sentence
	 */
	public static URI parseHttps(String address) {
		String a = address == null ? "" : address.trim();
		URI u;
		try {
			u = new URI(a);
		} catch (URISyntaxException e) {
			throw new IllegalArgumentException("\"" + a + "\" is not an Incus address: " + e.getReason()
					+ "; use https://host:8443");
		}
		if (!"https".equalsIgnoreCase(u.getScheme())) {
			throw new IllegalArgumentException("\"" + a + "\" is not an Incus address; use https://host:8443 or"
					+ " unix:///var/lib/incus/unix.socket");
		}
		if (u.getHost() == null || u.getRawUserInfo() != null) {
			throw new IllegalArgumentException("\"" + a + "\" names no host (or names a user, which Incus does not"
					+ " use); use https://host:8443");
		}
		String path = u.getRawPath();
		if ((path != null && !path.isEmpty() && !path.equals("/")) || u.getRawQuery() != null
				|| u.getRawFragment() != null) {
			throw new IllegalArgumentException("\"" + a + "\" has a path or query; an Incus address is just"
					+ " https://host:port");
		}
		int port = u.getPort() < 0 ? DEFAULT_PORT : u.getPort();
		String host = u.getHost().toLowerCase(Locale.ROOT);
		return URI.create("https://" + host + ":" + port);
	}

	/**
	 * An endpoint from what a user types: {@code unix:///path}, an absolute path (a Unix socket), or
	 * {@code https://host[:port]} with the client certificate, key and pinned fingerprint (which a Unix socket does
	 * not use).
	 *
	 * @throws IllegalArgumentException with a sentence
	 */
	public static IncusEndpoint parse(String address, Path certificate, Path key, String fingerprint) {
		String a = address == null ? "" : address.trim();
		if (a.startsWith("unix:")) {
			URI u = URI.create(a);
			String p = u.getPath();
			if (p == null || !p.startsWith("/")) {
				throw new IllegalArgumentException("\"" + a + "\" names no socket; use"
						+ " unix:///var/lib/incus/unix.socket");
			}
			return unix(Path.of(p));
		}
		if (a.startsWith("/")) {
			return unix(Path.of(a));
		}
		return https(a, certificate, key, fingerprint);
	}

	/**
	 * A SHA-256 fingerprint in the form Incus prints it (64 lower-case hex digits), from that form, upper case, or
	 * with colons or spaces between the bytes.
	 *
	 * @throws IllegalArgumentException with a sentence when it is not 32 bytes in hex
	 */
	public static String fingerprint(String text) {
		String f = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace(":", "").replace(" ", "");
		if (f.startsWith("sha256")) {
			f = f.substring(6).replace("=", "");
		}
		if (!HEX64.matcher(f).matches()) {
			throw new IllegalArgumentException("\"" + text + "\" is not a SHA-256 certificate fingerprint (64 hex"
					+ " digits, as `incus info` or Berth shows it)");
		}
		return f;
	}
}
