package org.berth.core.linux.internal.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.berth.core.BerthException;

/**
 * Runs {@code berth-helper start} and speaks its stdout protocol: {@code CHILD pid} (when {@code --sync}),
 * then {@code READY initpid monitorpid} or {@code ERROR sentence}. The helper then stays as the container's
 * monitor, detached from us.
 */
final class HelperProcess {

	/** What a successful start gives back. */
	record Ready(long initPid, long monitorPid, Process monitor) {
	}

	/** Work to do between clone and init (e.g. moving a veth into the new net namespace). */
	interface ChildSetup {
		void prepare(long childPid) throws BerthException;
	}

	private static final String EOF = "\u0000EOF";

	private HelperProcess() {
	}

	static Ready start(String name, List<String> argv, Path helperLog, ChildSetup setup, Duration timeout)
			throws BerthException {
		Process p;
		try {
			p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.appendTo(helperLog.toFile()))
					.start();
		} catch (IOException e) {
			throw new BerthException("start", name, "could not run the helper " + argv.get(0) + ": " + e.getMessage(),
					e);
		}
		BlockingQueue<String> lines = new LinkedBlockingQueue<>();
		Thread reader = Thread.ofVirtual().name("berth-helper-reader-" + name).start(() -> {
			try (BufferedReader r = new BufferedReader(
					new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = r.readLine()) != null) {
					lines.add(line);
				}
			} catch (IOException e) {
				// the helper closed its stdout; EOF below tells the waiting side
			} finally {
				lines.add(EOF);
			}
		});
		long deadline = System.nanoTime() + timeout.toNanos();
		try (OutputStream stdin = p.getOutputStream()) {
			while (true) {
				String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				if (line == null) {
					p.destroyForcibly();
					throw new BerthException("start", name, "the helper did not report within "
							+ timeout.toMillis() + " ms; see " + helperLog);
				}
				if (line.startsWith("CHILD ")) {
					long child = Long.parseLong(line.substring(6).trim());
					try {
						setup.prepare(child);
					} catch (BerthException | RuntimeException e) {
						stdin.write("ABORT\n".getBytes(StandardCharsets.US_ASCII));
						stdin.flush();
						awaitEnd(p, lines, deadline);
						throw e;
					}
					stdin.write("GO\n".getBytes(StandardCharsets.US_ASCII));
					stdin.flush();
				} else if (line.startsWith("READY ")) {
					String[] f = line.trim().split("\\s+");
					return new Ready(Long.parseLong(f[1]), Long.parseLong(f[2]), p);
				} else if (line.startsWith("ERROR ")) {
					awaitEnd(p, lines, deadline);
					throw new BerthException("start", name, "could not start \"" + name + "\": "
							+ line.substring(6).trim());
				} else if (line.equals(EOF)) {
					int code = awaitEnd(p, lines, deadline);
					throw new BerthException("start", name, "the helper ended without a report (exit " + code
							+ "); see " + helperLog);
				}
			}
		} catch (IOException e) {
			p.destroyForcibly();
			throw new BerthException("start", name, "lost the helper: " + e.getMessage(), e);
		} catch (InterruptedException e) {
			p.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new BerthException("start", name, "interrupted while starting \"" + name + "\"");
		} catch (NumberFormatException e) {
			p.destroyForcibly();
			throw new BerthException("start", name, "the helper spoke a protocol this Berth does not know: "
					+ e.getMessage());
		} finally {
			if (!reader.isAlive()) {
				reader.interrupt();
			}
		}
	}

	private static int awaitEnd(Process p, BlockingQueue<String> lines, long deadline) throws InterruptedException {
		if (!p.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
			p.destroyForcibly();
			return -1;
		}
		return p.exitValue();
	}
}
