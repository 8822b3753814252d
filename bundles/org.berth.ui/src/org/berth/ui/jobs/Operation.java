package org.berth.ui.jobs;

import org.berth.core.Action;
import org.berth.core.Lifecycle;

/**
 * A lifecycle operation the console offers on selected containers: the core's {@link Lifecycle} (engine call, stop
 * timeout, order) with the console's words for it and whether it asks first.
 */
public enum Operation {
	START(Lifecycle.START, "Start", "Starting", false),
	STOP(Lifecycle.STOP, "Stop", "Stopping", false),
	RESTART(Lifecycle.RESTART, "Restart", "Restarting", false),
	KILL(Lifecycle.KILL, "Kill", "Killing", true),
	FREEZE(Lifecycle.FREEZE, "Freeze", "Freezing", false),
	THAW(Lifecycle.THAW, "Thaw", "Thawing", false),
	DESTROY(Lifecycle.DESTROY, "Destroy", "Destroying", true);

	private final Lifecycle lifecycle;
	private final String verb;
	private final String progressive;
	private final boolean destructive;

	Operation(Lifecycle lifecycle, String verb, String progressive, boolean destructive) {
		this.lifecycle = lifecycle;
		this.verb = verb;
		this.progressive = progressive;
		this.destructive = destructive;
	}

	/** What it does, as every client does it: the engine call, the stop timeout, the order of several. */
	public Lifecycle lifecycle() {
		return lifecycle;
	}

	/** The state machine's action, for enablement. */
	public Action action() {
		return lifecycle.action();
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
}
