package org.berth.core.linux.internal.sys;

import java.io.Closeable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * One thread that learns of the end of many processes at once: their pidfds in one epoll set. A pidfd tells of
 * the end of any process, our child or not, the moment it exits (the JDK's {@code ProcessHandle.onExit} polls
 * processes that are not its children with growing pauses, and costs a thread per process). A child of this JVM
 * is reaped before its callback runs.
 */
public final class ExitWatcher implements Closeable {

	private static final int EPOLL_CLOEXEC = 02000000;
	private static final int EPOLL_CTL_ADD = 1;
	private static final int EPOLLIN = 0x1;
	/** struct epoll_event is packed on x86_64 (4 + 8 bytes), naturally aligned elsewhere (4 + 4 padding + 8). */
	private static final int EVENT_BYTES = Platform.isIntel() ? 12 : 16;
	private static final int DATA_OFFSET = Platform.isIntel() ? 4 : 8;
	private static final int EFD_CLOEXEC = 02000000;
	private static final int BATCH = 64;
	private record Watched(Pidfd pidfd, Runnable onExit) {
	}

	private final int epollFd;
	/** An eventfd in the epoll set: {@link #close()} writes to it, so the thread ends at once. */
	private final int wakeFd;
	private final Thread thread;
	private final Map<Integer, Watched> watched = new ConcurrentHashMap<>();
	private volatile boolean closed;

	/** @throws SysException when the kernel or the C library cannot give an epoll set */
	public ExitWatcher(String threadName) throws SysException {
		LinuxLibC c = LibCHolder.get();
		int fd = c.epoll_create1(EPOLL_CLOEXEC);
		if (fd < 0) {
			throw SysException.of("epoll_create1", threadName, Native.getLastError());
		}
		int wake = c.eventfd(0, EFD_CLOEXEC);
		if (wake < 0) {
			int errno = Native.getLastError();
			c.close(fd);
			throw SysException.of("eventfd", threadName, errno);
		}
		this.epollFd = fd;
		this.wakeFd = wake;
		Memory event = new Memory(EVENT_BYTES);
		event.clear();
		event.setInt(0, EPOLLIN);
		event.setInt(DATA_OFFSET, wake);
		if (c.epoll_ctl(fd, EPOLL_CTL_ADD, wake, event) != 0) {
			int errno = Native.getLastError();
			c.close(wake);
			c.close(fd);
			throw SysException.of("epoll_ctl", "wake-up of " + threadName, errno);
		}
		this.thread = Thread.ofPlatform().daemon().name(threadName).start(this::loop);
	}

	/**
	 * Runs {@code onExit} on the watcher's thread once {@code pid} has ended (at once when it has already); keep
	 * it short, e.g. hand the work to an executor.
	 */
	public void watch(long pid, Runnable onExit) throws SysException {
		Pidfd pidfd;
		try {
			pidfd = Pidfd.open(pid);
		} catch (SysException e) {
			if (e.errno() != Errno.ESRCH) {
				throw e;
			}
			onExit.run(); // gone already
			return;
		}
		int fd = pidfd.descriptor();
		watched.put(fd, new Watched(pidfd, onExit));
		Memory event = new Memory(EVENT_BYTES);
		event.clear();
		event.setInt(0, EPOLLIN);
		event.setInt(DATA_OFFSET, fd);
		if (LibCHolder.get().epoll_ctl(epollFd, EPOLL_CTL_ADD, fd, event) != 0) {
			int errno = Native.getLastError();
			watched.remove(fd);
			pidfd.close();
			throw SysException.of("epoll_ctl", "pidfd of " + pid, errno);
		}
	}

	private void loop() {
		Memory events = new Memory((long) EVENT_BYTES * BATCH);
		while (!closed) {
			int n;
			try {
				n = LibCHolder.get().epoll_wait(epollFd, events, BATCH, -1);
			} catch (SysException e) {
				return; // no library: nothing was ever added
			}
			for (int i = 0; i < n && !closed; i++) {
				int fd = events.getInt((long) i * EVENT_BYTES + DATA_OFFSET);
				if (fd != wakeFd) {
					ended(fd);
				}
			}
		}
		for (Watched w : watched.values()) {
			closeQuietly(w.pidfd());
		}
		watched.clear();
		try {
			LibCHolder.get().close(epollFd);
			LibCHolder.get().close(wakeFd);
		} catch (SysException e) {
			// not loaded: nothing to close
		}
	}

	private void ended(int fd) {
		Watched w = watched.remove(fd);
		if (w == null) {
			return;
		}
		long pid = w.pidfd().pid();
		closeQuietly(w.pidfd()); // closing also takes it out of the epoll set
		Spawn.reap(pid);
		try {
			w.onExit().run();
		} catch (RuntimeException e) {
			// one callback must not stop the others from being told
			EngineLog.log(System.Logger.Level.WARNING, "the callback on the end of process " + pid + " failed: " + e,
					e);
		}
	}

	private static void closeQuietly(Pidfd pidfd) {
		try {
			pidfd.close();
		} catch (SysException e) {
			// released anyway
			EngineLog.log(System.Logger.Level.DEBUG, "closing " + pidfd + " failed: " + e.getMessage());
		}
	}

	/**
	 * Stops watching and waits (briefly) for the thread to end, so that nothing of it outlives its owner, e.g. a
	 * JVM that is exiting; callbacks not run by then are dropped.
	 */
	@Override
	public void close() {
		if (closed) {
			return;
		}
		closed = true;
		try {
			LibCHolder.get().write(wakeFd, new byte[]{1, 0, 0, 0, 0, 0, 0, 0}, 8);
			if (Thread.currentThread() != thread) {
				thread.join(Duration.ofSeconds(1));
			}
		} catch (SysException e) {
			// not loaded: there is no thread
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}
