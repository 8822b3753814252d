package org.berth.core.linux.internal.sys;

import java.io.IOException;

/**
 * A failed system call or kernel file operation: what was done ({@link #operation()}), to what
 * ({@link #target()}), and the kernel's answer ({@link #errno()}, its {@code strerror} text in the message).
 * The default message reads {@code pidfd_open(4242): No such process}; EPERM and EACCES add
 * {@code ; this needs root}.
 */
public class SysException extends IOException {
	private static final long serialVersionUID = 1L;

	private final String operation;
	private final String target;
	private final int errno;

	/** @param errno the errno, or 0 when the failure did not come from the kernel (e.g. JNA missing) */
	public SysException(String operation, String target, int errno, String message, Throwable cause) {
		super(message, cause);
		this.operation = operation;
		this.target = target;
		this.errno = errno;
	}

	public SysException(String operation, String target, int errno, String message) {
		this(operation, target, errno, message, null);
	}

	/** The standard message {@code operation(target): strerror[; this needs root]}. */
	public static SysException of(String operation, String target, int errno) {
		return new SysException(operation, target, errno, operation + "(" + target + "): " + describe(errno));
	}

	/** {@code strerror(errno)}, plus {@code ; this needs root} for EPERM and EACCES. */
	public static String describe(int errno) {
		String text = Sys.strerror(errno);
		return errno == Errno.EPERM || errno == Errno.EACCES ? text + "; this needs root" : text;
	}

	public String operation() {
		return operation;
	}

	public String target() {
		return target;
	}

	public int errno() {
		return errno;
	}
}
