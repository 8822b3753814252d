package org.berth.client.blocking;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;

/** Reads a channel through a buffer: lines of an HTTP head, then exact counts of bytes, or what is left. */
final class ByteReader {

	private final ReadableByteChannel channel;
	/** Unread bytes between position and limit. */
	private final ByteBuffer buffer = ByteBuffer.allocate(32 << 10).flip();

	ByteReader(ReadableByteChannel channel) {
		this.channel = channel;
	}

	/** Reads more into the buffer; false at the end of the stream. */
	private boolean fill() throws IOException {
		buffer.compact();
		try {
			return channel.read(buffer) >= 0;
		} finally {
			buffer.flip();
		}
	}

	/** One line without its CRLF (or LF); {@code max} bytes at most. */
	String line(int max) throws IOException {
		StringBuilder line = new StringBuilder();
		while (true) {
			while (buffer.hasRemaining()) {
				byte b = buffer.get();
				if (b == '\n') {
					int end = line.length();
					if (end > 0 && line.charAt(end - 1) == '\r') {
						line.setLength(end - 1);
					}
					return line.toString();
				}
				if (line.length() >= max) {
					throw new IOException("the agent sent a header line longer than " + max + " bytes");
				}
				line.append((char) (b & 0xff)); // a head is ISO-8859-1
			}
			if (!fill()) {
				throw new EOFException("the agent closed the connection in the middle of its answer");
			}
		}
	}

	/** The next byte, or -1 at the end of the stream. */
	int readByteOrEnd() throws IOException {
		if (!buffer.hasRemaining() && !fill()) {
			return -1;
		}
		return buffer.get() & 0xff;
	}

	int readByte() throws IOException {
		if (!buffer.hasRemaining() && !fill()) {
			throw new EOFException("the agent closed the connection in the middle of a message");
		}
		return buffer.get() & 0xff;
	}

	/** Exactly {@code n} bytes. */
	byte[] bytes(int n) throws IOException {
		byte[] out = new byte[n];
		int at = 0;
		while (at < n) {
			if (!buffer.hasRemaining() && !fill()) {
				throw new EOFException("the agent closed the connection " + (n - at) + " bytes before the end of"
						+ " its message");
			}
			int k = Math.min(n - at, buffer.remaining());
			buffer.get(out, at, k);
			at += k;
		}
		return out;
	}

	/** Everything up to the end of the stream, {@code max} bytes at most. */
	byte[] rest(int max) throws IOException {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		do {
			if (out.size() + buffer.remaining() > max) {
				throw new IOException("the agent's answer is longer than " + max + " bytes");
			}
			out.write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
			buffer.position(buffer.limit());
		} while (fill());
		return out.toByteArray();
	}

	static String ascii(byte[] b) {
		return new String(b, StandardCharsets.ISO_8859_1);
	}
}
