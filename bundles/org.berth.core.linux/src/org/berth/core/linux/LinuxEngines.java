package org.berth.core.linux;

import java.util.Collection;
import java.util.Set;

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
		return new LinuxEngine(config, null);
	}

	/** Opens the engine with {@link EngineConfig#fromSystemProperties()} (the defaults unless overridden). */
	public static LocalEngine open() throws BerthException {
		return open(EngineConfig.fromSystemProperties());
	}

	/**
	 * Opens the engine with only the named containers loaded, for work on those alone: run commands in them, open
	 * terminals, read their usage and console, stop, kill, freeze or thaw them. It costs the same with 10 or 500
	 * containers on the host. Such an engine knows nothing of the others: it must not create, start, clone, destroy
	 * or change the limits of a container (validation and sharing look at the others), nor list or classify
	 * namespaces by sharing. A name without a container is simply not there ({@code get} is empty).
	 */
	public static LocalEngine openOnly(EngineConfig config, Collection<String> names) throws BerthException {
		return new LinuxEngine(config, Set.copyOf(names));
	}
}
