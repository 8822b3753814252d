package org.berth.cli;

import org.berth.core.BerthException;
import org.berth.core.ContainerEngine;
import org.berth.core.incus.IncusEngine;
import org.berth.core.incus.IncusRemote;
import org.berth.core.remote.Remote;
import org.berth.core.remote.Remotes;

/**
 * The command line's Incus remotes: the engine of {@code --remote NAME} and the first contact of
 * {@code berth remote add} ({@link IncusRemote}, which the console uses too), in the command line's words.
 */
final class IncusRemotes {

	private IncusRemotes() {
	}

	static ContainerEngine connect(Remote remote, Remotes remotes) throws BerthException {
		return IncusEngine.connect(IncusRemote.endpoint(remote, remotes));
	}

	static String serverFingerprint(Remote remote) throws BerthException {
		return IncusEngine.serverFingerprint(remote.url());
	}

	/** {@link IncusRemote#firstContact}; returns the words that end the "added" line. */
	static String check(Remote remote, Remotes remotes, String token, Context ctx) throws BerthException {
		boolean unix = remote.incus().getScheme().equals("unix");
		if (unix && token != null) {
			ctx.err.println("berth: --token is not needed on a Unix socket (its file mode decides); not used");
		}
		try {
			return "; " + IncusRemote.firstContact(remote, remotes, unix ? null : token);
		} catch (BerthException e) {
			if (!unix && token == null) {
				throw new BerthException(e.operation(), remote.name(), e.getMessage() + "; berth remote add … --token"
						+ " TOKEN enrols this client; nothing was saved", e);
			}
			throw e;
		}
	}
}
