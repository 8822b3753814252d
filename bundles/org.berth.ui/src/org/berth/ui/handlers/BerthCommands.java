package org.berth.ui.handlers;

/** The command ids of plugin.xml. */
public final class BerthCommands {

	public static final String NEW = "org.berth.ui.container.new";
	public static final String START = "org.berth.ui.container.start";
	public static final String STOP = "org.berth.ui.container.stop";
	public static final String RESTART = "org.berth.ui.container.restart";
	public static final String KILL = "org.berth.ui.container.kill";
	public static final String FREEZE = "org.berth.ui.container.freeze";
	public static final String THAW = "org.berth.ui.container.thaw";
	public static final String CLONE = "org.berth.ui.container.clone";
	public static final String DESTROY = "org.berth.ui.container.destroy";
	public static final String COMPARE = "org.berth.ui.container.compare";
	public static final String CHECKPOINT = "org.berth.ui.container.checkpoint";
	public static final String RESTORE_CHECKPOINT = "org.berth.ui.container.restoreCheckpoint";
	public static final String MIGRATE = "org.berth.ui.container.migrate";
	public static final String OPEN = "org.berth.ui.container.open";
	public static final String PREFERENCES = "org.berth.ui.preferences.open";

	/** The lifecycle commands in menu order (New and Open excluded). */
	public static final String[] LIFECYCLE = {START, STOP, RESTART, KILL, FREEZE, THAW, CLONE, DESTROY};

	private BerthCommands() {
	}
}
