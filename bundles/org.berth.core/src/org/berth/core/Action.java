package org.berth.core;

import java.util.Locale;

/** What a user or the engine can do to a container. */
public enum Action {
	START("start %s"),
	STOP("stop %s"),
	KILL("kill %s"),
	RESTART("restart %s"),
	FREEZE("freeze %s"),
	THAW("thaw %s"),
	DESTROY("destroy %s"),
	EXEC("run a command in %s"),
	UPDATE_LIVE("change the limits of %s while it runs");

	private final String phrase;

	Action(String phrase) {
		this.phrase = phrase;
	}

	/** The command line word: "start", ..., "exec", "update-live". */
	public String cli() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/** A verb phrase about a target, for messages: {@code describe("\"c1\"")} → {@code run a command in "c1"}. */
	public String describe(String target) {
		return String.format(Locale.ROOT, phrase, target);
	}
}
