package org.berth.core.wire;

/** A message that does not fit its type: the message is one sentence naming the field, for the person who sent it. */
public class WireException extends Exception {

	private static final long serialVersionUID = 1L;

	public WireException(String message) {
		super(message);
	}
}
