package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.berth.core.ExecSession;

/**
 * A command run by the helper with pipes for its three streams ({@link ExecSession}). The pipes end at the caller's
 * process (the agent), never at a terminal of the host; the helper puts the command in a session of its own.
 */
final class PipedExec implements ExecSession {

	private static final long TERM_MILLIS = 3000;

	private final Process process;
	private final CompletableFuture<Integer> exit;

	PipedExec(Process process) {
		this.process = process;
		this.exit = process.onExit().thenApply(Process::exitValue);
	}

	@Override
	public OutputStream stdin() {
		return process.getOutputStream();
	}

	@Override
	public InputStream stdout() {
		return process.getInputStream();
	}

	@Override
	public InputStream stderr() {
		return process.getErrorStream();
	}

	@Override
	public CompletableFuture<Integer> onExit() {
		return exit;
	}

	@Override
	public void close() {
		if (process.isAlive()) {
			process.destroy(); // SIGTERM: the helper forwards it to the command
			process.onExit().orTimeout(TERM_MILLIS, TimeUnit.MILLISECONDS).exceptionally(e -> {
				process.destroyForcibly();
				return process;
			});
		}
		try {
			process.getOutputStream().close();
		} catch (IOException e) {
			// the command no longer reads
		}
	}
}
