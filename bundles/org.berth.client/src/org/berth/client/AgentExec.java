package org.berth.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.berth.core.BerthException;
import org.berth.core.ExecSession;
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
 * A command of the agent's with its streams, over the exec WebSocket ({@code …/exec}, see {@link Api#EXEC_STDOUT}):
 * input goes out as binary frames, closing {@link #stdin()} sends {@code eof}; the agent's frames are sorted into
 * {@link #stdout()} and {@link #stderr()} by their first byte. {@link #opened} completes when the agent says
 * {@code open}. The next frame is asked for only when a stream has room for it, so a caller that reads slowly
 * slows the command down rather than filling memory.
 */
final class AgentExec implements ExecSession, FrameHandler {

	/** How many frames each output stream keeps before the agent is asked to wait. */
	private static final int QUEUED = 64;

	private final String request;
	final CompletableFuture<ExecSession> opened = new CompletableFuture<>();
	private final CompletableFuture<Integer> exit = new CompletableFuture<>();
	private final Output stdout = new Output();
	private final Output stderr = new Output();
	private volatile CoreSession socket;
	/** The opcode and stream of the message whose fragments are arriving, and a text message's fragments so far. */
	private byte messageOpCode;
	private byte stream;
	private final java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();

	/** {@code request}: the {@link org.berth.core.ExecRequest} as JSON, sent once connected. */
	AgentExec(String request) {
		this.request = request;
	}

	@Override
	public void onOpen(CoreSession session, Callback callback) {
		socket = session;
		callback.succeeded();
		session.sendFrame(new Frame(OpCode.TEXT, request), Callback.NOOP, false);
		session.demand();
	}

	@Override
	public void onFrame(Frame frame, Callback callback) {
		byte op = frame.getOpCode() == OpCode.CONTINUATION ? messageOpCode : frame.getOpCode();
		if (frame.getOpCode() != OpCode.CONTINUATION) {
			messageOpCode = frame.getOpCode(); // the agent's messages may come in fragments
		}
		if (op == OpCode.BINARY) {
			ByteBuffer b = frame.getPayload();
			if (frame.getOpCode() == OpCode.BINARY && b.remaining() > 0) {
				stream = b.get(); // a message's first byte says its stream; its fragments follow it
			}
			if (b.remaining() > 0) {
				byte[] bytes = new byte[b.remaining()];
				b.get(bytes);
				Output to = stream == Api.EXEC_STDERR ? stderr : stdout;
				try {
					to.queue.put(bytes); // blocks while the reader is behind: the agent waits meanwhile
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
			}
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
			case "open" -> opened.complete(this);
			case "exit" -> {
				stdout.end();
				stderr.end();
				exit.complete(c.exitCode() == null ? -1 : c.exitCode());
			}
			case "error" -> opened.completeExceptionally(new BerthException(c.error()));
			default -> {
				// newer controls: ignored
			}
		}
	}

	@Override
	public void onError(Throwable cause, Callback callback) {
		opened.completeExceptionally(new BerthException("The agent's command stream failed: " + cause.getMessage()));
		callback.succeeded();
	}

	@Override
	public void onClosed(CloseStatus status, Callback callback) {
		stdout.end();
		stderr.end();
		opened.completeExceptionally(new BerthException("The agent closed the command's stream: "
				+ status.getReason()));
		exit.completeExceptionally(new BerthException("The agent closed the command's stream before it said how the"
				+ " command ended (" + status.getReason() + ")"));
		callback.succeeded();
	}

	/** One output stream: the frames in order, then the end. */
	private static final class Output extends InputStream {

		private static final byte[] END = new byte[0];
		final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>(QUEUED);
		private byte[] current = new byte[0];
		private int at;

		void end() {
			// the end must get in even when the queue is full: it waits for the reader
			Thread.ofVirtual().start(() -> {
				try {
					queue.put(END);
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
			});
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
					current = queue.take();
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					throw new InterruptedIOException();
				}
				at = 0;
			}
			if (current == END) {
				return -1;
			}
			int n = Math.min(len, current.length - at);
			System.arraycopy(current, at, b, off, n);
			at += n;
			return n;
		}
	}

	private final OutputStream stdin = new OutputStream() {
		private boolean closed;

		@Override
		public void write(int b) throws IOException {
			write(new byte[]{(byte) b}, 0, 1);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			if (closed) {
				throw new IOException("the command's input is closed");
			}
			send(new Frame(OpCode.BINARY, ByteBuffer.wrap(Arrays.copyOfRange(b, off, off + len))));
		}

		@Override
		public void close() throws IOException {
			if (!closed) {
				closed = true;
				send(new Frame(OpCode.TEXT, "{\"type\":\"eof\"}"));
			}
		}
	};

	private void send(Frame frame) throws IOException {
		CoreSession s = socket;
		if (s == null || !s.isOutputOpen()) {
			throw new IOException("the command's stream is closed");
		}
		FutureCallback sent = new FutureCallback();
		s.sendFrame(frame, sent, false);
		try {
			sent.get(60, TimeUnit.SECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException();
		} catch (Exception e) {
			throw new IOException("the command's stream is closed", e);
		}
	}

	@Override
	public OutputStream stdin() {
		return stdin;
	}

	@Override
	public InputStream stdout() {
		return stdout;
	}

	@Override
	public InputStream stderr() {
		return stderr;
	}

	@Override
	public CompletableFuture<Integer> onExit() {
		return exit;
	}

	@Override
	public void close() {
		CoreSession s = socket;
		if (s != null) {
			s.close(CloseStatus.NORMAL, "closed", Callback.NOOP);
		}
	}
}
