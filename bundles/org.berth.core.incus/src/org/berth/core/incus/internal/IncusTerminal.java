package org.berth.core.incus.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

import org.berth.core.TerminalSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

import com.google.gson.JsonObject;

/**
 * A command of an Incus instance on a terminal: an interactive exec's two WebSockets, the terminal's data (binary
 * frames both ways) and its control socket (window-resize, signal). The exit status comes from the exec operation's
 * {@code metadata.return}.
 */
final class IncusTerminal implements TerminalSession {

	private static final byte[] END = new byte[0];

	private final String title;
	private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
	final CompletableFuture<Integer> exit = new CompletableFuture<>();
	final ExecSocket data = new ExecSocket(received::add);
	final ExecSocket control = new ExecSocket(null);

	IncusTerminal(String title) {
		this.title = title;
		data.ended.thenRun(() -> received.add(END));
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
			data.send(new Frame(OpCode.BINARY, ByteBuffer.wrap(java.util.Arrays.copyOfRange(b, off, off + len))));
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
		control.send(new Frame(OpCode.TEXT, resizeMessage(columns, rows)));
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
		if (!exit.isDone()) {
			control.sendText(signalMessage(1));
		}
		data.close();
		control.close();
		received.add(END);
	}
}
