package org.berth.core.linux.internal.migration;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One run of ssh or rsync: its input given, its output read as it comes (lines ended by a newline or a carriage
 * return, as rsync rewrites its progress line), the last lines of its errors kept for the sentence, ended after a
 * time limit. The child gets {@code LC_ALL=C}, so that the numbers it prints are read as they are meant.
 */
public final class Command {

	/**
	 * How a run ended.
	 *
	 * @param status the exit status, or -1 when it ran out of time and was ended
	 * @param stdout all it printed (for a short command's answer)
	 * @param errors the last lines of its standard error
	 */
	public record Result(int status, String stdout, List<String> errors) {

		public boolean ok() {
			return status == 0;
		}

		/** Its errors as one sentence's tail, or its status when it said nothing. */
		public String why() {
			if (status < 0) {
				return "it did not finish in time";
			}
			return errors.isEmpty() ? "it ended with status " + status : String.join("; ", errors);
		}
	}

	private static final int KEPT_ERRORS = 4;
	private static final int MAX_STDOUT = 1 << 20;

	private Command() {
	}

	/**
	 * Runs {@code argv} to its end.
	 *
	 * @param input  what it reads on its standard input (null: nothing)
	 * @param lines  hears each line of its standard output as it comes (null: none)
	 */
	public static Result run(List<String> argv, byte[] input, Consumer<String> lines, Duration timeout)
			throws IOException, InterruptedException {
		ProcessBuilder pb = new ProcessBuilder(argv);
		pb.environment().put("LC_ALL", "C");
		Process p = pb.start();
		ErrorTail errors = new ErrorTail();
		Thread errReader = errors.follow(p.getErrorStream());
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		Thread outReader = Thread.ofVirtual().start(() -> readLines(p.getInputStream(), lines, out));
		try (OutputStream in = p.getOutputStream()) {
			if (input != null) {
				in.write(input);
			}
		} catch (IOException e) {
			// it ended without reading: its status says why
		}
		boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		if (!ended) {
			p.destroyForcibly();
			p.waitFor();
		}
		outReader.join();
		errReader.join();
		return new Result(ended ? p.exitValue() : -1, out.toString(StandardCharsets.UTF_8), errors.lines());
	}

	/** The last lines a process wrote to its standard error (blank ones left out), for the sentence. */
	static final class ErrorTail {

		private final Deque<String> kept = new ArrayDeque<>();

		/** Reads {@code stderr} to its end on a thread of its own, keeping its last lines; the thread. */
		Thread follow(InputStream stderr) {
			return Thread.ofVirtual().start(() -> readLines(stderr, this::add, null));
		}

		private synchronized void add(String line) {
			if (!line.isBlank()) {
				kept.addLast(line.strip());
				if (kept.size() > KEPT_ERRORS) {
					kept.removeFirst();
				}
			}
		}

		synchronized List<String> lines() {
			return List.copyOf(kept);
		}
	}

	private static void readLines(InputStream from, Consumer<String> lines, ByteArrayOutputStream copy) {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		byte[] buf = new byte[8192];
		try (from) {
			int n;
			while ((n = from.read(buf)) >= 0) {
				if (copy != null && copy.size() < MAX_STDOUT) {
					copy.write(buf, 0, Math.min(n, MAX_STDOUT - copy.size()));
				}
				for (int i = 0; i < n; i++) {
					byte b = buf[i];
					if (b == '\n' || b == '\r') {
						if (lines != null && line.size() > 0) {
							lines.accept(line.toString(StandardCharsets.UTF_8));
						}
						line.reset();
					} else if (line.size() < 4096) {
						line.write(b);
					}
				}
			}
			if (lines != null && line.size() > 0) {
				lines.accept(line.toString(StandardCharsets.UTF_8));
			}
		} catch (IOException e) {
			// the process ended: what it printed is read
		}
	}
}
