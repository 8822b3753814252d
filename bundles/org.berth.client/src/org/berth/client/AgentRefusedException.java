package org.berth.client;

import org.berth.core.BerthException;

/** The agent would not serve this user (403): the message is its sentence, which names the group to join. */
public class AgentRefusedException extends BerthException {

	private static final long serialVersionUID = 1L;

	public AgentRefusedException(String message) {
		super(message);
	}
}
