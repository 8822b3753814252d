package org.berth.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.berth.core.BerthException;
import org.berth.core.ContainerEngine;
import org.berth.core.incus.IncusEndpoint;
import org.berth.core.incus.IncusEngine;
import org.berth.core.remote.Remote;
import org.berth.core.remote.Remotes;

/**
 * The command line's Incus remotes: where each one is ({@link IncusEndpoint}: the socket, or the address with the
 * user's client certificate and the pinned server certificate), the first contact of {@code berth remote add} and the
 * engine of {@code --remote NAME}.
 */
final class IncusRemotes {

	private IncusRemotes() {
	}

	static ContainerEngine connect(Remote remote, Remotes remotes) throws BerthException {
		return IncusEngine.connect(endpoint(remote, remotes));
	}

	static String serverFingerprint(Remote remote) throws BerthException {
		return IncusEngine.serverFingerprint(remote.url());
	}

	static IncusEndpoint endpoint(Remote remote, Remotes remotes) throws BerthException {
		if (remote.incus().getScheme().equals("unix")) {
			return IncusEndpoint.unix(remote.socket());
		}
		if (remote.fingerprint() == null) {
			throw new BerthException("connect", remote.name(), remote.name() + " (" + remote.url() + ") has no pinned"
					+ " certificate; remove it and add it again (berth remote add shows the server's certificate)");
		}
		return IncusEndpoint.https(remote.url(), remotes.clientCertificate(), remotes.clientKey(),
				remote.fingerprint());
	}

	/**
	 * The first contact: over HTTPS the user's client certificate is made when it is not there yet, and enrolled with
	 * {@code token} when one is given; then the server is asked for its instances. Returns the words that end the
	 * "added" line.
	 */
	static String check(Remote remote, Remotes remotes, String token, Context ctx) throws BerthException {
		IncusEndpoint endpoint = endpoint(remote, remotes);
		if (!endpoint.isUnix()) {
			IncusEngine.makeClientCertificate(remotes.clientCertificate(), remotes.clientKey(), clientName());
			if (token != null) {
				IncusEngine.enrol(endpoint, token, clientName());
			}
		} else if (token != null) {
			ctx.err.println("berth: --token is not needed on a Unix socket (its file mode decides); not used");
		}
		try (IncusEngine engine = IncusEngine.connect(endpoint)) {
			int n = engine.list().size();
			return "; Incus " + engine.serverVersion() + " answers with " + n + " instance" + (n == 1 ? "" : "s");
		} catch (BerthException e) {
			if (!endpoint.isUnix() && token == null) {
				throw new BerthException(e.operation(), remote.name(), e.getMessage() + " (a server trusts this"
						+ " client once given a token made there: incus config trust add NAME, then berth remote"
						+ " add … --token TOKEN); nothing was saved", e);
			}
			throw e;
		}
	}

	/** The name the client certificate has in a server's trust store: berth-USER@HOST. */
	static String clientName() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		} catch (UnknownHostException e) {
			host = "localhost";
		}
		return "berth-" + System.getProperty("user.name") + "@" + host;
	}
}
