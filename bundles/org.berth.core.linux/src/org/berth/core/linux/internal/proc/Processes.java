package org.berth.core.linux.internal.proc;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import org.berth.core.linux.internal.sys.SysException;

/**
 * What the engine asks of the host's processes: whether a recorded process still runs, its start time, a signal to
 * exactly that process, the wait for its end, and the {@code /proc} readers the engine uses. The real implementation
 * is {@link KernelProcesses}; tests substitute a fake that holds a table of pretend processes (as
 * {@code FixtureCgroupIo} does for cgroups), so the engine's decisions can be checked without root.
 */
public interface Processes extends AutoCloseable {

	/** The {@code /proc} the readers look at (a fixture tree in tests). */
	Path procRoot();

	/** The pid of this process, whose namespaces are the host's. */
	long selfPid();

	/** Whether this process runs as root (uid 0). */
	boolean runsAsRoot();

	/**
	 * The start time of {@code pid} from {@code /proc/PID/stat} (clock ticks after boot).
	 *
	 * @throws java.nio.file.NoSuchFileException when it does not exist
	 */
	long startTime(long pid) throws IOException;

	/**
	 * Whether {@code pid} runs and is the process that started at {@code startTicks}: a reused pid is not it, and a
	 * zombie has ended. False also when {@code /proc} cannot tell.
	 */
	boolean isAlive(long pid, long startTicks);

	/**
	 * Sends {@code signal} to exactly {@code pid} (through a pidfd: a process that later reuses the pid cannot get it).
	 *
	 * @return false when the process had exited by the time the signal went out
	 * @throws SysException when no handle on the process can be had, e.g. ESRCH when it is gone
	 */
	boolean signal(long pid, int signal) throws SysException;

	/**
	 * Waits until {@code pid} has ended, for at most {@code timeout} (zero: just looks). A process that is gone, or
	 * that cannot be looked at and does not run, counts as ended.
	 *
	 * @return whether it ended in time
	 */
	boolean awaitExit(long pid, Duration timeout);

	/** Runs {@code ended} once {@code pid} has ended (at once when it has); keep it short, e.g. hand work over. */
	void onExit(long pid, Runnable ended);

	/** The namespace inodes of {@code pid} ({@code /proc/PID/ns}). */
	NamespaceInodes namespaces(long pid) throws IOException;

	/** Stops watching for ends; callbacks not run by then are dropped. */
	@Override
	void close();
}
