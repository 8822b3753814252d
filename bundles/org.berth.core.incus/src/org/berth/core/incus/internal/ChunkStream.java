package org.berth.core.incus.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * An input stream of the chunks a WebSocket delivered, in order, until {@link #end()}: a read blocks until a chunk
 * or the end arrives.
 */
final class ChunkStream extends InputStream {

	private static final byte[] END = new byte[0];

	private final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
	private byte[] current = new byte[0];
	private int at;

	/** Adds a chunk (from the WebSocket's thread). */
	void add(byte[] chunk) {
		if (chunk.length > 0) {
			chunks.add(chunk);
		}
	}

	/** No more chunks: reads end (-1) once those before are read. Idempotent. */
	void end() {
		chunks.add(END);
	}

	@Override
	public int read() throws IOException {
		byte[] one = new byte[1];
		return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
	}

	@Override
	public int read(byte[] b, int off, int len) throws IOException {
		if (len == 0) {
			return 0;
		}
		while (current != END && at >= current.length) {
			try {
				current = chunks.take();
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new InterruptedIOException();
			}
			at = 0;
		}
		if (current == END) {
			chunks.add(END);
			return -1;
		}
		int n = Math.min(len, current.length - at);
		System.arraycopy(current, at, b, off, n);
		at += n;
		return n;
	}

	@Override
	public int available() {
		return current == END ? 0 : current.length - at;
	}
}
