package org.berth.core.linux.internal.migration;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A command that runs alongside the migration and is spoken to line by line (the target's {@code berth
 * migrate-receive --resume}, started before the freeze so that its JVM and engine are up when the images arrive):
 * its output lines are read as they come, a line is written to it when the time comes, and its end is awaited.
 */
public final class Session implements AutoCloseable {

	private static final String EOF = new String("eof"); // compared by identity

	private final Process process;
	private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
	private final Command.ErrorTail errors = new Command.ErrorTail();
	private final Thread[] readers;

	private Session(Process process) {
		this.process = process;
		Thread out = Thread.ofVirtual().start(() -> {
			try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
					StandardCharsets.UTF_8))) {
				String line;
				while ((line = r.readLine()) != null) {
					lines.add(line);
				}
			} catch (IOException e) {
				// it ended
			}
			lines.add(EOF);
		});
		Thread err = errors.follow(process.getErrorStream());
		readers = new Thread[]{out, err};
	}

	/** Starts {@code argv} with {@code LC_ALL=C}. */
	public static Session start(List<String> argv) throws IOException {
		ProcessBuilder pb = new ProcessBuilder(argv);
		pb.environment().put("LC_ALL", "C");
		return new Session(pb.start());
	}

	/** The next line it prints, or null when it ended (or said nothing more) within {@code timeout}. */
	public String nextLine(Duration timeout) throws InterruptedException {
		String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
		if (line == EOF) {
			lines.add(EOF); // for the next caller too
			return null;
		}
		return line;
	}

	/** Writes one line to it, and ends its input. */
	public void sendLast(String line) throws IOException {
		try (OutputStream in = process.getOutputStream()) {
			in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
		}
	}

	/** Awaits its end: its status (-1 when it did not end in time and was ended) and the tail of its errors. */
	public Command.Result finish(Duration timeout) throws InterruptedException {
		try {
			process.getOutputStream().close();
		} catch (IOException e) {
			// already closed
		}
		boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		if (!ended) {
			process.destroyForcibly();
			process.waitFor();
		}
		for (Thread t : readers) {
			t.join(TimeUnit.SECONDS.toMillis(10));
		}
		StringBuilder rest = new StringBuilder();
		String line;
		while ((line = lines.poll()) != null && line != EOF) {
			rest.append(line).append('\n');
		}
		return new Command.Result(ended ? process.exitValue() : -1, rest.toString(), errors.lines());
	}

	/** Ends it if it still runs (its input closed first: the target's side takes that as "abandoned"). */
	@Override
	public void close() {
		try {
			process.getOutputStream().close();
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				process.waitFor();
			}
		} catch (IOException e) {
			// already closed
		} catch (InterruptedException e) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}
}
