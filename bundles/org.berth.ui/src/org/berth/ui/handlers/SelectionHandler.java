package org.berth.ui.handlers;

import org.berth.ui.internal.Engines;
import org.eclipse.core.commands.AbstractHandler;

/**
 * A handler enabled by the selection, and only while the engine of each selected container is connected (an agent
 * that went away cannot act; the banner and the status line say so; another host's containers do not wait for this
 * host's agent). It remembers the answer of its last evaluation without firing a handler
 * event: the workbench and the toolbars evaluate in slightly different contexts, and an event on every change made
 * a tool item and the command re-evaluate each other without end.
 */
abstract class SelectionHandler extends AbstractHandler {

	private volatile boolean enabled;

	@Override
	public final void setEnabled(Object evaluationContext) {
		java.util.List<String> names = Selections.names(evaluationContext);
		enabled = (!needsEngine() || Engines.connected(names)) && enabledFor(names);
	}

	/** Whether acting needs the engine to answer (true but for what reads only the cached snapshot). */
	boolean needsEngine() {
		return true;
	}

	/** Whether the handler can act on these selected containers. Non-blocking. */
	abstract boolean enabledFor(java.util.List<String> names);

	@Override
	public final boolean isEnabled() {
		return enabled;
	}
}
