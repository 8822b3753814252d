package org.berth.core.incus.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import org.berth.core.ExecSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * A command of an Incus instance with its streams open to the caller: a non-interactive exec's WebSockets (fd 0 for
 * input, closed at its end; fds 1 and 2 read to Incus's end of each; control for signals). The exit status is the
 * operation's {@code metadata.return}.
 */
final class IncusExec implements ExecSession {

	private final ChunkStream stdout = new ChunkStream();
	private final ChunkStream stderr = new ChunkStream();
	final CompletableFuture<Integer> exit = new CompletableFuture<>();
	final ExecSocket in = new ExecSocket(null);
	/** Their streams end before their {@code ended} completes: whatever waits for {@code ended} can read them all. */
	final ExecSocket out = new ExecSocket(stdout::add, stdout::end);
	final ExecSocket err = new ExecSocket(stderr::add, stderr::end);
	final ExecSocket control = new ExecSocket(null);

	IncusExec() {
		// once the command's output has ended its input is of no more use: closed, so that the operation can end
		CompletableFuture.allOf(out.ended, err.ended).thenRun(in::close);
	}

	private final OutputStream stdin = new OutputStream() {
		@Override
		public void write(int b) throws IOException {
			write(new byte[]{(byte) b}, 0, 1);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			in.send(new Frame(OpCode.BINARY, ByteBuffer.wrap(java.util.Arrays.copyOfRange(b, off, off + len))));
		}

		/** The end of input (Incus's empty text message); nothing when the command's streams are closed already. */
		@Override
		public void close() {
			in.sendText("");
		}
	};

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

	/** Asks a command still running to end (SIGTERM through the control socket), then closes the sockets. */
	@Override
	public void close() {
		if (!exit.isDone()) {
			control.sendText(IncusTerminal.signalMessage(15));
		}
		for (ExecSocket s : new ExecSocket[]{in, out, err, control}) {
			s.close();
		}
		stdout.end();
		stderr.end();
	}
}
