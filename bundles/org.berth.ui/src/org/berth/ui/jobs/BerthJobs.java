package org.berth.ui.jobs;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;

/** Job families (so tests and shutdown can wait for Berth's jobs) and the one way to wait on an engine future. */
public final class BerthJobs {

	/** Every user job of the console: lifecycle operations, create, update, limits. */
	public static final Object FAMILY = BerthJobs.class.getName() + ".user";

	/** The periodic usage sampler of the Containers view (a system job). */
	public static final Object USAGE_FAMILY = BerthJobs.class.getName() + ".usage";

	/** How long a job waits for one engine operation before it gives up. */
	public static final Duration OPERATION_TIMEOUT = Duration.ofMinutes(2);

	private BerthJobs() {
	}

	/**
	 * Waits for an engine future inside a job, checking the monitor for cancellation. Returns its value, or throws
	 * the engine's own exception (unwrapped from the CompletionException).
	 */
	public static <T> T await(CompletableFuture<T> future, IProgressMonitor monitor) throws Exception {
		return await(future, monitor, OPERATION_TIMEOUT);
	}

	/** {@link #await(CompletableFuture, IProgressMonitor)} for an operation that may take longer than most. */
	public static <T> T await(CompletableFuture<T> future, IProgressMonitor monitor, Duration timeout)
			throws Exception {
		long end = System.nanoTime() + timeout.toNanos();
		while (true) {
			if (monitor != null && monitor.isCanceled()) {
				throw new OperationCanceledException();
			}
			try {
				return future.get(100, TimeUnit.MILLISECONDS);
			} catch (TimeoutException e) {
				if (System.nanoTime() > end) {
					throw new TimeoutException("the engine did not answer within " + timeout.toSeconds() + " s");
				}
			} catch (ExecutionException | CompletionException e) {
				Throwable cause = e.getCause() == null ? e : e.getCause();
				while (cause instanceof CompletionException && cause.getCause() != null) {
					cause = cause.getCause();
				}
				throw cause instanceof Exception ex ? ex : new RuntimeException(cause);
			} catch (CancellationException e) {
				throw new OperationCanceledException();
			}
		}
	}

	/** A sentence for an exception from the engine: its message (BerthException messages are sentences). */
	public static String message(Throwable e) {
		String m = e.getMessage();
		return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
	}
}
