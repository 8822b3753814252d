package org.berth.core.linux.internal.sys;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * The engine's {@link System.Logger} ({@code org.berth.core.linux}), made on first use. Getting a logger initialises
 * {@code java.util.logging} (about 30 ms on the test hosts), which a {@code berth} command that logs nothing must not
 * pay, so no class holds one in a static field.
 */
public final class EngineLog {

	private EngineLog() {
	}

	private static final class Holder {
		static final Logger LOGGER = System.getLogger("org.berth.core.linux");
	}

	public static void log(Level level, String message) {
		Holder.LOGGER.log(level, message);
	}

	public static void log(Level level, String message, Throwable thrown) {
		Holder.LOGGER.log(level, message, thrown);
	}
}
