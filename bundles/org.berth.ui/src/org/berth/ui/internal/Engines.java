package org.berth.ui.internal;

import java.util.Optional;

import org.berth.client.inventory.Connection;
import org.berth.client.inventory.Connections;
import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSpec;
import org.berth.core.SpecValidator;
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

	/**
	 * The connections of the console's one inventory, when the engine is one (local agent + remote Berth hosts);
	 * empty when the engine is a single one. Non-blocking.
	 */
	public static Optional<Connections> connections() {
		return find().filter(Connections.class::isInstance).map(Connections.class::cast);
	}

	/** A container's name without its host's prefix ({@code h2:web} → {@code web}), for the checks of a name's form. */
	public static String bare(String name) {
		int colon = name.indexOf(':');
		return colon < 0 ? name : name.substring(colon + 1);
	}

	/**
	 * The spec to validate for a container of any host: its name as its host knows it (a remote's containers are named
	 * {@code REMOTE:name} in the console), the rest as it is (the engine's context knows the prefixed names).
	 */
	public static ContainerSpec validatable(ContainerSpec spec) {
		String b = bare(spec.name());
		return b.equals(spec.name()) ? spec : spec.withName(b);
	}

	/** Whether there is an engine and it answers (an agent's may be away: see ContainerEngine#connection). */
	public static boolean connected() {
		return find().map(e -> !e.connection().endsWith("not connected")).orElse(false);
	}

	/**
	 * Whether the connection of each of {@code names} answers: in the inventory each container's own host (one away
	 * does not stop the others'), else {@link #connected()}. Non-blocking.
	 */
	public static boolean connected(java.util.List<String> names) {
		Optional<Connections> c = connections();
		if (c.isEmpty() || names.isEmpty()) {
			return connected();
		}
		return names.stream().noneMatch(c.get()::isAway);
	}

	/**
	 * What a spec of container {@code name} is validated against: in the inventory its own host's (its templates, its
	 * CPUs; a remote's container is validated under its bare name, {@link #validatable}), else the engine's.
	 */
	public static SpecValidator.ValidationContext validationContextOf(ContainerEngine engine, String name) {
		if (engine instanceof Connections c) {
			String host = c.hostOf(name);
			return c.validationContext(host == null ? Connection.LOCAL : host);
		}
		return engine.validationContext();
	}

	/** The sentence shown when there is no engine. */
	public static final String NOT_AVAILABLE = "No container engine is available: the engine bundle"
			+ " (org.berth.core.linux) did not start.";
}
