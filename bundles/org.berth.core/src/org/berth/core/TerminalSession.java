package org.berth.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * An interactive terminal into a running container, opened with
 * {@link ContainerEngine#openTerminal(String, TerminalRequest)}: a shell (or another command) on a terminal whose
 * size the client sets, or the container's console.
 * <p>
 * Ctrl-C, Ctrl-D and Ctrl-Z are plain bytes written to {@link #input()} ({@code 0x03}, {@code 0x04},
 * {@code 0x1a}); the terminal turns them into signals for the foreground job. Read {@link #output()} on a thread
 * of its own: reads block until the container writes something, and end (-1) once the session is over.
 */
public interface TerminalSession extends AutoCloseable {

	/** What the container writes to the terminal. Ends (-1) when the session is over or closed. */
	InputStream output();

	/** What the user types. Writing after the end fails with an IOException. */
	OutputStream input();

	/**
	 * Tells the terminal its new size in character cells; the foreground job is told (SIGWINCH). Does nothing on
	 * a session that cannot change size (a read-only console).
	 *
	 * @throws IOException when the session is over
	 */
	void resize(int columns, int rows) throws IOException;

	/**
	 * Completes when the command has ended, with its exit status (128 + N when signal N killed it), as
	 * {@code berth exec} reports it.
	 */
	CompletableFuture<Integer> onExit();

	/** Whether {@link #input()} reaches the container (false for a console that can only be watched). */
	default boolean isInteractive() {
		return true;
	}

	/** A short description for a title, e.g. {@code c1 /dev/pts/0}. */
	String title();

	/**
	 * Ends the session: the command gets a hang-up (SIGHUP) and the terminal is closed. Idempotent; does not
	 * block for long.
	 */
	@Override
	void close();
}
