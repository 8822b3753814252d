package org.berth.core.incus;

import org.berth.core.BerthException;

/**
 * Incus refused a request or an operation failed there; the message is Incus's own sentence, with what was asked
 * for on what in {@link #operation()} and {@link #target()}.
 */
public class IncusException extends BerthException {

	private static final long serialVersionUID = 1L;

	private final int status;

	/**
	 * @param operation what was asked for ("start", "GET /1.0/instances")
	 * @param target    on what (an instance's name), may be null
	 * @param status    the HTTP status code Incus answered with, 0 for a failed background operation
	 * @param message   the sentence
	 */
	public IncusException(String operation, String target, int status, String message) {
		super(operation, target, message);
		this.status = status;
	}

	/** The HTTP status code of Incus's answer (404, 403, ...), 0 when an operation failed in the background. */
	public int status() {
		return status;
	}
}
