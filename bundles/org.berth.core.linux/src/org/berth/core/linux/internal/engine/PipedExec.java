package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.berth.core.ExecSession;
import org.berth.core.linux.internal.sys.Signals;
import org.berth.core.linux.internal.sys.Spawn;
import org.berth.core.linux.internal.sys.SysException;

/**
 * A command run by the helper with pipes for its three streams ({@link ExecSession}), started with
 * {@link Spawn#startStreamed} (posix_spawn: one exec, where the JDK's ProcessBuilder runs its jspawnhelper first). The
 * pipes end at the caller's process (the agent), never at a terminal of the host; the helper puts the command in a
 * session of its own.
 */
final class PipedExec implements ExecSession {

	private static final long TERM_MILLIS = 3000;

	private final Spawn helper;
	private final CompletableFuture<Integer> exit = new CompletableFuture<>();
	/** Whether the helper was reaped and its pidfd closed (then no signal may go through that descriptor). */
	private boolean ended;

	PipedExec(Spawn helper) {
		this.helper = helper;
		// a platform thread: the wait is a native poll on the helper's pidfd
		Thread.ofPlatform().daemon().name("berth-exec-wait-" + helper.pid()).start(() -> {
			int code;
			try {
				code = helper.waitFor(Duration.ofDays(365 * 100)).orElse(-1);
			} catch (SysException | RuntimeException e) {
				code = -1;
			}
			synchronized (this) { // signal() uses the pidfd only before this
				helper.close(); // the pidfd; the streams are the reader's to close
				ended = true;
			}
			exit.complete(code);
		});
	}

	@Override
	public OutputStream stdin() {
		return helper.streams().stdin();
	}

	@Override
	public InputStream stdout() {
		return helper.streams().stdout();
	}

	@Override
	public InputStream stderr() {
		return helper.streams().stderr();
	}

	@Override
	public CompletableFuture<Integer> onExit() {
		return exit;
	}

	@Override
	public void close() {
		if (!exit.isDone()) {
			signal(Signals.SIGTERM); // the helper forwards it to the command
			exit.copy().orTimeout(TERM_MILLIS, TimeUnit.MILLISECONDS).exceptionally(e -> {
				signal(Signals.SIGKILL);
				return -1;
			});
		}
		try {
			helper.streams().stdin().close();
		} catch (IOException e) {
			// the command no longer reads
		}
	}

	private synchronized void signal(int signal) {
		if (ended) {
			return;
		}
		try {
			helper.signal(signal);
		} catch (SysException e) {
			// it ended meanwhile
		}
	}
}
