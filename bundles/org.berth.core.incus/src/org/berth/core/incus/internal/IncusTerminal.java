package org.berth.core.incus.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.berth.core.BerthException;
import org.berth.core.TerminalSession;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;

import com.google.gson.JsonObject;

/**
 * A command of an Incus instance on a terminal: an interactive exec's two WebSockets, the terminal's data (binary
 * frames both ways; Incus's first frame may be a ping, an empty text frame ends the output) and its control socket
 * (window-resize, signal). The exit status comes from the exec operation's {@code metadata.return}.
 */
final class IncusTerminal implements TerminalSession {

	private static final byte[] END = new byte[0];

	private final String title;
	private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
	final CompletableFuture<Integer> exit = new CompletableFuture<>();
	final Data data = new Data();
	final Control control = new Control();

	IncusTerminal(String title) {
		this.title = title;
	}

	/** The terminal's data socket (the exec's fd "0"). */
	final class Data implements FrameHandler {
		volatile CoreSession socket;
		final CompletableFuture<Void> opened = new CompletableFuture<>();
		private byte messageOpCode;
		private int textBytes;

		@Override
		public void onOpen(CoreSession session, Callback callback) {
			socket = session;
			callback.succeeded();
			session.demand();
			opened.complete(null);
		}

		@Override
		public void onFrame(Frame frame, Callback callback) {
			byte op = frame.getOpCode() == OpCode.CONTINUATION ? messageOpCode : frame.getOpCode();
			if (frame.getOpCode() != OpCode.CONTINUATION) {
				messageOpCode = frame.getOpCode();
				textBytes = 0;
			}
			ByteBuffer b = frame.getPayload();
			if (op == OpCode.BINARY && b != null && b.remaining() > 0) {
				byte[] bytes = new byte[b.remaining()];
				b.get(bytes);
				received.add(bytes);
			} else if (op == OpCode.TEXT) {
				textBytes += b == null ? 0 : b.remaining();
				if (frame.isFin() && textBytes == 0) {
					// Incus's end of the output: the command ended. Its operation ends once this socket is closed.
					received.add(END);
					callback.succeeded();
					socket.close(CloseStatus.NORMAL, "end of output", Callback.NOOP);
					return;
				}
			}
			callback.succeeded();
			socket.demand();
		}

		@Override
		public void onError(Throwable cause, Callback callback) {
			opened.completeExceptionally(new BerthException("The Incus terminal failed: " + cause.getMessage()));
			callback.succeeded();
		}

		@Override
		public void onClosed(CloseStatus status, Callback callback) {
			received.add(END);
			opened.completeExceptionally(new BerthException("Incus closed the terminal: " + status.getReason()));
			callback.succeeded();
		}
	}

	/** The exec's control socket: resize and signals go out on it. */
	final class Control implements FrameHandler {
		volatile CoreSession socket;
		final CompletableFuture<Void> opened = new CompletableFuture<>();

		@Override
		public void onOpen(CoreSession session, Callback callback) {
			socket = session;
			callback.succeeded();
			session.demand();
			opened.complete(null);
		}

		@Override
		public void onFrame(Frame frame, Callback callback) {
			callback.succeeded();
			socket.demand();
		}

		@Override
		public void onError(Throwable cause, Callback callback) {
			opened.completeExceptionally(new BerthException("The Incus terminal's control failed: " + cause
					.getMessage()));
			callback.succeeded();
		}

		@Override
		public void onClosed(CloseStatus status, Callback callback) {
			opened.completeExceptionally(new BerthException("Incus closed the terminal's control: " + status
					.getReason()));
			callback.succeeded();
		}
	}

	/** The window-resize message of Incus's control socket (its arguments are strings). */
	static String resizeMessage(int columns, int rows) {
		JsonObject args = new JsonObject();
		args.addProperty("width", Integer.toString(columns));
		args.addProperty("height", Integer.toString(rows));
		JsonObject m = new JsonObject();
		m.addProperty("command", "window-resize");
		m.add("args", args);
		return m.toString();
	}

	/** The signal message of Incus's control socket. */
	static String signalMessage(int signal) {
		JsonObject m = new JsonObject();
		m.addProperty("command", "signal");
		m.addProperty("signal", signal);
		return m.toString();
	}

	private static void send(CoreSession s, Frame frame) throws IOException {
		if (s == null || !s.isOutputOpen()) {
			throw new IOException("the terminal is closed");
		}
		FutureCallback sent = new FutureCallback();
		s.sendFrame(frame, sent, false);
		try {
			sent.get(30, TimeUnit.SECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException();
		} catch (Exception e) {
			throw new IOException("the terminal is closed", e);
		}
	}

	private final InputStream output = new InputStream() {
		private byte[] current = new byte[0];
		private int at;

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
					current = received.take();
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					throw new InterruptedIOException();
				}
				at = 0;
			}
			if (current == END) {
				received.add(END);
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
	};

	private final OutputStream input = new OutputStream() {
		@Override
		public void write(int b) throws IOException {
			write(new byte[]{(byte) b}, 0, 1);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			send(data.socket, new Frame(OpCode.BINARY, ByteBuffer.wrap(java.util.Arrays.copyOfRange(b, off, off
					+ len))));
		}
	};

	@Override
	public InputStream output() {
		return output;
	}

	@Override
	public OutputStream input() {
		return input;
	}

	@Override
	public void resize(int columns, int rows) throws IOException {
		send(control.socket, new Frame(OpCode.TEXT, resizeMessage(columns, rows)));
	}

	@Override
	public CompletableFuture<Integer> onExit() {
		return exit;
	}

	@Override
	public String title() {
		return title;
	}

	/** Hangs the command up (SIGHUP through the control socket), then closes both sockets. */
	@Override
	public void close() {
		CoreSession c = control.socket;
		if (c != null && c.isOutputOpen() && !exit.isDone()) {
			c.sendFrame(new Frame(OpCode.TEXT, signalMessage(1)), Callback.NOOP, false);
		}
		CoreSession d = data.socket;
		if (d != null) {
			d.close(CloseStatus.NORMAL, "closed", Callback.NOOP);
		}
		if (c != null) {
			c.close(CloseStatus.NORMAL, "closed", Callback.NOOP);
		}
		received.add(END);
	}
}
