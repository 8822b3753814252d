package org.berth.ui.terminal.internal;

import java.util.Optional;

import org.berth.core.ContainerEngine;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/** The {@link ContainerEngine} OSGi service, whoever offers it (the local engine, later a remote one). */
public final class EngineTracker {

	private static ServiceTracker<ContainerEngine, ContainerEngine> tracker;

	private EngineTracker() {
	}

	/** The engine, if one is registered now. Non-blocking. */
	public static synchronized Optional<ContainerEngine> engine() {
		if (tracker == null) {
			Bundle bundle = FrameworkUtil.getBundle(EngineTracker.class);
			BundleContext context = bundle == null ? null : bundle.getBundleContext();
			if (context == null) {
				return Optional.empty();
			}
			tracker = new ServiceTracker<>(context, ContainerEngine.class, null);
			tracker.open();
		}
		return Optional.ofNullable(tracker.getService());
	}
}
