package org.berth.client.internal;

import org.berth.client.AgentEngine;
import org.berth.core.AgentChoice;
import org.berth.core.ContainerEngine;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * In the console, offers the agent's engine as the {@link ContainerEngine} OSGi service when the console goes through
 * the agent ({@link AgentChoice}: a user other than root, or BERTH_AGENT=1). The engine is there even while no agent
 * answers: it says so in its limitations (the console's banner) and connects as soon as one does.
 */
public final class ClientActivator implements BundleActivator {

	private AgentEngine engine;
	private ServiceRegistration<ContainerEngine> registration;

	@Override
	public void start(BundleContext context) {
		AgentChoice choice = AgentChoice.fromEnvironment();
		if (!choice.useAgent()) {
			return;
		}
		engine = AgentEngine.open(choice.socket());
		engine.monitoring(); // the graphs' copies of the agent's histories start now
		registration = context.registerService(ContainerEngine.class, engine, null);
	}

	@Override
	public void stop(BundleContext context) {
		if (registration != null) {
			registration.unregister();
		}
		if (engine != null) {
			engine.close(); // the agent and its containers go on
		}
	}
}
