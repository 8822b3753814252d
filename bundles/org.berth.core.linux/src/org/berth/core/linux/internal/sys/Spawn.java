package org.berth.core.linux.internal.sys;

import java.io.Closeable;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.StringArray;

/**
 * A child process started with {@code posix_spawn(3)} straight from the JVM. The JDK's {@code ProcessBuilder}
 * starts its {@code jspawnhelper} (a dynamically linked program) and that one execs the command: two execs per
 * start, measured at 5–9 ms in a console's JVM on a small VM, against about 1 ms here (glibc's posix_spawn is a
 * {@code clone(CLONE_VM|CLONE_VFORK)} and one exec, safe in a multi-threaded process).
 * <p>
 * Each standard stream of the child is {@code /dev/null}, a file or a pipe to us (stderr also the same as
 * stdout); every other descriptor is closed in the child. The child is ours to reap: {@link #waitFor(Duration)}
 * does it, and {@link #reap(long)} does it for a child that was left to run (a container's monitor).
 */
public final class Spawn implements Closeable {

	/** What one standard stream of the child is connected to. */
	public sealed interface Stdio {
		Stdio NULL = new Null();
		Stdio PIPE = new Pipe();
		/** For stderr only: the same as stdout (e.g. both into one pipe). */
		Stdio STDOUT = new SameAsStdout();

		/** Standard input read from {@code file}. */
		static Stdio from(Path file) {
			return new FromFile(file);
		}

		/** Writes to {@code file}, created if missing (mode 0644), appended to or truncated. */
		static Stdio file(Path file, boolean append) {
			return new ToFile(file, append);
		}
	}

	private record Null() implements Stdio {
	}

	private record Pipe() implements Stdio {
	}

	private record SameAsStdout() implements Stdio {
	}

	private record FromFile(Path file) implements Stdio {
	}

	private record ToFile(Path file, boolean append) implements Stdio {
	}

	private static final int O_CREAT = 0100;
	private static final int O_APPEND = 02000;
	private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
	private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
	private static final int P_PID = 1;
	private static final int WEXITED = 4;
	private static final int WNOHANG = 1;
	private static final int CLD_EXITED = 1;
	/** Generous for glibc's x86_64/aarch64 types: file actions 80 bytes, attributes 336, sigset 128. */
	private static final int OPAQUE_BYTES = 512;
	private static final String PROC_FD = "/proc/self/fd/";

	private final long pid;
	private final Pidfd pidfd;
	private final String name;
	private int stdinFd;
	private int stdoutFd;
	private final byte[] lineBuffer = new byte[4096];
	private Streams streams;
	private int buffered;
	private Integer exitCode;

	private Spawn(long pid, Pidfd pidfd, String name, int stdinFd, int stdoutFd) {
		this.pid = pid;
		this.pidfd = pidfd;
		this.name = name;
		this.stdinFd = stdinFd;
		this.stdoutFd = stdoutFd;
	}

	/**
	 * Starts {@code argv} (its first element a path; no PATH search) with the JVM's environment.
	 *
	 * @throws SysException e.g. {@code spawn(/x/berth-helper): No such file or directory}
	 */
	public static Spawn start(List<String> argv, Stdio stdin, Stdio stdout, Stdio stderr) throws SysException {
		if (stderr == Stdio.PIPE || stdin == Stdio.STDOUT || stdout == Stdio.STDOUT) {
			throw new IllegalArgumentException("stderr is a file, /dev/null, inherited or the same as stdout");
		}
		return start(argv, stdin, stdout, stderr, false);
	}

	/** The three standard streams of a child of {@link #startStreamed}, as Java streams. */
	public record Streams(OutputStream stdin, InputStream stdout, InputStream stderr) {
	}

	/**
	 * Starts {@code argv} as {@link #start} does, with a pipe for each of its three standard streams, which
	 * {@link #streams()} gives as Java streams: descriptors of their own, opened through {@code /proc/self/fd} while
	 * this process still holds the child's ends of the pipes (so those opens, which follow a FIFO's rules, find the
	 * other end open and do not wait), closed with the streams. {@link #readLine} and {@link #write} are not for it.
	 */
	public static Spawn startStreamed(List<String> argv) throws SysException {
		return start(argv, Stdio.PIPE, Stdio.PIPE, Stdio.PIPE, true);
	}

	/** The child's streams; null unless it was started by {@link #startStreamed}. */
	public Streams streams() {
		return streams;
	}

	private static Spawn start(List<String> argv, Stdio stdin, Stdio stdout, Stdio stderr, boolean streamed)
			throws SysException {
		LinuxLibC c = LibCHolder.get();
		String program = argv.get(0);
		int[] in = stdin == Stdio.PIPE ? pipe(c, program) : null;
		int[] out = stdout == Stdio.PIPE ? pipe(c, program) : null;
		int[] err = stderr == Stdio.PIPE ? pipe(c, program) : null;
		Memory actions = new Memory(OPAQUE_BYTES);
		Memory attributes = new Memory(OPAQUE_BYTES);
		Memory sigset = new Memory(OPAQUE_BYTES);
		check(c.posix_spawn_file_actions_init(actions), "init file actions for", program);
		try {
			check(c.posix_spawnattr_init(attributes), "init attributes for", program);
			try {
				connect(c, actions, 0, stdin, in == null ? -1 : in[0], program);
				connect(c, actions, 1, stdout, out == null ? -1 : out[1], program);
				connect(c, actions, 2, stderr, err == null ? -1 : err[1], program);
				check(c.posix_spawn_file_actions_addclosefrom_np(actions, 3), "close descriptors for", program);
				// the child starts with no signal blocked and every handler at its default
				c.sigemptyset(sigset);
				check(c.posix_spawnattr_setsigmask(attributes, sigset), "set the signal mask of", program);
				c.sigfillset(sigset);
				check(c.posix_spawnattr_setsigdefault(attributes, sigset), "reset the signals of", program);
				check(c.posix_spawnattr_setflags(attributes, (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)),
						"set the flags of", program);
				int[] pid = new int[1];
				check(c.posix_spawn(pid, program, actions, attributes, new StringArray(argv.toArray(String[]::new)),
						new StringArray(environment())), "spawn", program);
				Streams streams = null;
				if (streamed) {
					try {
						streams = new Streams(new FileOutputStream(PROC_FD + in[1]),
								new FileInputStream(PROC_FD + out[0]), new FileInputStream(PROC_FD + err[0]));
					} catch (IOException e) {
						c.kill(pid[0], Signals.SIGKILL);
						reapNow(pid[0]);
						throw new SysException("open", "the pipes of " + program, Errno.EIO,
								"could not open the pipes of " + program + ": " + e.getMessage());
					}
				}
				closeQuietly(c, in == null ? -1 : in[0]);
				closeQuietly(c, out == null ? -1 : out[1]);
				closeQuietly(c, err == null ? -1 : err[1]);
				if (streamed) { // the streams have descriptors of their own
					closeQuietly(c, in[1]);
					closeQuietly(c, out[0]);
					closeQuietly(c, err[0]);
				}
				Pidfd pidfd = Pidfd.open(pid[0]);
				Spawn spawn = new Spawn(pid[0], pidfd, Path.of(program).getFileName().toString(),
						in == null || streamed ? -1 : in[1], out == null || streamed ? -1 : out[0]);
				spawn.streams = streams;
				return spawn;
			} catch (SysException | RuntimeException e) {
				for (int[] p : new int[][]{in, out, err}) {
					if (p != null) {
						closeQuietly(c, p[0]);
						closeQuietly(c, p[1]);
					}
				}
				throw e;
			} finally {
				c.posix_spawnattr_destroy(attributes);
			}
		} finally {
			c.posix_spawn_file_actions_destroy(actions);
		}
	}

	private static void connect(LinuxLibC c, Memory actions, int fd, Stdio stdio, int pipeEnd, String program)
			throws SysException {
		switch (stdio) {
			case Null n -> check(c.posix_spawn_file_actions_addopen(actions, fd, "/dev/null",
					fd == 0 ? Sys.O_RDONLY : Sys.O_WRONLY, 0), "redirect to /dev/null for", program);
			case Pipe p -> check(c.posix_spawn_file_actions_adddup2(actions, pipeEnd, fd), "connect a pipe to",
					program);
			case FromFile f -> check(c.posix_spawn_file_actions_addopen(actions, fd, f.file().toString(),
					Sys.O_RDONLY, 0), "read from " + f.file() + " for", program);
			case ToFile f -> check(c.posix_spawn_file_actions_addopen(actions, fd, f.file().toString(),
					Sys.O_WRONLY | O_CREAT | (f.append() ? O_APPEND : Sys.O_TRUNC), 0644),
					"redirect to " + f.file() + " for", program);
			case SameAsStdout o -> check(c.posix_spawn_file_actions_adddup2(actions, 1, 2), "connect stderr to stdout"
					+ " for", program);
		}
	}

	/** The JVM's environment as {@code KEY=VALUE}: it cannot change while the JVM runs, so it is made once. */
	private static String[] environment() {
		return Environment.ENTRIES.clone();
	}

	private static final class Environment {
		static final String[] ENTRIES = System.getenv().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
				.toArray(String[]::new);
	}

	private static int[] pipe(LinuxLibC c, String program) throws SysException {
		int[] fds = new int[2];
		if (c.pipe2(fds, Sys.O_CLOEXEC) != 0) {
			throw SysException.of("pipe", "for " + program, Native.getLastError());
		}
		return fds;
	}

	private static void check(int error, String operation, String target) throws SysException {
		if (error != 0) {
			throw SysException.of(operation, target, error);
		}
	}

	private static void closeQuietly(LinuxLibC c, int fd) {
		if (fd >= 0) {
			c.close(fd);
		}
	}

	public long pid() {
		return pid;
	}

	/**
	 * Reads one line (without its end) from the child's stdout pipe.
	 *
	 * @return the line; {@code null} at end of file (the child closed its stdout, e.g. by ending)
	 * @throws SysException with errno {@code ETIMEDOUT} (110) when no whole line came within {@code timeout}
	 */
	public String readLine(Duration timeout) throws SysException {
		if (stdoutFd < 0) {
			throw new IllegalStateException("stdout of " + name + " is not a pipe");
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			for (int i = 0; i < buffered; i++) {
				if (lineBuffer[i] == '\n') {
					String line = new String(lineBuffer, 0, i, StandardCharsets.UTF_8);
					System.arraycopy(lineBuffer, i + 1, lineBuffer, 0, buffered - i - 1);
					buffered -= i + 1;
					return line;
				}
			}
			if (buffered == lineBuffer.length) {
				throw new SysException("read", "stdout of " + name, Errno.EINVAL, name + " wrote a line longer than "
						+ lineBuffer.length + " bytes");
			}
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				throw new SysException("read", "stdout of " + name, ETIMEDOUT, name + " did not answer within "
						+ timeout.toMillis() + " ms");
			}
			short revents = Sys.poll(stdoutFd, Sys.POLLIN, (int) Math.max(1, (left + 999_999) / 1_000_000),
					"stdout of " + name);
			if (revents == 0) {
				continue;
			}
			byte[] chunk = new byte[lineBuffer.length - buffered];
			int n = Sys.read(stdoutFd, chunk, 0, chunk.length, "stdout of " + name);
			if (n == 0) {
				return null;
			}
			System.arraycopy(chunk, 0, lineBuffer, buffered, n);
			buffered += n;
		}
	}

	/** errno of a timeout in {@link #readLine(Duration)}. */
	public static final int ETIMEDOUT = 110;

	/** Writes {@code text} to the child's stdin pipe. */
	public void write(String text) throws SysException {
		if (stdinFd < 0) {
			throw new IllegalStateException("stdin of " + name + " is not a pipe");
		}
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		for (int done = 0; done < bytes.length;) {
			done += Sys.write(stdinFd, bytes, done, bytes.length - done, "stdin of " + name);
		}
	}

	/**
	 * Waits until the child ends and reaps it.
	 *
	 * @return its exit code, or 128 + the signal that ended it (as a shell and {@link Process#exitValue()} say);
	 *         empty when it still runs after {@code timeout}
	 */
	public synchronized OptionalInt waitFor(Duration timeout) throws SysException {
		if (exitCode == null) {
			if (!pidfd.awaitExit(timeout)) {
				return OptionalInt.empty();
			}
			exitCode = reapNow(pid);
		}
		return OptionalInt.of(exitCode);
	}

	/** SIGKILLs the child unless it has ended already. */
	public void kill() throws SysException {
		signal(Signals.SIGKILL);
	}

	/**
	 * Sends {@code signal} to the child, also while another thread waits for it in {@link #waitFor(Duration)}.
	 *
	 * @return false when it has ended already
	 */
	public boolean signal(int signal) throws SysException {
		return pidfd.sendSignal(signal);
	}

	/** Closes our ends of the pipes and the pidfd; the child runs on (reap it with {@link #reap(long)}). */
	@Override
	public void close() {
		LinuxLibC c;
		try {
			c = LibCHolder.get();
		} catch (SysException e) {
			return; // nothing was opened without the library
		}
		closeQuietly(c, stdinFd);
		closeQuietly(c, stdoutFd);
		stdinFd = -1;
		stdoutFd = -1;
		try {
			pidfd.close();
		} catch (SysException e) {
			// nothing left to release
		}
	}

	/**
	 * Reaps {@code pid} if it is an ended child of this JVM; does nothing for a child that still runs, one that is
	 * not ours (a monitor found again after a restart) or one already reaped.
	 */
	public static void reap(long pid) {
		try {
			Memory info = new Memory(128);
			info.clear();
			LibCHolder.get().waitid(P_PID, (int) pid, info, WEXITED | WNOHANG);
		} catch (SysException e) {
			// no library, no child to reap
		}
	}

	private static int reapNow(long pid) throws SysException {
		LinuxLibC c = LibCHolder.get();
		Memory info = new Memory(128);
		info.clear();
		while (c.waitid(P_PID, (int) pid, info, WEXITED) != 0) {
			int errno = Native.getLastError();
			if (errno != Errno.EINTR) {
				throw SysException.of("waitid", Long.toString(pid), errno);
			}
		}
		// siginfo_t: si_signo, si_errno, si_code (int each), padding, si_pid, si_uid, si_status
		int code = info.getInt(8);
		int status = info.getInt(24);
		return code == CLD_EXITED ? status : 128 + status;
	}
}
