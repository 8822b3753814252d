package org.berth.core.linux.internal.sys;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;

/**
 * The C library functions the engine calls, and nothing else. Linux LP64 only (x86_64, aarch64):
 * {@code size_t}, {@code ssize_t}, {@code long} and {@code nfds_t} are Java {@code long}.
 * <p>
 * Errors are read from the return value and {@link com.sun.jna.Native#getLastError()} right after the call
 * (not with {@code throws LastErrorException}: JNA would then throw whenever errno is non-zero, and glibc may
 * leave errno set on success). Do not call this interface directly: {@link Sys} wraps every function once.
 * Obtain the instance through {@link LibCHolder#get()}, which loads it lazily.
 */
interface LinuxLibC extends Library {

	int kill(int pid, int signal);

	/** Used for pidfd_open (434) and pidfd_send_signal (424); unused arguments are 0. */
	long syscall(long number, long a1, long a2, long a3, long a4);

	/** @param fds an array of {@code struct pollfd} (8 bytes each: int fd, short events, short revents) */
	int poll(Pointer fds, long nfds, int timeoutMillis);

	int close(int fd);

	/** For openat2 (437): dirfd, the path (a native string), a {@code struct open_how} and its size. */
	long syscall(long number, long a1, Pointer a2, Pointer a3, long a4);

	int mkdirat(int dirFd, String name, int mode);

	int symlinkat(String target, int dirFd, String name);

	int fchmod(int fd, int mode);

	int fchown(int fd, int uid, int gid);

	long llistxattr(String path, byte[] list, long size);

	long lgetxattr(String path, String name, byte[] value, long size);

	long read(int fd, byte[] buffer, long count);

	long write(int fd, byte[] buffer, long count);

	int posix_openpt(int flags);

	int grantpt(int fd);

	int unlockpt(int fd);

	int ioctl(int fd, long request, Pointer argument);

	/** @param termios a {@code struct termios} ({@link Sys#TERMIOS_SIZE} bytes are room enough) */
	int tcgetattr(int fd, byte[] termios);

	int tcsetattr(int fd, int optionalActions, byte[] termios);

	void cfmakeraw(byte[] termios);

	String strerror(int errno);

	/** Without O_CREAT, so no mode argument. */
	int open(String path, int flags);

	int pipe2(int[] fds, int flags);

	int epoll_create1(int flags);

	int eventfd(int initialValue, int flags);

	/** @param event a {@code struct epoll_event} (packed on x86_64: 12 bytes) */
	int epoll_ctl(int epollFd, int op, int fd, Pointer event);

	int epoll_wait(int epollFd, Pointer events, int maxEvents, int timeoutMillis);

	/** @param info a {@code siginfo_t} (128 bytes) */
	int waitid(int idType, int id, Pointer info, int options);

	// posix_spawn(3) and its helpers, used by Spawn only; they return an error number instead of setting errno

	int posix_spawn(int[] pid, String path, Pointer fileActions, Pointer attributes, StringArray argv,
			StringArray envp);

	int posix_spawn_file_actions_init(Pointer actions);

	int posix_spawn_file_actions_destroy(Pointer actions);

	int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

	int posix_spawn_file_actions_addopen(Pointer actions, int fd, String path, int flags, int mode);

	/** glibc 2.34 and later. */
	int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

	int posix_spawnattr_init(Pointer attributes);

	int posix_spawnattr_destroy(Pointer attributes);

	int posix_spawnattr_setflags(Pointer attributes, short flags);

	int posix_spawnattr_setsigmask(Pointer attributes, Pointer sigset);

	int posix_spawnattr_setsigdefault(Pointer attributes, Pointer sigset);

	int sigemptyset(Pointer sigset);

	int sigfillset(Pointer sigset);
}
