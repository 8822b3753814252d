package org.berth.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.berth.core.ContainerEngine;
import org.berth.core.ExecRequest;
import org.berth.core.ExecSession;
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
 * A command's standard streams over a WebSocket ({@code GET …/containers/NAME/exec} with an upgrade; see
 * {@link Api#EXEC_STDOUT}): the client's first text frame is the {@link ExecRequest}; its binary frames are the
 * command's input, as they come, and {@code {"type":"eof"}} ends the input. The agent sends {@code open}, then binary
 * frames whose first byte says the stream (1 stdout, 2 stderr), then {@code exit} with the status, and closes.
 * Closing the socket early ends the command (SIGTERM).
 * <p>
 * The input is written by a thread of the session's own, and the next frame is asked for only once a frame is
 * written: a command that does not read holds back its client, not a thread of the agent's pool.
 */
final class ExecSocket implements FrameHandler {

	/** A frame of input to write, or the end of input (null bytes). */
	private record Input(byte[] bytes, Callback callback) {
	}

	private static final Input CLOSED = new Input(null, Callback.NOOP);

	private final ContainerEngine engine;
	private final String name;
	private final BlockingQueue<Input> input = new LinkedBlockingQueue<>();
	private volatile CoreSession socket;
	private volatile ExecSession command;
	private volatile boolean asked;
	private volatile boolean closed;
	/** The client's messages, put together from their fragments. */
	private final Fragments fragments = new Fragments();

	ExecSocket(ContainerEngine engine, String name) {
		this.engine = engine;
		this.name = name;
	}

	@Override
	public void onOpen(CoreSession session, Callback callback) {
		socket = session;
		callback.succeeded();
		session.demand();
	}

	@Override
	public void onFrame(Frame frame, Callback callback) {
		byte op = fragments.opCode(frame);
		switch (op) {
			case OpCode.TEXT -> {
				String whole = fragments.text(frame);
				if (whole != null) {
					text(whole);
				}
				callback.succeeded();
				socket.demand();
			}
			case OpCode.BINARY -> {
				if (command == null) {
					callback.succeeded(); // input before the command runs: nowhere to go
					socket.demand();
					return;
				}
				ByteBuffer b = frame.getPayload();
				byte[] bytes = new byte[b.remaining()];
				b.get(bytes);
				input.add(new Input(bytes, callback)); // the writer asks for the next frame
			}
			default -> {
				callback.succeeded();
				socket.demand();
			}
		}
	}

	private void text(String text) {
		if (!asked) {
			asked = true;
			ExecRequest request;
			try {
				request = Wire.fromJson(text, ExecRequest.class);
			} catch (WireException | RuntimeException e) {
				fail(e.getMessage());
				return;
			}
			if (request == null) {
				fail("The first text frame is the command to run, e.g. {\"command\":[\"/bin/uptime\"]}.");
				return;
			}
			engine.openExec(name, request).whenComplete(this::opened);
			return;
		}
		Api.TerminalControl c;
		try {
			c = Wire.fromJson(text, Api.TerminalControl.class);
		} catch (WireException e) {
			return; // a control frame we do not know: ignored, as the protocol may grow
		}
		if (c != null && "eof".equals(c.type())) {
			input.add(CLOSED);
		}
	}

	private void opened(ExecSession s, Throwable failure) {
		if (failure != null) {
			Object[] sb = ApiHandler.failure(failure);
			fail(((Api.ErrorBody) sb[1]).error());
			return;
		}
		if (closed) {
			s.close();
			return;
		}
		command = s;
		send(new Frame(OpCode.TEXT, Wire.toJson(new Api.TerminalControl("open", null, null, null, name, null))));
		Thread.ofPlatform().daemon().name("berth-agent-exec-in-" + name).start(this::writeInput);
		Thread.ofPlatform().daemon().name("berth-agent-exec-" + name).start(this::run);
	}

	/** The client's frames into the command's input, one at a time; the end of input closes it. */
	private void writeInput() {
		OutputStream to = command.stdin();
		boolean open = true;
		while (true) {
			Input in;
			try {
				in = input.take();
			} catch (InterruptedException e) {
				return;
			}
			if (in.bytes() == null) {
				break;
			}
			if (open) {
				try {
					to.write(in.bytes());
					to.flush();
				} catch (IOException e) {
					open = false; // the command stopped reading: later input is dropped
				}
			}
			in.callback().succeeded();
			if (!closed) {
				socket.demand();
			}
		}
		try {
			to.close();
		} catch (IOException e) {
			// the command stopped reading
		}
	}

	/** Both outputs into frames until the command ends (and a moment after), then its status and the close. */
	private void run() {
		ExecSession s = command;
		List<Thread> pumps = new ArrayList<>();
		pumps.add(Thread.ofPlatform().daemon().name("berth-agent-exec-out-" + name)
				.start(() -> pump(s.stdout(), Api.EXEC_STDOUT)));
		pumps.add(Thread.ofPlatform().daemon().name("berth-agent-exec-err-" + name)
				.start(() -> pump(s.stderr(), Api.EXEC_STDERR)));
		Integer code;
		try {
			code = s.onExit().get();
			long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ExecSession.LINGER_MILLIS);
			for (Thread t : pumps) {
				// a child left behind may hold the output open: its later output is not waited for
				t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
			}
		} catch (Exception e) {
			code = null;
		}
		input.add(CLOSED);
		if (closed) {
			return;
		}
		send(new Frame(OpCode.TEXT, Wire.toJson(new Api.TerminalControl("exit", null, null, code, null, null))));
		socket.close(CloseStatus.NORMAL, "ended", Callback.NOOP);
	}

	private void pump(InputStream from, byte stream) {
		byte[] buffer = new byte[16384];
		try (from) {
			int n;
			while (!closed && (n = from.read(buffer, 1, buffer.length - 1)) >= 0) {
				if (n > 0) {
					byte[] frame = new byte[n + 1];
					frame[0] = stream;
					System.arraycopy(buffer, 1, frame, 1, n);
					if (!send(new Frame(OpCode.BINARY, ByteBuffer.wrap(frame)))) {
						return;
					}
				}
			}
		} catch (IOException e) {
			// the command's end says the rest
		}
	}

	private void fail(String sentence) {
		send(new Frame(OpCode.TEXT, Wire.toJson(new Api.TerminalControl("error", null, null, null, null,
				sentence))));
		socket.close(CloseStatus.NORMAL, "not started", Callback.NOOP);
	}

	/** Sends one frame and waits for it to be written; false when the socket is gone. Frames go one at a time. */
	private synchronized boolean send(Frame frame) {
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
		input.add(CLOSED);
		ExecSession s = command;
		if (s != null) {
			s.close();
		}
		callback.succeeded();
	}
}
