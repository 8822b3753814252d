package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.berth.core.TerminalSession;

/**
 * Reads a terminal session's output on a thread of its own and lets a test wait for text to appear, from a mark
 * on (so an earlier answer is not taken for a later one). Patterns must not match the echo of the typed command:
 * type {@code echo "S=$(stty size)"} and wait for {@code S=\d+ \d+}.
 */
final class TerminalScreen implements AutoCloseable {

	private final TerminalSession session;
	private final StringBuilder text = new StringBuilder();
	private final Thread reader;
	private boolean ended;
	private int mark;

	TerminalScreen(TerminalSession session) {
		this.session = session;
		this.reader = new Thread(this::pump, "terminal-screen");
		reader.setDaemon(true);
		reader.start();
	}

	private void pump() {
		byte[] buffer = new byte[8192];
		InputStream in = session.output();
		try {
			int n;
			while ((n = in.read(buffer)) >= 0) {
				synchronized (this) {
					text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
					notifyAll();
				}
			}
		} catch (IOException e) {
			// the session was closed under the reader: that is its end too
		}
		synchronized (this) {
			ended = true;
			notifyAll();
		}
	}

	/** Types {@code line} and Enter (a CR, as a terminal sends it). */
	void type(String line) throws IOException {
		send(line + "\r");
	}

	void send(String bytes) throws IOException {
		session.input().write(bytes.getBytes(StandardCharsets.UTF_8));
		session.input().flush();
	}

	/** Waits until {@code regex} matches the output after the mark; moves the mark past the match. */
	synchronized Matcher await(String regex, Duration timeout) throws InterruptedException {
		Pattern p = Pattern.compile(regex);
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			Matcher m = p.matcher(text);
			if (m.find(mark)) {
				mark = m.end();
				return m;
			}
			long left = deadline - System.nanoTime();
			if (ended || left <= 0) {
				throw new AssertionError((ended ? "the session ended" : "timed out after " + timeout.toMillis()
						+ " ms") + " waiting for /" + regex + "/ in:\n" + text.substring(mark));
			}
			wait(Math.max(1, left / 1_000_000));
		}
	}

	/** Waits for the end of the output. */
	synchronized void awaitEnd(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!ended) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				throw new AssertionError("the output did not end within " + timeout.toMillis() + " ms");
			}
			wait(Math.max(1, left / 1_000_000));
		}
	}

	synchronized String all() {
		return text.toString();
	}

	@Override
	public void close() throws InterruptedException {
		session.close();
		reader.join(Duration.ofSeconds(5));
	}
}
