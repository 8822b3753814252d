package org.berth.core;

import java.util.OptionalInt;

/**
 * The checked root of Berth's errors. Its message is a sentence for a person; {@link #operation()},
 * {@link #target()} and {@link #errno()} say what failed on what, for logs and for code that reacts.
 */
public class BerthException extends Exception {

	private static final long serialVersionUID = 1L;

	private final String operation;
	private final String target;
	/** 0 = no errno (0 is never an error number). */
	private final int errno;

	/** An error with just a sentence. */
	public BerthException(String message) {
		this(null, null, OptionalInt.empty(), message, null);
	}

	/**
	 * @param operation what was attempted ("start", "pidfd_open"), may be null
	 * @param target    on what (a container name, a pid, a path), may be null
	 * @param message   the sentence
	 */
	public BerthException(String operation, String target, String message) {
		this(operation, target, OptionalInt.empty(), message, null);
	}

	public BerthException(String operation, String target, String message, Throwable cause) {
		this(operation, target, OptionalInt.empty(), message, cause);
	}

	public BerthException(String operation, String target, OptionalInt errno, String message, Throwable cause) {
		super(message, cause);
		this.operation = operation;
		this.target = target;
		this.errno = errno == null ? 0 : errno.orElse(0);
	}

	/** What was attempted, e.g. "start" or "pidfd_open"; may be null. */
	public String operation() {
		return operation;
	}

	/** On what it was attempted, e.g. the container name or "4242"; may be null. */
	public String target() {
		return target;
	}

	/** The Linux error number when the failure came from a system call. */
	public OptionalInt errno() {
		return errno == 0 ? OptionalInt.empty() : OptionalInt.of(errno);
	}
}
