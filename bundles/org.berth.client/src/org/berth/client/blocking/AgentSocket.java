package org.berth.client.blocking;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One blocking exchange with the Berth agent on its Unix socket, for a command that makes one request and ends: an
 * HTTP/1.1 request with {@code Connection: close} and its response, or a {@link WebSocket} after an upgrade. It starts
 * no thread and no selector and loads none of Jetty's classes, whose set-up alone (HttpParser's tables, MimeTypes'
 * locales, the client's threads) costs a short command more than all the rest of its work (README: Libraries);
 * {@link org.berth.client.AgentEngine} is the full client. It reads what an HTTP/1.1 server sends: a status line,
 * headers, then a body by Content-Length, by chunks or up to the end of the connection; anything else is an
 * IOException that says what was wrong.
 */
public final class AgentSocket implements Closeable {

	/** The most a response head or body may hold. */
	static final int MAX_HEAD_LINE = 16 << 10;
	static final int MAX_HEADERS = 200;
	public static final int MAX_BODY = 64 << 20;

	private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	/** A response: its status, its headers (names in lower case) and its body. */
	public record Response(int status, Map<String, String> headers, byte[] body) {

		public String text() {
			return new String(body, StandardCharsets.UTF_8);
		}
	}

	private final SocketChannel channel;
	private final ByteReader in;

	private AgentSocket(SocketChannel channel) {
		this.channel = channel;
		this.in = new ByteReader(channel);
	}

	/** Connects to the agent's socket; fails as the system does (no such socket, refused, not allowed). */
	public static AgentSocket connect(Path socket) throws IOException {
		return new AgentSocket(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
	}

	/** {@code GET path} and its response. */
	public Response get(String path) throws IOException {
		write("GET " + path + " HTTP/1.1\r\nHost: berth\r\nAccept: application/json\r\nConnection: close\r\n\r\n");
		return readResponse(in);
	}

	/**
	 * Asks for a WebSocket on {@code path}: the socket's stream once the agent switched protocols, or, when it did
	 * not, its response (whose body says why) as the exception's {@link Refused#response()}.
	 */
	public WebSocket upgrade(String path) throws IOException {
		byte[] nonce = new byte[16];
		WebSocket.RANDOM.nextBytes(nonce);
		String key = Base64.getEncoder().encodeToString(nonce);
		write("GET " + path + " HTTP/1.1\r\nHost: berth\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
				+ "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
		Head head = readHead(in);
		if (head.status != 101) {
			throw new Refused(new Response(head.status, head.headers, readBody(in, head.headers)));
		}
		if (!"websocket".equalsIgnoreCase(head.headers.get("upgrade"))
				|| !accept(key).equals(head.headers.get("sec-websocket-accept"))) {
			throw new IOException("the agent's answer to the WebSocket upgrade is not a WebSocket's");
		}
		return new WebSocket(in, channel);
	}

	/** The agent did not switch to a WebSocket; its answer says why. */
	public static final class Refused extends IOException {

		private static final long serialVersionUID = 1L;
		private final transient Response response;

		Refused(Response response) {
			super("the agent did not open the stream (HTTP " + response.status() + ")");
			this.response = response;
		}

		public Response response() {
			return response;
		}
	}

	/** The Sec-WebSocket-Accept a server answers to {@code key} (RFC 6455, 4.2.2). */
	static String accept(String key) {
		try {
			byte[] sha1 = MessageDigest.getInstance("SHA-1")
					.digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII));
			return Base64.getEncoder().encodeToString(sha1);
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("this Java runtime has no SHA-1", e);
		}
	}

	private void write(String head) throws IOException {
		ByteBuffer b = ByteBuffer.wrap(head.getBytes(StandardCharsets.UTF_8));
		while (b.hasRemaining()) {
			channel.write(b);
		}
	}

	@Override
	public void close() throws IOException {
		channel.close();
	}

	// ---- reading a response (static, for tests on bytes) -----------------------------------------------------

	record Head(int status, Map<String, String> headers) {
	}

	static Response readResponse(ReadableByteChannel from) throws IOException {
		return readResponse(new ByteReader(from));
	}

	private static Response readResponse(ByteReader in) throws IOException {
		Head head = readHead(in);
		while (head.status >= 100 && head.status < 200) { // 100 Continue and the like come before the answer
			head = readHead(in);
		}
		return new Response(head.status, head.headers, readBody(in, head.headers));
	}

	static Head readHead(ByteReader in) throws IOException {
		String status = in.line(MAX_HEAD_LINE);
		// HTTP/1.1 200 OK
		String[] parts = status.split(" ", 3);
		if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || parts[1].length() != 3) {
			throw new IOException("the agent's answer does not start with an HTTP status line: " + shorten(status));
		}
		int code;
		try {
			code = Integer.parseInt(parts[1]);
		} catch (NumberFormatException e) {
			throw new IOException("the agent's answer has no status code: " + shorten(status));
		}
		Map<String, String> headers = new HashMap<>();
		for (int n = 0;; n++) {
			String line = in.line(MAX_HEAD_LINE);
			if (line.isEmpty()) {
				return new Head(code, headers);
			}
			if (n >= MAX_HEADERS) {
				throw new IOException("the agent's answer has more than " + MAX_HEADERS + " headers");
			}
			int colon = line.indexOf(':');
			if (colon <= 0) {
				throw new IOException("the agent's answer has a header line without a name: " + shorten(line));
			}
			String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
			String value = line.substring(colon + 1).trim();
			headers.merge(name, value, (a, b) -> a + ", " + b);
		}
	}

	private static byte[] readBody(ByteReader in, Map<String, String> headers) throws IOException {
		String encoding = headers.get("transfer-encoding");
		if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
			return chunked(in);
		}
		String length = headers.get("content-length");
		if (length != null) {
			long n;
			try {
				n = Long.parseLong(length);
			} catch (NumberFormatException e) {
				throw new IOException("the agent's answer has a Content-Length that is no number: " + shorten(length));
			}
			if (n < 0 || n > MAX_BODY) {
				throw new IOException("the agent's answer is " + n + " bytes long; this client takes " + MAX_BODY
						+ " at most");
			}
			return in.bytes((int) n);
		}
		return in.rest(MAX_BODY); // Connection: close
	}

	private static byte[] chunked(ByteReader in) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		while (true) {
			String line = in.line(MAX_HEAD_LINE);
			int semicolon = line.indexOf(';'); // chunk extensions
			String size = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
			long n;
			try {
				n = Long.parseLong(size, 16);
			} catch (NumberFormatException e) {
				throw new IOException("the agent's answer has a chunk without a size: " + shorten(line));
			}
			if (n < 0 || body.size() + n > MAX_BODY) {
				throw new IOException("the agent's answer is longer than " + MAX_BODY + " bytes");
			}
			if (n == 0) {
				while (!in.line(MAX_HEAD_LINE).isEmpty()) {
					// trailers: none is used
				}
				return body.toByteArray();
			}
			body.writeBytes(in.bytes((int) n));
			if (!in.line(MAX_HEAD_LINE).isEmpty()) {
				throw new IOException("the agent's answer has a chunk longer than its size says");
			}
		}
	}

	private static String shorten(String s) {
		return s.length() > 80 ? s.substring(0, 80) + "…" : s;
	}
}
