package org.berth.cli;

import org.berth.core.BerthException;

/** Carries a {@link BerthException} through code that cannot throw it (the engine supplier). */
final class UncheckedBerthException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	UncheckedBerthException(BerthException cause) {
		super(cause.getMessage(), cause);
	}

	@Override
	public synchronized BerthException getCause() {
		return (BerthException) super.getCause();
	}
}
