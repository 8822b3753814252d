package org.berth.core.linux.internal.sys;

/** The Linux errno values the engine tests for (the same on x86_64 and aarch64). */
public final class Errno {
	public static final int EPERM = 1;
	public static final int ENOENT = 2;
	public static final int ESRCH = 3;
	public static final int EINTR = 4;
	public static final int EIO = 5;
	public static final int EBADF = 9;
	public static final int EAGAIN = 11;
	public static final int EACCES = 13;
	public static final int EBUSY = 16;
	public static final int EEXIST = 17;
	public static final int ENOTDIR = 20;
	public static final int EINVAL = 22;
	public static final int ENOSPC = 28;
	public static final int EROFS = 30;
	public static final int ENOSYS = 38;
	public static final int ENOTEMPTY = 39;
	public static final int EOPNOTSUPP = 95;

	/** Highest errno glibc knows a text for (EHWPOISON). */
	static final int MAX = 133;

	private Errno() {
	}
}
