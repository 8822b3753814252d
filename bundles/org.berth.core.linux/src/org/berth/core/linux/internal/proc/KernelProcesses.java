package org.berth.core.linux.internal.proc;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

import org.berth.core.linux.internal.sys.Errno;
import org.berth.core.linux.internal.sys.ExitWatcher;
import org.berth.core.linux.internal.sys.Pidfd;
import org.berth.core.linux.internal.sys.SysException;
import org.berth.core.linux.internal.sys.EngineLog;

/**
 * {@link Processes} on this host: {@code /proc} for what is read, pidfds for signals and waits, and one
 * {@link ExitWatcher} thread (made on first use) for the ends of many processes at once.
 */
public final class KernelProcesses implements Processes {

	private static final Path PROC = Path.of("/proc");

	private final String exitThreadName;
	private final ReentrantLock lock = new ReentrantLock();
	private ExitWatcher exitWatcher; // made on first use, under lock
	private boolean closed; // under lock

	/** @param exitThreadName the name of the thread that learns of ends */
	public KernelProcesses(String exitThreadName) {
		this.exitThreadName = exitThreadName;
	}

	@Override
	public Path procRoot() {
		return PROC;
	}

	@Override
	public long selfPid() {
		return ProcessHandle.current().pid();
	}

	@Override
	public boolean runsAsRoot() {
		try {
			return ProcStatus.read(PROC, selfPid()).field("Uid").map(uid -> uid.split("\\s+")[1].equals("0"))
					.orElse(false);
		} catch (IOException | RuntimeException e) {
			EngineLog.log(System.Logger.Level.DEBUG, "reading the uid of this process failed: " + e, e);
			return false;
		}
	}

	@Override
	public long startTime(long pid) throws IOException {
		return ProcStat.read(PROC, pid).startTimeTicks();
	}

	@Override
	public boolean isAlive(long pid, long startTicks) {
		try {
			return ProcStat.readIfAlive(PROC, pid).map(s -> s.startTimeTicks() == startTicks && !s.exited())
					.orElse(false);
		} catch (IOException e) {
			return false;
		}
	}

	@Override
	public boolean signal(long pid, int signal) throws SysException {
		try (Pidfd pidfd = Pidfd.open(pid)) {
			return pidfd.sendSignal(signal);
		}
	}

	/** A pidfd tells at once, also when the process is not our child (the JDK polls those with growing pauses). */
	@Override
	public boolean awaitExit(long pid, Duration timeout) {
		try (Pidfd pidfd = Pidfd.open(pid)) {
			return pidfd.awaitExit(timeout.isZero() ? Duration.ofMillis(1) : timeout);
		} catch (SysException e) {
			if (e.errno() == Errno.ESRCH) {
				return true; // already gone
			}
			return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
		}
	}

	@Override
	public void onExit(long pid, Runnable ended) {
		try {
			exitWatcher().watch(pid, ended);
		} catch (SysException e) {
			// cannot watch it: the JDK polls it instead
			EngineLog.log(System.Logger.Level.DEBUG, "watching the end of process " + pid + " through a pidfd failed, "
					+ "polling it instead: " + e.getMessage());
			ProcessHandle.of(pid).ifPresentOrElse(h -> h.onExit().thenRun(ended), ended);
		}
	}

	private ExitWatcher exitWatcher() throws SysException {
		lock.lock();
		try {
			if (exitWatcher == null) {
				if (closed) {
					throw new SysException("watch", exitThreadName, Errno.EBADF, exitThreadName + " is closed");
				}
				exitWatcher = new ExitWatcher(exitThreadName);
			}
			return exitWatcher;
		} finally {
			lock.unlock();
		}
	}

	@Override
	public NamespaceInodes namespaces(long pid) throws IOException {
		return NamespaceInodes.read(PROC, pid);
	}

	@Override
	public void close() {
		lock.lock();
		try {
			closed = true;
			if (exitWatcher != null) {
				exitWatcher.close();
			}
		} finally {
			lock.unlock();
		}
	}
}
