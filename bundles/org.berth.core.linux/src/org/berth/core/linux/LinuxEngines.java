package org.berth.core.linux;

import org.berth.core.BerthException;
import org.berth.core.linux.internal.engine.LinuxEngine;

/** Creates the local engine. */
public final class LinuxEngines {

	private LinuxEngines() {
	}

	/**
	 * Opens the engine on this host: loads the defined containers and finds the running ones again (their
	 * monitors outlive any process of Berth).
	 */
	public static LocalEngine open(EngineConfig config) throws BerthException {
		return new LinuxEngine(config);
	}

	/** Opens the engine with {@link EngineConfig#fromSystemProperties()} (the defaults unless overridden). */
	public static LocalEngine open() throws BerthException {
		return open(EngineConfig.fromSystemProperties());
	}
}
