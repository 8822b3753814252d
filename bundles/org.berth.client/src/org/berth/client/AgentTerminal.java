package org.berth.client;

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
import org.berth.core.wire.Api;
import org.berth.core.wire.Wire;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * A terminal or console of the agent's, over its WebSocket ({@link Api.TerminalControl}): binary frames are the
 * terminal's bytes both ways, text frames the controls. {@link #opened} completes when the agent says {@code open}.
 */
final class AgentTerminal implements TerminalSession, FrameHandler {

	private static final byte[] END = new byte[0];

	private final String firstMessage;
	private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
	final CompletableFuture<TerminalSession> opened = new CompletableFuture<>();
	private final CompletableFuture<Integer> exit = new CompletableFuture<>();
	private volatile CoreSession socket;
	private volatile String title = "";
	/** The opcode of the message whose fragments are arriving, and a text message's fragments so far. */
	private byte messageOpCode;
	private final java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();

	/** {@code firstMessage}: the terminal request to send once connected; null for a console. */
	AgentTerminal(String firstMessage) {
		this.firstMessage = firstMessage;
	}

	@Override
	public void onOpen(CoreSession session, Callback callback) {
		socket = session;
		callback.succeeded();
		if (firstMessage != null) {
			session.sendFrame(new Frame(OpCode.TEXT, firstMessage), Callback.NOOP, false);
		}
		session.demand();
	}

	@Override
	public void onFrame(Frame frame, Callback callback) {
		byte op = frame.getOpCode() == OpCode.CONTINUATION ? messageOpCode : frame.getOpCode();
		if (frame.getOpCode() != OpCode.CONTINUATION) {
			messageOpCode = frame.getOpCode(); // the agent's frames may come in fragments
		}
		if (op == OpCode.BINARY) {
			ByteBuffer b = frame.getPayload();
			byte[] bytes = new byte[b.remaining()];
			b.get(bytes);
			received.add(bytes);
		} else if (op == OpCode.TEXT) {
			ByteBuffer part = frame.getPayload();
			byte[] bytes = new byte[part.remaining()];
			part.get(bytes);
			text.writeBytes(bytes);
			if (frame.isFin()) {
				control(text.toString(java.nio.charset.StandardCharsets.UTF_8));
				text.reset();
			}
		}
		callback.succeeded();
		socket.demand();
	}

	private void control(String text) {
		Api.TerminalControl c;
		try {
			c = Wire.gson().fromJson(text, Api.TerminalControl.class);
		} catch (RuntimeException e) {
			return;
		}
		switch (String.valueOf(c.type())) {
			case "open" -> {
				title = c.title() == null ? "" : c.title();
				opened.complete(this);
			}
			case "exit" -> exit.complete(c.exitCode() == null ? -1 : c.exitCode());
			case "error" -> opened.completeExceptionally(new BerthException(c.error()));
			default -> {
				// newer controls: ignored
			}
		}
	}

	@Override
	public void onError(Throwable cause, Callback callback) {
		opened.completeExceptionally(new BerthException("The agent's terminal failed: " + cause.getMessage()));
		callback.succeeded();
	}

	@Override
	public void onClosed(CloseStatus status, Callback callback) {
		received.add(END);
		opened.completeExceptionally(new BerthException("The agent closed the terminal: " + status.getReason()));
		exit.complete(-1);
		callback.succeeded();
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
			byte[] copy = java.util.Arrays.copyOfRange(b, off, off + len);
			send(new Frame(OpCode.BINARY, ByteBuffer.wrap(copy)));
		}
	};

	private void send(Frame frame) throws IOException {
		CoreSession s = socket;
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
		send(new Frame(OpCode.TEXT, Wire.toJson(Api.TerminalControl.resize(columns, rows))));
	}

	@Override
	public CompletableFuture<Integer> onExit() {
		return exit;
	}

	@Override
	public String title() {
		return title;
	}

	@Override
	public void close() {
		CoreSession s = socket;
		if (s != null) {
			s.close(CloseStatus.NORMAL, "closed", Callback.NOOP);
		}
	}
}
