package org.berth.core.incus.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import org.berth.core.TerminalSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

import com.google.gson.JsonObject;

/**
 * A command of an Incus instance on a terminal, or its console: the operation's two WebSockets, the terminal's data
 * (binary frames both ways) and its control socket (window-resize, signal). The exit status comes from the
 * operation's {@code metadata.return}.
 */
final class IncusTerminal implements TerminalSession {

	private final String title;
	private final ChunkStream output = new ChunkStream();
	final CompletableFuture<Integer> exit = new CompletableFuture<>();
	final ExecSocket data = new ExecSocket(output::add);
	final ExecSocket control = new ExecSocket(null);

	IncusTerminal(String title) {
		this.title = title;
		data.ended.thenRun(output::end);
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
		output.end();
	}
}
