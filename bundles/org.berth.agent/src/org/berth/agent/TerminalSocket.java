package org.berth.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.berth.core.ContainerEngine;
import org.berth.core.TerminalRequest;
import org.berth.core.TerminalSession;
import org.berth.core.wire.Api;
import org.berth.core.wire.Wire;
import org.berth.core.wire.WireException;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * One terminal or console over a WebSocket (see {@link Api.TerminalControl} for the frames). A thread of its own
 * copies the terminal's output into binary frames, one frame in flight at a time; the client's binary frames are
 * typed into the terminal. Closing the socket closes the terminal session (a terminal's process gets its hang-up).
 */
final class TerminalSocket implements FrameHandler {

	private final ContainerEngine engine;
	private final String name;
	private final boolean console;
	private volatile CoreSession socket;
	private volatile TerminalSession terminal;
	private volatile boolean closed;
	/** The client's messages, put together from their fragments. */
	private final Fragments fragments = new Fragments();

	TerminalSocket(ContainerEngine engine, String name, boolean console) {
		this.engine = engine;
		this.name = name;
		this.console = console;
	}

	@Override
	public void onOpen(CoreSession session, Callback callback) {
		socket = session;
		callback.succeeded();
		if (console) {
			engine.watchConsole(name).whenComplete(this::opened);
		}
		session.demand();
	}

	@Override
	public void onFrame(Frame frame, Callback callback) {
		byte op = fragments.opCode(frame);
		try {
			switch (op) {
				case OpCode.TEXT -> {
					String whole = fragments.text(frame);
					if (whole != null) {
						text(whole);
					}
				}
				case OpCode.BINARY -> {
					TerminalSession t = terminal;
					if (t != null) {
						ByteBuffer b = frame.getPayload();
						byte[] bytes = new byte[b.remaining()];
						b.get(bytes);
						t.input().write(bytes);
						t.input().flush();
					}
				}
				default -> {
					// pings are answered by Jetty, a close ends in onClosed
				}
			}
			callback.succeeded();
		} catch (IOException | RuntimeException e) {
			callback.failed(e);
			return;
		}
		socket.demand();
	}

	private void text(String text) throws IOException {
		if (terminal == null && !console) {
			TerminalRequest request;
			try {
				request = Wire.fromJson(text, TerminalRequest.class);
			} catch (WireException e) {
				fail(e.getMessage());
				return;
			}
			engine.openTerminal(name, request).whenComplete(this::opened);
			return;
		}
		Api.TerminalControl c;
		try {
			c = Wire.fromJson(text, Api.TerminalControl.class);
		} catch (WireException e) {
			return; // a control frame we do not know: ignored, as the protocol may grow
		}
		TerminalSession t = terminal;
		if ("resize".equals(c.type()) && t != null && c.columns() != null && c.rows() != null && c.columns() > 0
				&& c.rows() > 0) {
			t.resize(c.columns(), c.rows());
		}
	}

	private void opened(TerminalSession t, Throwable failure) {
		if (failure != null) {
			Object[] sb = ApiHandler.failure(failure);
			fail(((Api.ErrorBody) sb[1]).error());
			return;
		}
		if (closed) {
			t.close();
			return;
		}
		terminal = t;
		send(new Frame(OpCode.TEXT, Wire.toJson(new Api.TerminalControl("open", null, null, null, t.title(), null))));
		Thread.ofPlatform().daemon().name("berth-agent-terminal-" + name).start(this::pump);
	}

	/** The terminal's output into binary frames; at its end the exit code, then the close. */
	private void pump() {
		TerminalSession t = terminal;
		byte[] buffer = new byte[16384];
		try (InputStream out = t.output()) {
			int n;
			while (!closed && (n = out.read(buffer)) >= 0) {
				if (n > 0 && !send(new Frame(OpCode.BINARY, ByteBuffer.wrap(buffer.clone(), 0, n)))) {
					break;
				}
			}
		} catch (IOException e) {
			// the terminal went away: the exit code says how
		}
		if (closed) {
			return;
		}
		Integer code = null;
		try {
			code = t.onExit().get(5, TimeUnit.SECONDS);
		} catch (Exception e) {
			// still running (the console of a running container ends only with the socket)
		}
		send(new Frame(OpCode.TEXT, Wire.toJson(new Api.TerminalControl("exit", null, null, code, null, null))));
		socket.close(CloseStatus.NORMAL, "ended", Callback.NOOP);
	}

	private void fail(String sentence) {
		send(new Frame(OpCode.TEXT, Wire.toJson(new Api.TerminalControl("error", null, null, null, null,
				sentence))));
		socket.close(CloseStatus.NORMAL, "not opened", Callback.NOOP);
	}

	/** Sends one frame and waits for it to be written; false when the socket is gone. */
	private boolean send(Frame frame) {
		FutureCallback sent = new FutureCallback();
		socket.sendFrame(frame, sent, false);
		try {
			sent.get(60, TimeUnit.SECONDS);
			return true;
		} catch (Exception e) {
			return false;
		}
	}

	@Override
	public void onError(Throwable cause, Callback callback) {
		callback.succeeded();
	}

	@Override
	public void onClosed(CloseStatus status, Callback callback) {
		closed = true;
		TerminalSession t = terminal;
		if (t != null) {
			t.close();
		}
		callback.succeeded();
	}
}
