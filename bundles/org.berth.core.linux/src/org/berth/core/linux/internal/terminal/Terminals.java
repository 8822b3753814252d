package org.berth.core.linux.internal.terminal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.berth.core.BerthException;
import org.berth.core.TerminalRequest;
import org.berth.core.TerminalSession;

/** Opens terminal sessions for the engine: a shell on a PTY ({@link PtySession}) or the console ({@link ConsoleSession}). */
public final class Terminals {

	/** Opening a session and watching its end block: they run here, never on a caller's (UI) thread. */
	static final ExecutorService THREADS = Executors.newCachedThreadPool(r -> {
		Thread t = new Thread(r, "berth-terminal-" + Counter.NEXT.incrementAndGet());
		t.setDaemon(true);
		return t;
	});

	private static final class Counter {
		static final AtomicInteger NEXT = new AtomicInteger();
	}

	private Terminals() {
	}

	/** Opens {@code request} on {@code target}; completes once the command runs (or the console is open). */
	public static CompletableFuture<TerminalSession> open(TerminalTarget target, TerminalRequest request) {
		return CompletableFuture.supplyAsync(() -> {
			try {
				return request.console() ? ConsoleSession.open(target, request.columns(), request.rows())
						: PtySession.start(target, request);
			} catch (BerthException e) {
				throw new CompletionException(e);
			}
		}, THREADS);
	}

	/** The console log, read-only (see {@link org.berth.core.ContainerEngine#watchConsole}). */
	public static CompletableFuture<TerminalSession> watchConsole(TerminalTarget target) {
		return CompletableFuture.supplyAsync(() -> {
			try {
				return ConsoleSession.open(target);
			} catch (BerthException e) {
				throw new CompletionException(e);
			}
		}, THREADS);
	}
}
