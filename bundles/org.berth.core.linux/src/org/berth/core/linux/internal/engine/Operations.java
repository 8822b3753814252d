package org.berth.core.linux.internal.engine;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.berth.core.BerthException;
import org.berth.core.EngineEvent;
import org.berth.core.EngineListener;
import org.berth.core.linux.internal.sys.EngineLog;

/**
 * The engine's operation queue: the worker threads, one lock per container (an operation holds its container's
 * lock from start to end, so operations on one container run one at a time), one lock for the engine's own lazily
 * made parts, and the event thread that tells listeners. Every lock of the engine is one of these
 * {@link ReentrantLock}s; listeners are never told while a lock is held by the telling thread (events go through
 * the event thread).
 */
final class Operations {

	private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
	private final ReentrantLock engineLock = new ReentrantLock();
	private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
	private final ExecutorService workers = Executors.newCachedThreadPool(daemon("berth-engine"));
	private final ExecutorService events = Executors.newSingleThreadExecutor(daemon("berth-engine-events"));

	/** Work on one container that may fail with a sentence for the user. */
	@FunctionalInterface
	interface Work<T> {
		T run() throws BerthException;
	}

	private static ThreadFactory daemon(String prefix) {
		AtomicInteger n = new AtomicInteger();
		return r -> {
			Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
			t.setDaemon(true);
			return t;
		};
	}

	/** Runs {@code work} on an engine thread while holding {@code name}'s lock. */
	<T> CompletableFuture<T> async(String name, Work<T> work) {
		CompletableFuture<T> result = new CompletableFuture<>();
		if (workers.isShutdown()) {
			result.completeExceptionally(new BerthException("engine", name, "the engine is closed"));
			return result;
		}
		workers.execute(() -> {
			ReentrantLock lock = lockOf(name);
			lock.lock();
			try {
				result.complete(work.run());
			} catch (BerthException e) {
				result.completeExceptionally(e);
			} catch (RuntimeException e) {
				result.completeExceptionally(new BerthException("engine", name, "internal error while working on \""
						+ name + "\": " + e, e));
			} finally {
				lock.unlock();
			}
		});
		return result;
	}

	/** Runs {@code work} on an engine thread without a container's lock (it only reads). */
	<T> CompletableFuture<T> unlocked(Work<T> work) {
		return CompletableFuture.supplyAsync(() -> {
			try {
				return work.run();
			} catch (BerthException e) {
				throw new CompletionException(e);
			}
		}, workers);
	}

	/** Runs {@code step} in the calling thread while holding {@code name}'s lock. */
	void locked(String name, Runnable step) {
		ReentrantLock lock = lockOf(name);
		lock.lock();
		try {
			step.run();
		} finally {
			lock.unlock();
		}
	}

	/** Runs {@code on} in the calling thread while holding the lock of the engine's lazily made parts. */
	<T> T engineWide(Supplier<T> on) {
		engineLock.lock();
		try {
			return on.get();
		} finally {
			engineLock.unlock();
		}
	}

	private ReentrantLock lockOf(String name) {
		return locks.computeIfAbsent(name, n -> new ReentrantLock());
	}

	/**
	 * Runs {@code task} on an engine thread, holding no lock.
	 *
	 * @return false when the engine is closed (the task is dropped)
	 */
	boolean execute(Runnable task) {
		try {
			workers.execute(task);
			return true;
		} catch (RejectedExecutionException e) {
			return false;
		}
	}

	boolean isClosed() {
		return workers.isShutdown();
	}

	void addListener(EngineListener listener) {
		listeners.add(listener);
	}

	void removeListener(EngineListener listener) {
		listeners.remove(listener);
	}

	/** Tells every listener on the event thread; one listener's failure does not stop the others. */
	void dispatch(EngineEvent event) {
		if (listeners.isEmpty() || events.isShutdown()) {
			return;
		}
		events.execute(() -> {
			for (EngineListener l : listeners) {
				try {
					l.changed(event);
				} catch (RuntimeException e) {
					EngineLog.log(Level.WARNING,
							"a listener failed on " + event.kind() + " of \"" + event.name() + "\": " + e,
							e);
				}
			}
		});
	}

	/** Ends the threads; work already queued finishes. */
	void close() {
		workers.shutdown();
		events.shutdown();
	}
}
