package org.berth.core;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * A command running inside a container with its standard streams open to the caller, opened with
 * {@link ContainerEngine#openExec(String, ExecRequest)}: what is written to {@link #stdin()} reaches the command as
 * it is written, and its output can be read while it runs. Read {@link #stdout()} and {@link #stderr()} on threads
 * of their own; both end (-1) after the command has ended, unless a child it left behind still holds them: a
 * caller stops reading a moment after {@link #onExit()} ({@link #LINGER_MILLIS}) rather than wait for that child.
 */
public interface ExecSession extends AutoCloseable {

	/** How long output is still read after the command ended, for what a child left behind still writes. */
	long LINGER_MILLIS = 1000;

	/** The command's standard input; closing it is the end of input (the command reads EOF). */
	OutputStream stdin();

	/** What the command writes to its standard output. */
	InputStream stdout();

	/** What the command writes to its standard error. */
	InputStream stderr();

	/** Completes with the command's exit status (128 + N when signal N ended it). */
	CompletableFuture<Integer> onExit();

	/**
	 * Ends the session: a command still running is asked to end (SIGTERM, forwarded by Berth's helper), then killed.
	 * Idempotent; does not block for long.
	 */
	@Override
	void close();
}
