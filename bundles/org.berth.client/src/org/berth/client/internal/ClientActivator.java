package org.berth.client.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

import org.berth.client.AgentEngine;
import org.berth.client.IncusConnection;
import org.berth.client.RemoteAgents;
import org.berth.client.inventory.Connection;
import org.berth.client.inventory.Connections;
import org.berth.client.inventory.Inventory;
import org.berth.core.AgentChoice;
import org.berth.core.BerthException;
import org.berth.core.ContainerEngine;
import org.berth.core.remote.Remote;
import org.berth.core.remote.Remotes;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * In the console, offers the one inventory ({@link Inventory}: this host's engine and the user's remote Berth hosts,
 * from {@link Remotes#ofUser()}) as the {@link ContainerEngine} OSGi service, and as the {@link Connections} service
 * the views of connections use. This host's engine is the agent's client when the console goes through the agent
 * ({@link AgentChoice}: a user other than root, or BERTH_AGENT=1): there even while no agent answers, it says so in
 * its limitations (the console's banner) and connects as soon as one does. Otherwise it is the engine the console runs
 * in its own process (org.berth.core.linux registers it): the inventory takes it over with a higher service ranking.
 * The system property {@code berth.inventory=off} offers this host's engine alone, as before (the UI tests'
 * runtime). BERTH_SSH replaces the ssh command (its words split at spaces, e.g. {@code ssh -F ./ssh_config}).
 */
public final class ClientActivator implements BundleActivator {

	/** The property the inventory's registration carries, so that it does not take itself for this host's engine. */
	static final String INVENTORY = "org.berth.inventory";

	private AgentEngine agent;
	private Inventory inventory;
	private ServiceRegistration<?> registration;
	private ServiceTracker<ContainerEngine, ContainerEngine> local;

	@Override
	public void start(BundleContext context) {
		AgentChoice choice = AgentChoice.fromEnvironment();
		boolean off = "off".equals(System.getProperty("berth.inventory"));
		if (choice.useAgent()) {
			agent = AgentEngine.open(choice.socket());
			agent.monitoring(); // the graphs' copies of the agent's histories start now
			if (off) {
				registration = context.registerService(ContainerEngine.class, agent, null);
			} else {
				offer(context, Connection.of(Connection.LOCAL, "unix://" + choice.socket(), agent));
			}
			return;
		}
		if (off) {
			return;
		}
		local = new ServiceTracker<>(context, ContainerEngine.class, new ServiceTrackerCustomizer<>() {
			@Override
			public ContainerEngine addingService(ServiceReference<ContainerEngine> ref) {
				if (ref.getProperty(INVENTORY) != null) {
					return null;
				}
				ContainerEngine engine = context.getService(ref);
				synchronized (ClientActivator.this) {
					if (inventory == null) {
						offer(context, Connection.borrowing(Connection.LOCAL, "this console's own engine", engine));
					}
				}
				return engine;
			}

			@Override
			public void modifiedService(ServiceReference<ContainerEngine> ref, ContainerEngine engine) {
			}

			@Override
			public void removedService(ServiceReference<ContainerEngine> ref, ContainerEngine engine) {
				synchronized (ClientActivator.this) {
					withdraw();
				}
				context.ungetService(ref);
			}
		});
		local.open();
	}

	/** Registers the inventory of {@code here} and the user's remotes. */
	private synchronized void offer(BundleContext context, Connection here) {
		Remotes store = Remotes.ofUser();
		List<String> ssh = sshCommand();
		List<Connection> remotes = new ArrayList<>();
		try {
			for (Remote r : store.list()) {
				try {
					remotes.add(dial(r, store, ssh));
				} catch (IllegalArgumentException e) {
					System.err.println("berth-client: remote " + r.name() + " is not used: " + e.getMessage());
				}
			}
		} catch (BerthException e) {
			System.err.println("berth-client: the remotes in " + store.file() + " are not used: " + e.getMessage());
		}
		inventory = new Inventory(here, remotes, store, r -> dial(r, store, ssh), Duration.ofSeconds(1));
		Hashtable<String, Object> properties = new Hashtable<>();
		properties.put(INVENTORY, Boolean.TRUE);
		properties.put(Constants.SERVICE_RANKING, 100);
		registration = context.registerService(new String[]{ContainerEngine.class.getName(),
				Connections.class.getName()}, inventory, properties);
	}

	/** The connection to {@code remote} that keeps itself up, a Berth host's or an Incus server's. */
	private static Connection dial(Remote remote, Remotes store, List<String> ssh) {
		try {
			return remote.kind() == Remote.Kind.INCUS ? IncusConnection.keep(remote, store)
					: RemoteAgents.keep(remote, ssh);
		} catch (BerthException e) {
			throw new IllegalArgumentException(e.getMessage(), e);
		}
	}

	/** {@link Remotes#sshCommand()}; a BERTH_SSH that is not a command is said and plain ssh used. */
	static List<String> sshCommand() {
		try {
			return Remotes.sshCommand();
		} catch (IllegalArgumentException e) {
			System.err.println("berth-client: " + e.getMessage() + "; using ssh");
			return List.of("ssh");
		}
	}

	private void withdraw() {
		if (registration != null) {
			registration.unregister();
			registration = null;
		}
		if (inventory != null) {
			inventory.close(); // the remotes' ssh ends; this host's engine is closed by whoever made it
			inventory = null;
		}
	}

	@Override
	public void stop(BundleContext context) {
		if (local != null) {
			local.close();
		}
		synchronized (this) {
			withdraw();
		}
		if (agent != null) {
			agent.close(); // the agent and its containers go on
		}
	}
}
