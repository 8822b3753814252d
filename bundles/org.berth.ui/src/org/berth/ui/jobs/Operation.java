package org.berth.ui.jobs;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.berth.core.Action;
import org.berth.core.ContainerEngine;

/** A lifecycle operation the console offers on selected containers, with its words and its engine call. */
public enum Operation {
	START(Action.START, "Start", "Starting", false),
	STOP(Action.STOP, "Stop", "Stopping", false),
	RESTART(Action.RESTART, "Restart", "Restarting", false),
	KILL(Action.KILL, "Kill", "Killing", true),
	FREEZE(Action.FREEZE, "Freeze", "Freezing", false),
	THAW(Action.THAW, "Thaw", "Thawing", false),
	DESTROY(Action.DESTROY, "Destroy", "Destroying", true);

	/** How long a stop waits for init to halt before it kills. */
	public static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private final Action action;
	private final String verb;
	private final String progressive;
	private final boolean destructive;

	Operation(Action action, String verb, String progressive, boolean destructive) {
		this.action = action;
		this.verb = verb;
		this.progressive = progressive;
		this.destructive = destructive;
	}

	/** The state machine's action, for enablement. */
	public Action action() {
		return action;
	}

	/** "Start". */
	public String verb() {
		return verb;
	}

	/** "Starting". */
	public String progressive() {
		return progressive;
	}

	/** Whether it loses work or data, so the console asks first (stop asks only for several containers). */
	public boolean asksFirst(int count) {
		return destructive || (this == STOP && count > 1) || (this == RESTART && count > 1);
	}

	/** Calls the engine. */
	public CompletableFuture<?> run(ContainerEngine engine, String name) {
		return switch (this) {
			case START -> engine.start(name);
			case STOP -> engine.stop(name, STOP_TIMEOUT);
			case RESTART -> engine.restart(name, STOP_TIMEOUT);
			case KILL -> engine.kill(name);
			case FREEZE -> engine.freeze(name);
			case THAW -> engine.thaw(name);
			case DESTROY -> engine.destroy(name);
		};
	}
}
