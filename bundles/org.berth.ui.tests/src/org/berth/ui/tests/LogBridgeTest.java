package org.berth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.berth.ui.internal.app.LogBridge;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.ILogListener;
import org.eclipse.core.runtime.IStatus;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/** What the engine writes to System.Logger (in the console's OSGi runtime) reaches the console's log. */
class LogBridgeTest {

	private static final class Recorder implements ILog {
		final List<IStatus> logged = new CopyOnWriteArrayList<>();

		@Override
		public void log(IStatus status) {
			logged.add(status);
		}

		@Override
		public Bundle getBundle() {
			return FrameworkUtil.getBundle(LogBridgeTest.class);
		}

		@Override
		public void addLogListener(ILogListener listener) {
			// not needed
		}

		@Override
		public void removeLogListener(ILogListener listener) {
			// not needed
		}
	}

	@Test
	void anEngineWarningReachesTheLogWithItsCauseAndStopsWhenRemoved() {
		Recorder log = new Recorder();
		Runnable remove = LogBridge.install(log);
		IOException cause = new IOException("Directory not empty");
		try {
			System.getLogger("org.berth.core.linux").log(System.Logger.Level.WARNING,
					"destroy c1: could not delete /var/lib/berth/c1", cause);
			System.getLogger("org.berth.core.linux").log(System.Logger.Level.DEBUG, "not shown at the default level");
			System.getLogger("com.example").log(System.Logger.Level.WARNING, "not ours");
		} finally {
			remove.run();
		}
		System.getLogger("org.berth.core.linux").log(System.Logger.Level.WARNING, "after removal");

		assertEquals(1, log.logged.size(), log.logged.toString());
		IStatus s = log.logged.get(0);
		assertEquals(IStatus.WARNING, s.getSeverity());
		assertEquals("destroy c1: could not delete /var/lib/berth/c1", s.getMessage());
		assertEquals("org.berth.core.linux", s.getPlugin());
		assertSame(cause, s.getException());
		assertTrue(log.logged.stream().noneMatch(x -> x.getMessage().contains("not ours")));
	}
}
