package org.berth.client.blocking;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * A client's end of a WebSocket (RFC 6455) on a blocking channel: {@link #next()} reads the agent's frames on the
 * caller's thread (a ping is answered, a close ends the stream); the send methods may be called from one other thread
 * at the same time. Frames are passed on as they come, fragments included, so a large message is never held whole.
 */
public final class WebSocket {

	public static final byte CONTINUATION = 0x0;
	public static final byte TEXT = 0x1;
	public static final byte BINARY = 0x2;
	static final byte CLOSE = 0x8;
	static final byte PING = 0x9;
	static final byte PONG = 0xA;

	/** The largest frame this client reads. */
	static final int MAX_FRAME = 16 << 20;

	/** The source of the masks and of the upgrade's key, which a client must not make predictable. */
	static final SecureRandom RANDOM = new SecureRandom();

	/**
	 * A frame of a data message: {@code opcode} is the message's ({@link #TEXT} or {@link #BINARY}) also for its
	 * continuations, {@code first} says whether it starts the message, {@code fin} whether it ends it.
	 */
	public record Frame(byte opcode, boolean first, boolean fin, byte[] payload) {
	}

	private final ByteReader in;
	private final WritableByteChannel out;
	private final Object writing = new Object();
	/** The opcode of the message whose continuations may follow, or -1. */
	private byte message = -1;
	private boolean closed;

	WebSocket(ByteReader in, WritableByteChannel out) {
		this.in = in;
		this.out = out;
	}

	/**
	 * The next data frame, or null when the agent closed the stream (its close was answered) or the connection
	 * between two frames.
	 */
	public Frame next() throws IOException {
		while (true) {
			int b0 = in.readByteOrEnd();
			if (b0 < 0) {
				return null;
			}
			int b1 = in.readByte();
			boolean fin = (b0 & 0x80) != 0;
			byte opcode = (byte) (b0 & 0x0f);
			if ((b0 & 0x70) != 0) {
				throw new IOException(
						"the agent sent a WebSocket frame with an extension's bits, which none was agreed");
			}
			if ((b1 & 0x80) != 0) {
				throw new IOException("the agent sent a masked WebSocket frame, which a server must not");
			}
			long length = b1 & 0x7f;
			if (length == 126) {
				length = (in.readByte() << 8) | in.readByte();
			} else if (length == 127) {
				length = 0;
				for (int i = 0; i < 8; i++) {
					length = (length << 8) | in.readByte();
				}
			}
			if (length < 0 || length > MAX_FRAME) {
				throw new IOException("the agent sent a WebSocket frame of " + length + " bytes; this client takes "
						+ MAX_FRAME + " at most");
			}
			byte[] payload = in.bytes((int) length);
			switch (opcode) {
				case PING -> {
					synchronized (writing) {
						if (!closed) {
							send(PONG, payload, 0, payload.length);
						}
					}
				}
				case PONG -> {
					// unasked: nothing to do
				}
				case CLOSE -> {
					synchronized (writing) {
						if (!closed) {
							send(CLOSE, payload, 0, Math.min(payload.length, 2)); // its code back
							closed = true;
						}
					}
					return null;
				}
				case TEXT, BINARY -> {
					if (message != -1) {
						throw new IOException("the agent started a WebSocket message before it ended the last one");
					}
					message = fin ? -1 : opcode;
					return new Frame(opcode, true, fin, payload);
				}
				case CONTINUATION -> {
					if (message == -1) {
						throw new IOException("the agent sent a WebSocket continuation without a message");
					}
					byte of = message;
					if (fin) {
						message = -1;
					}
					return new Frame(of, false, fin, payload);
				}
				default -> throw new IOException("the agent sent a WebSocket frame of unknown type " + opcode);
			}
		}
	}

	public void sendText(String text) throws IOException {
		byte[] b = text.getBytes(StandardCharsets.UTF_8);
		send(TEXT, b, 0, b.length);
	}

	public void sendBinary(byte[] b, int off, int len) throws IOException {
		send(BINARY, b, off, len);
	}

	/** Starts the closing handshake (normal closure); the agent's close then ends {@link #next()}. */
	public void close() throws IOException {
		synchronized (writing) {
			if (!closed) {
				send(CLOSE, new byte[]{0x03, (byte) 0xe8}, 0, 2); // 1000
				closed = true;
			}
		}
	}

	/** One whole, masked frame. */
	void send(byte opcode, byte[] b, int off, int len) throws IOException {
		ByteBuffer frame = ByteBuffer.wrap(frame(opcode, b, off, len, RANDOM.nextInt()));
		synchronized (writing) {
			if (closed) {
				throw new EOFException("the stream to the agent is closed");
			}
			while (frame.hasRemaining()) {
				out.write(frame);
			}
		}
	}

	/** A final frame of {@code opcode} with {@code len} bytes of {@code b}, masked with {@code mask}. */
	static byte[] frame(byte opcode, byte[] b, int off, int len, int mask) {
		int header = 2 + (len < 126 ? 0 : len < 65536 ? 2 : 8) + 4;
		ByteBuffer f = ByteBuffer.allocate(header + len);
		f.put((byte) (0x80 | opcode));
		if (len < 126) {
			f.put((byte) (0x80 | len));
		} else if (len < 65536) {
			f.put((byte) (0x80 | 126)).putShort((short) len);
		} else {
			f.put((byte) (0x80 | 127)).putLong(len);
		}
		f.putInt(mask);
		byte[] key = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
		for (int i = 0; i < len; i++) {
			f.put((byte) (b[off + i] ^ key[i & 3]));
		}
		return f.array();
	}
}
