package org.berth.client;

import java.util.List;

import org.berth.client.inventory.Connection;
import org.berth.core.BerthException;
import org.berth.core.remote.Remote;

/**
 * The agent of another Berth host ({@link Remote}), reached through an ssh of the user's own that forwards its socket
 * ({@link SshTunnel}): the same {@link AgentEngine} as for the local agent, the ssh ended when it is closed. The remote
 * agent lets in whom it lets in locally: the user ssh logs in as must be root or in its group there.
 */
public final class RemoteAgents {

	private RemoteAgents() {
	}

	/**
	 * A connection to the agent of {@code remote} for the console's inventory that keeps itself up: ssh started again
	 * (with a back-off) whenever it ends, the engine reconnecting by itself; its {@link Connection#problem()} says what
	 * is wrong meanwhile. Returns at once: the first connection is made in the background.
	 *
	 * @param ssh the ssh command and its own options, as for {@link #connectOnce}
	 * @throws BerthException when no folder can be made for its socket
	 */
	public static Connection keep(Remote remote, List<String> ssh) throws BerthException {
		if (remote.kind() != Remote.Kind.BERTH) {
			throw new BerthException("connect", remote.name(), remote.name() + " (" + remote.url() + ") is not a"
					+ " Berth host reached over ssh");
		}
		return new RemoteConnection(remote, ssh);
	}

	/**
	 * Connects as {@link AgentEngine#connectOnce(java.nio.file.Path)} does, through ssh.
	 *
	 * @param ssh the ssh command and its own options (e.g. {@code ["ssh"]}, or {@code ["ssh", "-F", "FILE"]})
	 * @throws BerthException with a sentence that names the remote when ssh or the agent there does not answer
	 */
	public static AgentEngine connectOnce(Remote remote, List<String> ssh) throws BerthException {
		SshTunnel tunnel = SshTunnel.open(remote, ssh);
		try {
			AgentEngine engine = AgentEngine.connectOnce(tunnel.socket());
			engine.alsoClose(tunnel);
			return engine;
		} catch (AgentRefusedException e) {
			tunnel.close();
			throw new AgentRefusedException(remote.name() + " (" + remote.ssh() + "): " + e.getMessage());
		} catch (BerthException e) {
			String why = tunnel.whyNoAgent();
			tunnel.close();
			if (!"connect".equals(e.operation())) {
				throw e;
			}
			throw new BerthException("connect", remote.name(), "no Berth agent answers on " + remote.ssh() + " at "
					+ remote.socket() + why + "; start one there as root (any berth command of root's starts one)",
					e);
		}
	}
}
