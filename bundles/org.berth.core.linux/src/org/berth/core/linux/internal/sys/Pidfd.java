package org.berth.core.linux.internal.sys;

import java.io.Closeable;
import java.time.Duration;

/**
 * A pidfd (Linux 5.3+): a handle on one exact process. A signal sent through it cannot reach a process that
 * later reused the PID, and it becomes readable when the process exits, even when the process is not a child
 * of this JVM (a container found again after a console restart).
 * <p>
 * One owner: do not {@link #close()} it while another thread is in {@link #awaitExit(Duration)}.
 */
public final class Pidfd implements Closeable {
	private final int fd;
	private final long pid;
	private boolean closed;

	private Pidfd(int fd, long pid) {
		this.fd = fd;
		this.pid = pid;
	}

	/** @throws SysException e.g. {@code pidfd_open(4242): No such process} */
	public static Pidfd open(long pid) throws SysException {
		return new Pidfd(Sys.pidfdOpen(pid), pid);
	}

	public long pid() {
		return pid;
	}

	/**
	 * Sends {@code signal} to exactly this process.
	 *
	 * @return false when the process has already exited (ESRCH)
	 */
	public boolean sendSignal(int signal) throws SysException {
		try {
			Sys.pidfdSendSignal(descriptor(), signal, pid);
			return true;
		} catch (SysException e) {
			if (e.errno() == Errno.ESRCH) {
				return false;
			}
			throw e;
		}
	}

	/**
	 * Waits until the process exits (poll on the pidfd).
	 *
	 * @return true when it exited within {@code timeout}, false when the timeout passed first
	 */
	public boolean awaitExit(Duration timeout) throws SysException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			long leftMillis = Math.max(0, (deadline - System.nanoTime() + 999_999) / 1_000_000);
			short revents = Sys.poll(descriptor(), Sys.POLLIN, (int) Math.min(leftMillis, Integer.MAX_VALUE),
					"pidfd of " + pid);
			if (revents != 0) {
				return true;
			}
			if (System.nanoTime() - deadline >= 0) {
				return false;
			}
		}
	}

	/** True while the process has not exited (a zombie counts as exited). */
	public boolean isAlive() throws SysException {
		return !awaitExit(Duration.ZERO);
	}

	synchronized int descriptor() throws SysException {
		if (closed) {
			throw new SysException("use", "pidfd of " + pid, Errno.EBADF, "pidfd of " + pid + " is closed");
		}
		return fd;
	}

	@Override
	public synchronized void close() throws SysException {
		if (!closed) {
			closed = true;
			Sys.close(fd, "pidfd of " + pid);
		}
	}

	@Override
	public String toString() {
		return "Pidfd[pid=" + pid + "]";
	}
}
