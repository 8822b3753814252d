package org.berth.client;

import java.util.List;

import org.berth.client.inventory.Connection;
import org.berth.core.BerthException;
import org.berth.core.ContainerEngine;
import org.berth.core.incus.IncusEngine;
import org.berth.core.incus.IncusRemote;
import org.berth.core.remote.Remote;
import org.berth.core.remote.Remotes;

/**
 * The console's connection to an Incus server that keeps itself up: an {@link IncusEngine#open} on the remote's
 * socket or address (with the user's client certificate and the pinned server certificate), which makes its first
 * contact in the background and tries again while the server is away, and follows the server's events again after it
 * restarts. {@link #problem()} is the engine's own sentence meanwhile.
 */
public final class IncusConnection implements Connection {

	private final Remote remote;
	private final IncusEngine engine;

	private IncusConnection(Remote remote, IncusEngine engine) {
		this.remote = remote;
		this.engine = engine;
	}

	/**
	 * A connection to the Incus server of {@code remote} for the console's inventory. Returns at once.
	 *
	 * @param remotes where the user's client certificate is (next to the remotes file)
	 * @throws BerthException when an HTTPS remote has no pinned certificate, or no client can be made
	 */
	public static Connection keep(Remote remote, Remotes remotes) throws BerthException {
		return new IncusConnection(remote, IncusEngine.open(IncusRemote.endpoint(remote, remotes)));
	}

	@Override
	public String name() {
		return remote.name();
	}

	@Override
	public String url() {
		return remote.url();
	}

	@Override
	public ContainerEngine engine() {
		return engine;
	}

	@Override
	public String problem() {
		if (engine.isConnected()) {
			return null;
		}
		List<String> why = engine.limitations();
		return why.isEmpty() ? engine.connection() : why.get(0);
	}

	@Override
	public void close() {
		engine.close();
	}

	@Override
	public String toString() {
		return remote.toString();
	}
}
