package org.berth.core.linux.internal.engine;

import org.berth.core.AgentChoice;
import org.berth.core.BerthException;
import org.berth.core.ContainerEngine;
import org.berth.core.linux.EngineConfig;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * In the console, offers the local engine as the {@link ContainerEngine} OSGi service, when the console does not go
 * through the agent ({@link AgentChoice}: as root, unless BERTH_AGENT=1); otherwise org.berth.client registers the
 * agent's engine, and this bundle opens nothing (no engine, no native code in the console's process). The UI knows
 * only the interface.
 */
public final class EngineActivator implements BundleActivator {

	private LinuxEngine engine;
	private ServiceRegistration<ContainerEngine> registration;

	@Override
	public void start(BundleContext context) throws BerthException {
		if (AgentChoice.fromEnvironment().useAgent()) {
			return;
		}
		engine = new LinuxEngine(EngineConfig.fromSystemProperties());
		engine.monitoring(); // the console keeps history from its start, not from the first graph opened
		registration = context.registerService(ContainerEngine.class, engine, null);
	}

	@Override
	public void stop(BundleContext context) {
		if (registration != null) {
			registration.unregister();
		}
		if (engine != null) {
			engine.close(); // the containers keep running: they outlive the console
		}
	}
}
