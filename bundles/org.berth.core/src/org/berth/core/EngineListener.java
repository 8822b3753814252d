package org.berth.core;

/**
 * Receives {@link EngineEvent}s. Called on an engine thread, never while the engine holds a lock; a UI listener
 * returns to the UI thread itself (asyncExec) and should coalesce refreshes.
 */
@FunctionalInterface
public interface EngineListener {
	void changed(EngineEvent e);
}
