package org.berth.core.linux.internal.sys;

import com.sun.jna.Memory;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A pseudo-terminal master held by the JVM.
 * <p>
 * {@link #openIn(Path)} allocates it in a container's own devpts instance (through
 * {@code /proc/PID/root/dev/pts/ptmx}), so that {@code tty} inside the container prints {@code /dev/pts/N}.
 * The number comes from TIOCGPTN: {@code ptsname()} would stat the path in the JVM's mount namespace and
 * name the wrong device. The JVM never opens the slave (without O_NOCTTY a session-leader JVM would get it as
 * its controlling terminal); the helper opens {@link #hostSlavePath()} or the container opens
 * {@link #slavePath()}.
 * <p>
 * The master is non-blocking. Reads poll in short slices so that {@link #close()} from another thread ends a
 * blocked reader within {@value #POLL_SLICE_MILLIS} ms; close waits for calls in progress, so a descriptor
 * number is never used after it was closed (and possibly reused). A read returns end of stream once every
 * slave descriptor is closed (Linux then answers EIO); before the slave was first opened a read just waits,
 * so a reader may start before the helper opens the slave.
 */
public final class Pty implements Closeable {
	static final int POLL_SLICE_MILLIS = 100;

	private final int master;
	private final int number;
	private final Path devptsDir;
	private final String target;
	private final ReadWriteLock lock = new ReentrantReadWriteLock();
	private volatile boolean closed;
	private final InputStream input = new MasterInput();
	private final OutputStream output = new MasterOutput();

	/** The terminal size in character cells. */
	public record WindowSize(int columns, int rows) {
	}

	private Pty(int master, int number, Path devptsDir) {
		this.master = master;
		this.number = number;
		this.devptsDir = devptsDir;
		this.target = "pty master " + devptsDir.resolve(Integer.toString(number));
	}

	/**
	 * Opens a new master on the {@code ptmx} node of a devpts instance, e.g.
	 * {@code /proc/PID/root/dev/pts/ptmx}, unlocks it (TIOCSPTLCK) and reads its number (TIOCGPTN).
	 * Use the devpts's own {@code pts/ptmx}, not a {@code /dev/ptmx} device node.
	 */
	public static Pty openIn(Path ptmx) throws SysException {
		int fd = Sys.open(ptmx, Sys.O_RDWR | Sys.O_NOCTTY | Sys.O_CLOEXEC | Sys.O_NONBLOCK);
		try {
			Memory value = new Memory(4);
			value.setInt(0, 0);
			Sys.ioctl(fd, Sys.TIOCSPTLCK, "TIOCSPTLCK", value, ptmx.toString());
			Sys.ioctl(fd, Sys.TIOCGPTN, "TIOCGPTN", value, ptmx.toString());
			return new Pty(fd, value.getInt(0), ptmx.getParent());
		} catch (SysException e) {
			closeQuietly(fd, e);
			throw e;
		}
	}

	/** {@link #openIn(Path)} on {@code /proc/PID/root/dev/pts/ptmx}: a terminal in that process's devpts. */
	public static Pty openInContainer(long pid) throws SysException {
		return openIn(Path.of("/proc", Long.toString(pid), "root", "dev", "pts", "ptmx"));
	}

	/** The classic way on the host's /dev/ptmx (posix_openpt, grantpt, unlockpt): a host terminal. */
	public static Pty openHost() throws SysException {
		int fd = Sys.openHostPtyMaster(Sys.O_RDWR | Sys.O_NOCTTY | Sys.O_CLOEXEC | Sys.O_NONBLOCK);
		try {
			Memory value = new Memory(4);
			Sys.ioctl(fd, Sys.TIOCGPTN, "TIOCGPTN", value, "/dev/ptmx");
			return new Pty(fd, value.getInt(0), Path.of("/dev/pts"));
		} catch (SysException e) {
			closeQuietly(fd, e);
			throw e;
		}
	}

	/** The slave's number N in its devpts instance. */
	public int number() {
		return number;
	}

	/** The slave as seen inside the mount namespace of its devpts: {@code /dev/pts/N}. */
	public String slavePath() {
		return "/dev/pts/" + number;
	}

	/** The slave as reachable from this JVM: next to the ptmx node it was opened on. */
	public Path hostSlavePath() {
		return devptsDir.resolve(Integer.toString(number));
	}

	/** The slave reached through a process in the container: {@code /proc/PID/root/dev/pts/N}. */
	public Path hostSlavePath(long pid) {
		return Path.of("/proc", Long.toString(pid), "root", "dev", "pts", Integer.toString(number));
	}

	/** TIOCSWINSZ: the kernel sends SIGWINCH to the slave's foreground process group. */
	public void resize(int columns, int rows) throws SysException {
		if (columns < 1 || rows < 1 || columns > 0xffff || rows > 0xffff) {
			throw new IllegalArgumentException("a terminal size is 1..65535 columns and rows, not "
					+ columns + "x" + rows);
		}
		Memory winsize = new Memory(8);
		winsize.setShort(0, (short) rows);
		winsize.setShort(2, (short) columns);
		winsize.setShort(4, (short) 0);
		winsize.setShort(6, (short) 0);
		withDescriptor(() -> Sys.ioctl(master, Sys.TIOCSWINSZ, "TIOCSWINSZ", winsize, target));
	}

	/** TIOCGWINSZ. */
	public WindowSize size() throws SysException {
		Memory winsize = new Memory(8);
		withDescriptor(() -> Sys.ioctl(master, Sys.TIOCGWINSZ, "TIOCGWINSZ", winsize, target));
		return new WindowSize(winsize.getShort(2) & 0xffff, winsize.getShort(0) & 0xffff);
	}

	/** What the container writes to the terminal. Ends when all slave descriptors are closed or on close(). */
	public InputStream inputStream() {
		return input;
	}

	/** What the user types. */
	public OutputStream outputStream() {
		return output;
	}

	public boolean isClosed() {
		return closed;
	}

	/** Closes the master; waits (at most one poll slice) for reads and writes in progress. Idempotent. */
	@Override
	public void close() throws SysException {
		lock.writeLock().lock();
		try {
			if (!closed) {
				closed = true;
				Sys.close(master, target);
			}
		} finally {
			lock.writeLock().unlock();
		}
	}

	@Override
	public String toString() {
		return "Pty[" + hostSlavePath() + (closed ? ", closed" : "") + "]";
	}

	private interface SysAction {
		void run() throws SysException;
	}

	private void withDescriptor(SysAction action) throws SysException {
		lock.readLock().lock();
		try {
			ensureOpen();
			action.run();
		} finally {
			lock.readLock().unlock();
		}
	}

	private void ensureOpen() throws SysException {
		if (closed) {
			throw new SysException("use", target, Errno.EBADF, target + " is closed");
		}
	}

	private static void closeQuietly(int fd, SysException failure) {
		try {
			Sys.close(fd, "pty master");
		} catch (SysException e) {
			failure.addSuppressed(e);
		}
	}

	private final class MasterInput extends InputStream {
		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			int n = read(one, 0, 1);
			return n < 0 ? -1 : one[0] & 0xff;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			Objects.checkFromIndexSize(offset, length, buffer.length);
			if (length == 0) {
				return 0;
			}
			while (true) {
				lock.readLock().lock();
				try {
					if (closed) {
						return -1;
					}
					short revents = Sys.poll(master, Sys.POLLIN, POLL_SLICE_MILLIS, target);
					if (revents == 0) {
						continue;
					}
					if ((revents & Sys.POLLNVAL) != 0) {
						return -1;
					}
					int n = Sys.read(master, buffer, offset, length, target);
					return n == 0 ? -1 : n;
				} catch (SysException e) {
					if (e.errno() == Errno.EIO) {
						return -1; // every slave descriptor is closed: the session is over
					}
					if (e.errno() != Errno.EAGAIN) {
						throw e;
					}
				} finally {
					lock.readLock().unlock();
				}
			}
		}

		/** 1 when a read would not block (data or hang-up pending), else 0. */
		@Override
		public int available() throws IOException {
			lock.readLock().lock();
			try {
				return closed ? 0 : Sys.poll(master, Sys.POLLIN, 0, target) != 0 ? 1 : 0;
			} finally {
				lock.readLock().unlock();
			}
		}
	}

	private final class MasterOutput extends OutputStream {
		@Override
		public void write(int b) throws IOException {
			write(new byte[]{(byte) b}, 0, 1);
		}

		@Override
		public void write(byte[] buffer, int offset, int length) throws IOException {
			Objects.checkFromIndexSize(offset, length, buffer.length);
			int done = 0;
			while (done < length) {
				lock.readLock().lock();
				try {
					ensureOpen();
					done += Sys.write(master, buffer, offset + done, length - done, target);
				} catch (SysException e) {
					if (e.errno() != Errno.EAGAIN) {
						throw e;
					}
					Sys.poll(master, Sys.POLLOUT, POLL_SLICE_MILLIS, target);
				} finally {
					lock.readLock().unlock();
				}
			}
		}
	}
}
