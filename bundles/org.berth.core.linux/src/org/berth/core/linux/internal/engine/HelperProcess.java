package org.berth.core.linux.internal.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.berth.core.BerthException;
import org.berth.core.linux.internal.sys.EngineLog;
import org.berth.core.linux.internal.sys.Spawn;
import org.berth.core.linux.internal.sys.SysException;

/**
 * Runs {@code berth-helper start} and speaks its stdout protocol: {@code CHILD pid} (with {@code --sync} it waits
 * for {@code GO}), then {@code READY initpid monitorpid} or {@code ERROR sentence}. The helper then stays as the
 * container's monitor, detached from us.
 */
final class HelperProcess {
	/** Whitespace runs, compiled once (String.split compiles a pattern per call). */
	private static final Pattern WHITESPACE = Pattern.compile("\\s+");
	/** What a successful start gives back. */
	record Ready(long initPid, long monitorPid) {
	}

	/** The engine's part of a start, done while the helper works on its own. */
	interface Cloned {
		/**
		 * The container's process exists and runs no container code yet (host pid {@code childPid}, the helper is
		 * process {@code monitorPid}): record it, and do what needs this window (moving a veth in, with sync).
		 */
		void cloned(long childPid, long monitorPid) throws BerthException;
	}

	private HelperProcess() {
	}

	/**
	 * Spawns the helper straight from the JVM ({@link Spawn}: one exec, not two as through ProcessBuilder) and
	 * speaks its protocol. On any failure the helper is ended and reaped.
	 *
	 * @param sync whether the helper was given {@code --sync} (it then waits for GO after CHILD)
	 */
	static Ready start(String name, List<String> argv, Path helperLog, boolean sync, Cloned cloned, Duration timeout)
			throws BerthException {
		Spawn p;
		try {
			p = Spawn.start(argv, Spawn.Stdio.PIPE, Spawn.Stdio.PIPE, Spawn.Stdio.file(helperLog, true));
		} catch (SysException e) {
			throw new BerthException("start", name, "could not run the helper " + argv.get(0) + ": " + e.getMessage(),
					e);
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		boolean ready = false;
		try {
			while (true) {
				String line = p.readLine(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
				if (line == null) {
					int code = awaitEnd(p, deadline);
					throw new BerthException("start", name, "the helper ended without a report (exit " + code
							+ "); see " + helperLog);
				}
				if (line.startsWith("CHILD ")) {
					long child = Long.parseLong(line.substring(6).trim());
					if (sync) {
						answer(p, deadline, "GO", () -> cloned.cloned(child, p.pid()));
					} else {
						try {
							cloned.cloned(child, p.pid()); // the helper goes on meanwhile
						} catch (BerthException e) {
							// often the container's process failed its set-up meanwhile (its pid is gone): the
							// helper's ERROR line says why, better than what went wrong here because of it
							throw helperReason(p, deadline, name).orElse(e);
						}
					}
				} else if (line.startsWith("READY ")) {
					String[] f = WHITESPACE.split(line.trim());
					ready = true;
					return new Ready(Long.parseLong(f[1]), Long.parseLong(f[2]));
				} else if (line.startsWith("WARN ")) {
					EngineLog.log(System.Logger.Level.WARNING, "\"" + name + "\": " + line.substring(5).trim());
				} else if (line.startsWith("ERROR ")) {
					awaitEnd(p, deadline);
					throw new BerthException("start", name, "could not start \"" + name + "\": "
							+ line.substring(6).trim());
				}
			}
		} catch (SysException e) {
			if (e.errno() == Spawn.ETIMEDOUT) {
				throw new BerthException("start", name, "the helper did not report within " + timeout.toMillis()
						+ " ms; see " + helperLog);
			}
			throw new BerthException("start", name, "lost the helper: " + e.getMessage(), e);
		} catch (NumberFormatException e) {
			throw new BerthException("start", name, "the helper spoke a protocol this Berth does not know: "
					+ e.getMessage());
		} finally {
			if (!ready) {
				killQuietly(p);
			}
			p.close(); // the helper stays as the monitor; the engine reaps it when it ends
		}
	}

	/** The helper's ERROR line, when it sends one before READY or the end of its output. */
	private static java.util.Optional<BerthException> helperReason(Spawn p, long deadline, String name) {
		try {
			String line;
			while ((line = p.readLine(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) != null) {
				if (line.startsWith("ERROR ")) {
					return java.util.Optional.of(new BerthException("start", name, "could not start \"" + name + "\": "
							+ line.substring(6).trim()));
				}
				if (line.startsWith("READY ")) {
					break;
				}
			}
		} catch (SysException e) {
			// no reason to be had: the caller's own failure stands
		}
		return java.util.Optional.empty();
	}

	private interface Step {
		void run() throws BerthException;
	}

	/** Runs {@code step} while the helper waits, then lets it go on with {@code go}, or aborts it. */
	private static void answer(Spawn p, long deadline, String go, Step step) throws BerthException, SysException {
		try {
			step.run();
		} catch (BerthException | RuntimeException e) {
			p.write("ABORT\n");
			awaitEnd(p, deadline);
			throw e;
		}
		p.write(go + "\n");
	}

	private static void killQuietly(Spawn p) {
		try {
			p.kill();
			p.waitFor(Duration.ofSeconds(5));
		} catch (SysException e) {
			// it is gone already
			EngineLog.log(System.Logger.Level.DEBUG, "could not end the helper "
					+ p.pid() + ": " + e.getMessage());
		}
	}

	private static int awaitEnd(Spawn p, long deadline) throws SysException {
		return p.waitFor(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))).orElse(-1);
	}
}
