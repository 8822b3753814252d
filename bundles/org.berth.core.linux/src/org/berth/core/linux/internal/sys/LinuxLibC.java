package org.berth.core.linux.internal.sys;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

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

    long read(int fd, byte[] buffer, long count);

    long write(int fd, byte[] buffer, long count);

    int posix_openpt(int flags);

    int grantpt(int fd);

    int unlockpt(int fd);

    int ioctl(int fd, long request, Pointer argument);

    String strerror(int errno);

    /** Without O_CREAT, so no mode argument. */
    int open(String path, int flags);
}
