package org.berth.core.linux.internal.testing;

import org.berth.core.linux.internal.sys.Errno;
import org.berth.core.linux.internal.sys.Signals;
import org.berth.core.linux.internal.sys.Sys;
import org.berth.core.linux.internal.sys.SysException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;

/** A process a test starts; {@link #close()} ends it by its PID (SIGKILL) and reaps it. */
public final class ChildProcess implements AutoCloseable {
	private final Process process;

	private ChildProcess(Process process) {
		this.process = process;
	}

	public static ChildProcess start(String... command) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.redirectError(ProcessBuilder.Redirect.DISCARD);
		return new ChildProcess(builder.start());
	}

	public long pid() {
		return process.pid();
	}

	public Process process() {
		return process;
	}

	/** Waits for the exit; fails when it takes longer than {@code seconds}. */
	public int awaitExit(long seconds) throws InterruptedIOException {
		boolean exited;
		try {
			exited = process.waitFor(seconds, TimeUnit.SECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("interrupted while waiting for process " + pid());
		}
		if (!exited) {
			throw new AssertionError("process " + pid() + " did not exit within " + seconds + " s");
		}
		return process.exitValue();
	}

	@Override
	public void close() throws IOException {
		if (process.isAlive()) {
			try {
				Sys.kill(process.pid(), Signals.SIGKILL);
			} catch (SysException e) {
				if (e.errno() != Errno.ESRCH) {
					throw e;
				}
			}
		}
		awaitExit(10);
	}
}
