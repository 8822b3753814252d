package org.berth.ui.internal;

import java.util.Optional;

import org.berth.core.ContainerEngine;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The {@link ContainerEngine} OSGi service as the console sees it. The UI knows only the API: whoever registers the
 * service (the local engine, later a remote agent) is someone else's business.
 */
public final class Engines {

	private static ServiceTracker<ContainerEngine, ContainerEngine> tracker;

	private Engines() {
	}

	/** The engine, if one is registered. Non-blocking. */
	public static synchronized Optional<ContainerEngine> find() {
		if (tracker == null) {
			Bundle bundle = FrameworkUtil.getBundle(Engines.class);
			BundleContext context = bundle == null ? null : bundle.getBundleContext();
			if (context == null) {
				return Optional.empty();
			}
			tracker = new ServiceTracker<>(context, ContainerEngine.class, null);
			tracker.open();
		}
		return Optional.ofNullable(tracker.getService());
	}

	/** Whether there is an engine and it answers (an agent's may be away: see ContainerEngine#connection). */
	public static boolean connected() {
		return find().map(e -> !e.connection().endsWith("not connected")).orElse(false);
	}

	/** The sentence shown when there is no engine. */
	public static final String NOT_AVAILABLE = "No container engine is available: the engine bundle"
			+ " (org.berth.core.linux) did not start.";
}
