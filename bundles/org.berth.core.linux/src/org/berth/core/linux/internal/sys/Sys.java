package org.berth.core.linux.internal.sys;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Every native call the engine makes, each wrapped once: a failure becomes a {@link SysException} with the
 * operation, its target, errno and {@code strerror}. EINTR is retried here, so callers never see it.
 * Linux LP64 only.
 */
public final class Sys {

	public static final int O_RDONLY = 0;
	public static final int O_WRONLY = 01;
	public static final int O_RDWR = 02;
	public static final int O_NOCTTY = 0400;
	public static final int O_TRUNC = 01000;
	public static final int O_NONBLOCK = 04000;
	public static final int O_CLOEXEC = 02000000;

	public static final short POLLIN = 0x1;
	public static final short POLLOUT = 0x4;
	public static final short POLLERR = 0x8;
	public static final short POLLHUP = 0x10;
	public static final short POLLNVAL = 0x20;

	static final long SYS_PIDFD_SEND_SIGNAL = 424;
	static final long SYS_PIDFD_OPEN = 434;
	static final long SYS_OPENAT2 = 437;

	public static final int O_CREAT = 0100;
	public static final int O_EXCL = 0200;
	public static final int O_DIRECTORY = 0200000;
	public static final int O_NOFOLLOW = 0400000;
	public static final int O_PATH = 010000000;
	/** openat2's resolve flags. */
	public static final long RESOLVE_NO_MAGICLINKS = 0x02;
	public static final long RESOLVE_IN_ROOT = 0x10;

	/** glibc's {@code struct termios} on Linux is 60 bytes; a buffer this size is room enough. */
	static final int TERMIOS_SIZE = 64;
	static final int TCSANOW = 0;

	static final long TIOCGWINSZ = 0x5413;
	static final long TIOCSWINSZ = 0x5414;
	static final long TIOCGPTN = 0x80045430L;
	static final long TIOCSPTLCK = 0x40045431L;

	private static volatile Map<String, Integer> errnoByText;

	private Sys() {
	}

	// ---------------------------------------------------------------------------------------- processes

	/** kill(2). ESRCH (process gone) is an exception like any other; test {@link SysException#errno()}. */
	public static void kill(long pid, int signal) throws SysException {
		LinuxLibC c = LibCHolder.get();
		if (c.kill(checkPid(pid), signal) != 0) {
			throw SysException.of("kill", pid + ", " + Signals.name(signal), Native.getLastError());
		}
	}

	/** pidfd_open(2); prefer {@link Pidfd#open(long)}. */
	static int pidfdOpen(long pid) throws SysException {
		LinuxLibC c = LibCHolder.get();
		long fd = c.syscall(SYS_PIDFD_OPEN, checkPid(pid), 0, 0, 0);
		if (fd < 0) {
			throw SysException.of("pidfd_open", Long.toString(pid), Native.getLastError());
		}
		return (int) fd;
	}

	/** pidfd_send_signal(2). */
	static void pidfdSendSignal(int pidfd, int signal, long pid) throws SysException {
		LinuxLibC c = LibCHolder.get();
		if (c.syscall(SYS_PIDFD_SEND_SIGNAL, pidfd, signal, 0, 0) != 0) {
			throw SysException.of("pidfd_send_signal", pid + ", " + Signals.name(signal), Native.getLastError());
		}
	}

	// ---------------------------------------------------------------------------------------- file descriptors

	public static int open(Path path, int flags) throws SysException {
		LinuxLibC c = LibCHolder.get();
		while (true) {
			int fd = c.open(path.toString(), flags);
			if (fd >= 0) {
				return fd;
			}
			int errno = Native.getLastError();
			if (errno != Errno.EINTR) {
				throw SysException.of("open", path.toString(), errno);
			}
		}
	}

	/**
	 * openat2(2): opens {@code path} relative to {@code dirFd} with {@code resolve} flags, e.g.
	 * {@link #RESOLVE_IN_ROOT}: every absolute path, "..", and symbolic link stays below {@code dirFd}.
	 */
	public static int openat2(int dirFd, String path, long flags, long mode, long resolve, String target)
			throws SysException {
		LinuxLibC c = LibCHolder.get();
		try (Memory how = new Memory(24); Memory name = new Memory(path.getBytes(StandardCharsets.UTF_8).length + 1)) {
			how.setLong(0, flags);
			how.setLong(8, mode);
			how.setLong(16, resolve);
			name.setString(0, path, StandardCharsets.UTF_8.name());
			while (true) {
				long fd = c.syscall(SYS_OPENAT2, dirFd, name, how, 24);
				if (fd >= 0) {
					return (int) fd;
				}
				int errno = Native.getLastError();
				if (errno != Errno.EINTR && errno != Errno.EAGAIN) {
					throw SysException.of("openat2", target, errno);
				}
			}
		}
	}

	/** mkdirat(2) of one name in an open directory. */
	public static void mkdirat(int dirFd, String name, int mode, String target) throws SysException {
		if (LibCHolder.get().mkdirat(dirFd, name, mode) != 0) {
			throw SysException.of("mkdir", target, Native.getLastError());
		}
	}

	/** symlinkat(2) of one name in an open directory. */
	public static void symlinkat(String linkTarget, int dirFd, String name, String target) throws SysException {
		if (LibCHolder.get().symlinkat(linkTarget, dirFd, name) != 0) {
			throw SysException.of("symlink", target, Native.getLastError());
		}
	}

	public static void fchmod(int fd, int mode, String target) throws SysException {
		if (LibCHolder.get().fchmod(fd, mode) != 0) {
			throw SysException.of("chmod", target, Native.getLastError());
		}
	}

	public static void fchown(int fd, long uid, long gid, String target) throws SysException {
		if (LibCHolder.get().fchown(fd, (int) uid, (int) gid) != 0) {
			throw SysException.of("chown", target, Native.getLastError());
		}
	}

	/**
	 * The extended attributes of {@code path} (all namespaces, the final symbolic link not followed), by name, in
	 * name order; empty where the file system has none.
	 */
	public static java.util.SortedMap<String, byte[]> xattrs(Path path) throws SysException {
		LinuxLibC c = LibCHolder.get();
		String p = path.toString();
		java.util.SortedMap<String, byte[]> all = new java.util.TreeMap<>();
		byte[] names = null;
		for (int attempt = 0; names == null; attempt++) {
			long size = c.llistxattr(p, null, 0);
			if (size < 0) {
				int errno = Native.getLastError();
				if (errno == EOPNOTSUPP_XATTR) {
					return all;
				}
				throw SysException.of("listxattr", p, errno);
			}
			byte[] buffer = new byte[(int) size];
			long n = size == 0 ? 0 : c.llistxattr(p, buffer, size);
			if (n >= 0) {
				names = java.util.Arrays.copyOf(buffer, (int) n);
			} else if (Native.getLastError() != ERANGE || attempt > 8) { // ERANGE: one was added meanwhile
				throw SysException.of("listxattr", p, Native.getLastError());
			}
		}
		int start = 0;
		for (int i = 0; i < names.length; i++) {
			if (names[i] == 0) {
				String name = new String(names, start, i - start, StandardCharsets.UTF_8);
				start = i + 1;
				long size = c.lgetxattr(p, name, null, 0);
				if (size < 0) {
					throw SysException.of("getxattr", p + " " + name, Native.getLastError());
				}
				byte[] value = new byte[(int) size];
				long got = size == 0 ? 0 : c.lgetxattr(p, name, value, size);
				if (got < 0) {
					throw SysException.of("getxattr", p + " " + name, Native.getLastError());
				}
				all.put(name, java.util.Arrays.copyOf(value, (int) got));
			}
		}
		return all;
	}

	private static final int ERANGE = 34;
	private static final int EOPNOTSUPP_XATTR = 95;

	/** close(2). Not retried on EINTR: on Linux the descriptor is released anyway. */
	public static void close(int fd, String target) throws SysException {
		if (LibCHolder.get().close(fd) != 0) {
			int errno = Native.getLastError();
			if (errno != Errno.EINTR) {
				throw SysException.of("close", target, errno);
			}
		}
	}

	/** read(2) into {@code buffer[offset..offset+length)}; 0 means end of file. */
	public static int read(int fd, byte[] buffer, int offset, int length, String target) throws SysException {
		LinuxLibC c = LibCHolder.get();
		byte[] direct = offset == 0 ? buffer : new byte[length];
		while (true) {
			long n = c.read(fd, direct, length);
			if (n >= 0) {
				if (direct != buffer) {
					System.arraycopy(direct, 0, buffer, offset, (int) n);
				}
				return (int) n;
			}
			int errno = Native.getLastError();
			if (errno != Errno.EINTR) {
				throw SysException.of("read", target, errno);
			}
		}
	}

	/** write(2) of {@code buffer[offset..offset+length)}; returns how many bytes the kernel took. */
	public static int write(int fd, byte[] buffer, int offset, int length, String target) throws SysException {
		LinuxLibC c = LibCHolder.get();
		byte[] direct = buffer;
		if (offset != 0) {
			direct = new byte[length];
			System.arraycopy(buffer, offset, direct, 0, length);
		}
		while (true) {
			long n = c.write(fd, direct, length);
			if (n >= 0) {
				return (int) n;
			}
			int errno = Native.getLastError();
			if (errno != Errno.EINTR) {
				throw SysException.of("write", target, errno);
			}
		}
	}

	/**
	 * poll(2) on one descriptor.
	 *
	 * @return the returned events ({@code revents}), 0 when the timeout passed (or a signal interrupted it)
	 */
	public static short poll(int fd, short events, int timeoutMillis, String target) throws SysException {
		LinuxLibC c = LibCHolder.get();
		Memory pollfd = new Memory(8);
		pollfd.setInt(0, fd);
		pollfd.setShort(4, events);
		pollfd.setShort(6, (short) 0);
		int n = c.poll(pollfd, 1, timeoutMillis);
		if (n < 0) {
			int errno = Native.getLastError();
			if (errno == Errno.EINTR) {
				return 0;
			}
			throw SysException.of("poll", target, errno);
		}
		return n == 0 ? 0 : pollfd.getShort(6);
	}

	static void ioctl(int fd, long request, String requestName, Pointer argument, String target) throws SysException {
		LinuxLibC c = LibCHolder.get();
		while (c.ioctl(fd, request, argument) != 0) {
			int errno = Native.getLastError();
			if (errno != Errno.EINTR) {
				throw SysException.of("ioctl " + requestName, target, errno);
			}
		}
	}

	/** The size of the terminal on {@code fd}: {columns, rows}. */
	public static int[] windowSize(int fd) throws SysException {
		Memory winsize = new Memory(8);
		ioctl(fd, TIOCGWINSZ, "TIOCGWINSZ", winsize, "descriptor " + fd);
		return new int[]{winsize.getShort(2) & 0xffff, winsize.getShort(0) & 0xffff};
	}

	/** tcgetattr(3): the terminal settings of {@code fd}, to give back to {@link #tcsetattr}. */
	public static byte[] tcgetattr(int fd) throws SysException {
		byte[] termios = new byte[TERMIOS_SIZE];
		if (LibCHolder.get().tcgetattr(fd, termios) != 0) {
			throw SysException.of("tcgetattr", "descriptor " + fd, Native.getLastError());
		}
		return termios;
	}

	/** tcsetattr(3) with TCSANOW. */
	public static void tcsetattr(int fd, byte[] termios) throws SysException {
		LinuxLibC c = LibCHolder.get();
		while (c.tcsetattr(fd, TCSANOW, termios) != 0) {
			int errno = Native.getLastError();
			if (errno != Errno.EINTR) {
				throw SysException.of("tcsetattr", "descriptor " + fd, errno);
			}
		}
	}

	/** cfmakeraw(3) on a copy of {@code termios}: input byte by byte, no echo, no signal keys, no output processing. */
	public static byte[] raw(byte[] termios) throws SysException {
		byte[] raw = termios.clone();
		LibCHolder.get().cfmakeraw(raw);
		return raw;
	}

	/** posix_openpt(3) + grantpt(3) + unlockpt(3) on the host's /dev/ptmx; the descriptor is closed on failure. */
	static int openHostPtyMaster(int flags) throws SysException {
		LinuxLibC c = LibCHolder.get();
		int fd = c.posix_openpt(flags);
		if (fd < 0) {
			throw SysException.of("posix_openpt", "/dev/ptmx", Native.getLastError());
		}
		String step = null;
		if (c.grantpt(fd) != 0) {
			step = "grantpt";
		} else if (c.unlockpt(fd) != 0) {
			step = "unlockpt";
		}
		if (step != null) {
			SysException failure = SysException.of(step, "/dev/ptmx", Native.getLastError());
			c.close(fd);
			throw failure;
		}
		return fd;
	}

	// ---------------------------------------------------------------------------------------- files

	/**
	 * Writes {@code value} to a kernel control file (cgroup, /proc) with a single write(2) after
	 * open(O_WRONLY|O_TRUNC), so the kernel's errno survives (java.nio keeps only its text).
	 */
	public static void writeFile(Path file, String value) throws SysException {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		int fd = open(file, O_WRONLY | O_TRUNC | O_CLOEXEC);
		try {
			int n;
			try {
				n = write(fd, bytes, 0, bytes.length, file.toString());
			} catch (SysException e) {
				throw new SysException("write", file.toString(), e.errno(),
						"write(\"" + value + "\" to " + file + "): " + SysException.describe(e.errno()), e);
			}
			if (n != bytes.length) {
				throw new SysException("write", file.toString(), Errno.EIO,
						"write(\"" + value + "\" to " + file + "): the kernel took " + n + " of " + bytes.length
								+ " bytes");
			}
		} finally {
			LibCHolder.get().close(fd);
		}
	}

	/**
	 * Turns a java.nio failure on a kernel file (mkdir/rmdir/read of a cgroup or /proc path) into a
	 * {@link SysException}, recovering errno from the exception type or from the {@code strerror} text.
	 */
	public static SysException translate(String operation, Path target, IOException e) {
		if (e instanceof SysException sys) {
			return sys;
		}
		int errno = errnoOf(e);
		String message = errno != 0
				? operation + "(" + target + "): " + SysException.describe(errno)
				: operation + "(" + target + "): " + e.getMessage();
		return new SysException(operation, target.toString(), errno, message, e);
	}

	/** The errno behind a java.nio exception, or 0 when it cannot be told. */
	public static int errnoOf(IOException e) {
		if (e instanceof SysException sys) {
			return sys.errno();
		}
		if (e instanceof NoSuchFileException) {
			return Errno.ENOENT;
		}
		if (e instanceof FileAlreadyExistsException) {
			return Errno.EEXIST;
		}
		if (e instanceof AccessDeniedException) {
			return Errno.EACCES;
		}
		if (e instanceof DirectoryNotEmptyException) {
			return Errno.ENOTEMPTY;
		}
		if (e instanceof NotDirectoryException) {
			return Errno.ENOTDIR;
		}
		String text = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
		if (text == null) {
			return 0;
		}
		Integer errno = errnoByText().get(text.trim());
		return errno == null ? 0 : errno;
	}

	private static Map<String, Integer> errnoByText() {
		Map<String, Integer> table = errnoByText;
		if (table == null) {
			table = new HashMap<>();
			try {
				LinuxLibC c = LibCHolder.get();
				for (int errno = Errno.MAX; errno >= 1; errno--) {
					table.put(c.strerror(errno), errno);
				}
			} catch (SysException e) {
				// no libc: errno stays unknown (0) and the message keeps the JDK's text
			}
			errnoByText = Map.copyOf(table);
		}
		return table;
	}

	// ---------------------------------------------------------------------------------------- errors

	/** strerror(3); {@code "errno N"} when the C library cannot be loaded. */
	public static String strerror(int errno) {
		try {
			String text = LibCHolder.get().strerror(errno);
			return text != null ? text : "errno " + errno;
		} catch (SysException e) {
			return "errno " + errno;
		}
	}

	private static int checkPid(long pid) {
		if (pid <= 0 || pid > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("not a process id: " + pid);
		}
		return (int) pid;
	}
}
