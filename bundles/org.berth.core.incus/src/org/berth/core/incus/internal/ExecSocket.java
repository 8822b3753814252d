package org.berth.core.incus.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.berth.core.BerthException;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * One WebSocket of an Incus exec (fd "0", "1", "2" or "control"): what arrives as binary frames goes to a sink, in
 * order, until Incus's end of the stream (an empty text frame; the first frame may be a "keepalive" ping), when the
 * socket is closed: Incus waits for that before it ends the operation.
 */
final class ExecSocket implements FrameHandler {

	final CompletableFuture<Void> opened = new CompletableFuture<>();
	/** Completes at the end of the stream, or when the socket closes. */
	final CompletableFuture<Void> ended = new CompletableFuture<>();
	private final Consumer<byte[]> sink;
	private volatile CoreSession socket;
	private byte messageOpCode;
	private int textBytes;

	private final Runnable end;
	private boolean ending;

	/** {@code sink}: where the binary payloads go (null: nowhere, e.g. a control socket). */
	ExecSocket(Consumer<byte[]> sink) {
		this(sink, () -> {
		});
	}

	/**
	 * {@code end}: told the end of the stream before {@link #ended} completes, so that whatever depends on
	 * {@code ended} finds the sink complete (a dependent of {@code ended} runs on this socket's thread, and
	 * CompletableFuture runs its dependents in no set order: one that read the sink before it was told its end waited
	 * for ever, and with it the socket's thread).
	 */
	ExecSocket(Consumer<byte[]> sink, Runnable end) {
		this.sink = sink;
		this.end = end;
	}

	/** The end of the stream (Incus's, or the socket's close): the sink told first, then {@link #ended}; once. */
	private void end() {
		synchronized (this) {
			if (ending) {
				return;
			}
			ending = true;
		}
		try {
			end.run();
		} finally {
			ended.complete(null);
		}
	}

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
		// a control frame (Incus's keepalive ping) may come between the frames of a message: not a message's start
		if (frame.getOpCode() != OpCode.CONTINUATION && !OpCode.isControlFrame(frame.getOpCode())) {
			messageOpCode = frame.getOpCode();
			textBytes = 0;
		}
		ByteBuffer b = frame.getPayload();
		int n = b == null ? 0 : b.remaining();
		if (op == OpCode.BINARY && n > 0 && sink != null) {
			byte[] part = new byte[n];
			b.get(part);
			sink.accept(part);
		} else if (op == OpCode.TEXT) {
			textBytes += n;
			if (frame.isFin() && textBytes == 0) {
				callback.succeeded();
				end();
				socket.close(CloseStatus.NORMAL, "end of stream", Callback.NOOP);
				return;
			}
		}
		callback.succeeded();
		socket.demand();
	}

	/** Sends one frame and waits until it is sent. */
	void send(Frame frame) throws IOException {
		CoreSession s = socket;
		if (s == null || !s.isOutputOpen()) {
			throw new IOException("the command's stream is closed");
		}
		FutureCallback sent = new FutureCallback();
		s.sendFrame(frame, sent, false);
		try {
			sent.get(30, TimeUnit.SECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException();
		} catch (Exception e) {
			throw new IOException("the command's stream is closed", e);
		}
	}

	/**
	 * Sends a text message without waiting; false when the socket is not open. An empty one is the end of the stream,
	 * as Incus's own client sends it (the socket stays open).
	 */
	boolean sendText(String text) {
		CoreSession s = socket;
		if (s == null || !s.isOutputOpen()) {
			return false;
		}
		s.sendFrame(new Frame(OpCode.TEXT, text), Callback.NOOP, false);
		return true;
	}

	void close() {
		CoreSession s = socket;
		if (s != null) {
			s.close(CloseStatus.NORMAL, "closed", Callback.NOOP);
		}
	}

	@Override
	public void onError(Throwable cause, Callback callback) {
		opened.completeExceptionally(new BerthException("An Incus command's stream failed: " + cause.getMessage()));
		callback.succeeded();
	}

	@Override
	public void onClosed(CloseStatus status, Callback callback) {
		opened.completeExceptionally(new BerthException("Incus closed a command's stream: " + status.getReason()));
		end();
		callback.succeeded();
	}
}
