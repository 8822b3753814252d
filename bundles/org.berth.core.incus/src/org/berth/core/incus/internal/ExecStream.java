package org.berth.core.incus.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import org.berth.core.BerthException;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * One WebSocket of a non-interactive Incus exec (fd "0", "1", "2" or "control"): collects what arrives as binary
 * frames until Incus's end of the stream (an empty text frame; its first frame may be a "keepalive" ping), then closes
 * it, which Incus waits for before it ends the operation.
 */
final class ExecStream implements FrameHandler {

	final CompletableFuture<CoreSession> opened = new CompletableFuture<>();
	/** Completes with what arrived, at the end of the stream or when the socket closes. */
	final CompletableFuture<byte[]> received = new CompletableFuture<>();
	private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
	private volatile CoreSession socket;
	private byte messageOpCode;
	private int textBytes;

	@Override
	public void onOpen(CoreSession session, Callback callback) {
		socket = session;
		callback.succeeded();
		session.demand();
		opened.complete(session);
	}

	@Override
	public void onFrame(Frame frame, Callback callback) {
		byte op = frame.getOpCode() == OpCode.CONTINUATION ? messageOpCode : frame.getOpCode();
		if (frame.getOpCode() != OpCode.CONTINUATION) {
			messageOpCode = frame.getOpCode();
			textBytes = 0;
		}
		ByteBuffer b = frame.getPayload();
		int n = b == null ? 0 : b.remaining();
		if (op == OpCode.BINARY && n > 0) {
			byte[] part = new byte[n];
			b.get(part);
			synchronized (bytes) {
				bytes.writeBytes(part);
			}
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

	private void end() {
		synchronized (bytes) {
			received.complete(bytes.toByteArray());
		}
	}

	/** Sends {@code data} as one binary message, then closes the socket: the command reads its end. */
	void sendAndClose(byte[] data) {
		CoreSession s = socket;
		s.sendFrame(new Frame(OpCode.BINARY, ByteBuffer.wrap(data)), Callback.from(() -> s.close(CloseStatus.NORMAL,
				"end of input", Callback.NOOP),
				failure -> s.close(CloseStatus.NORMAL, "end of input",
						Callback.NOOP)),
				false);
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
