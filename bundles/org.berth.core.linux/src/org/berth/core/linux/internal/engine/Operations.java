package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
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
 * lock from start to end, so operations on one container run one at a time, in this process and across processes:
 * {@link ContainerLock}), one lock for the engine's own lazily made parts, and the event thread that tells
 * listeners. Listeners are never told while a lock is held by the telling thread (events go through the event
 * thread).
 */
final class Operations {

	/**
	 * One container's lock: a {@link ReentrantLock} shared by every engine of this JVM on the same config root, and,
	 * taken by its outermost holder, a lock on the file {@code CONFIG_ROOT/.locks/NAME.lock} that holds against other
	 * processes (a CLI, another console): two {@code berth start c} at once run one after the other, and the second
	 * finds the container running. Where the file cannot be had (a normal user's engine on root's folders) only the
	 * in-process lock holds: such an engine cannot change a container anyway.
	 */
	static final class ContainerLock {
		private static final Map<Path, ContainerLock> ALL = new ConcurrentHashMap<>();
		private final ReentrantLock lock = new ReentrantLock();
		private final Path file;
		private FileChannel channel; // the outermost holder's, while it holds the lock

		private ContainerLock(Path file) {
			this.file = file;
		}

		static ContainerLock of(Path file) {
			return ALL.computeIfAbsent(file.toAbsolutePath().normalize(), ContainerLock::new);
		}

		/** The lock, and with {@code acrossProcesses} (by its outermost holder) the lock file's too. */
		void lock(boolean acrossProcesses) {
			lock.lock();
			if (lock.getHoldCount() > 1 || !acrossProcesses) {
				return;
			}
			try {
				Path dir = file.getParent();
				if (!Files.isDirectory(dir)) {
					Files2.privateDirectories(dir.getParent()); // 0711: containers' roots pass through it
					try {
						Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions
								.fromString("rwx------")));
					} catch (java.nio.file.FileAlreadyExistsException e) {
						// made by another process meanwhile
					}
				}
				channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
				channel.lock();
			} catch (IOException | OverlappingFileLockException e) {
				closeChannel();
				EngineLog.log(Level.DEBUG, "no lock across processes on " + file + ": " + e);
			}
		}

		void unlock() {
			if (lock.getHoldCount() == 1) {
				closeChannel(); // releases the file lock
			}
			lock.unlock();
		}

		private void closeChannel() {
			if (channel != null) {
				try {
					channel.close();
				} catch (IOException e) {
					EngineLog.log(Level.DEBUG, "closing the lock file " + file + ": " + e);
				}
				channel = null;
			}
		}
	}

	private final Path lockDir;
	private final ReentrantLock engineLock = new ReentrantLock();
	private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
	private final ExecutorService workers = Executors.newCachedThreadPool(daemon("berth-engine"));
	private final ExecutorService events = Executors.newSingleThreadExecutor(daemon("berth-engine-events"));

	/** @param lockDir where the containers' lock files are ({@code CONFIG_ROOT/.locks}) */
	Operations(Path lockDir) {
		this.lockDir = lockDir;
	}

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
			ContainerLock lock = lockOf(name);
			lock.lock(true);
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

	/**
	 * Runs {@code step} in the calling thread while holding {@code name}'s lock in this process (the engine's own
	 * bookkeeping: the end of a run, a recheck after the folder watch; operations take it across processes too).
	 */
	void locked(String name, Runnable step) {
		locked(name, false, step);
	}

	/** Runs {@code step} in the calling thread while holding {@code name}'s lock, across processes too. */
	void lockedAcrossProcesses(String name, Runnable step) {
		locked(name, true, step);
	}

	private void locked(String name, boolean acrossProcesses, Runnable step) {
		ContainerLock lock = lockOf(name);
		lock.lock(acrossProcesses);
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

	private ContainerLock lockOf(String name) {
		return ContainerLock.of(lockDir.resolve(name + ".lock"));
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
