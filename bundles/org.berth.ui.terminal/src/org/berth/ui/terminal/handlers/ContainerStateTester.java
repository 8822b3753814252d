package org.berth.ui.terminal.handlers;

import org.berth.core.ContainerSnapshot;
import org.berth.ui.internal.Engines;
import org.eclipse.core.expressions.PropertyTester;

/**
 * {@code org.berth.ui.terminal.running}: whether a selected container runs now, by the engine's cached snapshot
 * (the selection's may be older). Non-blocking. Enables Open Terminal only where a shell can start.
 */
public final class ContainerStateTester extends PropertyTester {

	@Override
	public boolean test(Object receiver, String property, Object[] args, Object expectedValue) {
		if (!(receiver instanceof ContainerSnapshot snap) || !"running".equals(property)) {
			return false;
		}
		boolean running = Engines.find().flatMap(e -> e.get(snap.name())).map(ContainerSnapshot::isRunning)
				.orElse(snap.isRunning());
		return expectedValue == null ? running : Boolean.valueOf(running).equals(expectedValue);
	}
}
