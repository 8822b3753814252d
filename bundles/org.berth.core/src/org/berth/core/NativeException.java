package org.berth.core;

import java.util.OptionalInt;

/**
 * A failed system call, e.g. {@code pidfd_open(4242): No such process}. For EPERM and EACCES the message goes on with
 * {@code "; this needs root"}. The engine wraps each native call once and fills in {@code strerror}.
 */
public class NativeException extends BerthException {

	private static final long serialVersionUID = 1L;

	public static final int EPERM = 1;
	public static final int ENOENT = 2;
	public static final int ESRCH = 3;
	public static final int EACCES = 13;
	public static final int EBUSY = 16;
	public static final int EEXIST = 17;
	public static final int EINVAL = 22;
	public static final int ENOSPC = 28;
	public static final int ENOSYS = 38;

	private final String strerror;

	/**
	 * @param operation the call, e.g. "pidfd_open"
	 * @param target    its argument, e.g. "4242" or a path; may be null
	 * @param errno     the error number
	 * @param strerror  the C library's text for it, e.g. "No such process"; null gives "errno N"
	 */
	public NativeException(String operation, String target, int errno, String strerror) {
		this(operation, target, errno, strerror, null);
	}

	public NativeException(String operation, String target, int errno, String strerror, Throwable cause) {
		super(operation, target, errno == 0 ? OptionalInt.empty() : OptionalInt.of(errno),
				message(operation, target, errno, strerror), cause);
		this.strerror = strerror == null || strerror.isBlank() ? "errno " + errno : strerror;
	}

	private static String message(String operation, String target, int errno, String strerror) {
		String text = strerror == null || strerror.isBlank() ? "errno " + errno : strerror;
		String call = target == null ? operation : operation + "(" + target + ")";
		String hint = errno == EPERM || errno == EACCES ? "; this needs root" : "";
		return call + ": " + text + hint;
	}

	/** The C library's text for the error number. */
	public String strerror() {
		return strerror;
	}

	/** Whether the failure means "not permitted" (EPERM or EACCES). */
	public boolean isPermissionDenied() {
		int e = errno().orElse(0);
		return e == EPERM || e == EACCES;
	}
}
