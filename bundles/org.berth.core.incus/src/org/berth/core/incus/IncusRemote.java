package org.berth.core.incus;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.berth.core.BerthException;
import org.berth.core.remote.Remote;
import org.berth.core.remote.Remotes;

/**
 * A user's Incus remote ({@link Remote.Kind#INCUS}) as the command line and the console both reach it: where it is
 * (the socket, or the address with the user's client certificate next to the remotes file and the pinned server
 * certificate), and the first contact that {@code berth remote add} and the console's Add Connection make.
 */
public final class IncusRemote {

	private IncusRemote() {
	}

	/**
	 * Where {@code remote} is.
	 *
	 * @throws BerthException when an HTTPS remote has no pinned certificate
	 */
	public static IncusEndpoint endpoint(Remote remote, Remotes remotes) throws BerthException {
		if (remote.incus().getScheme().equals("unix")) {
			return IncusEndpoint.unix(remote.socket());
		}
		if (remote.fingerprint() == null) {
			throw new BerthException("connect", remote.name(), remote.name() + " (" + remote.url() + ") has no pinned"
					+ " certificate; remove it and add it again (adding shows the server's certificate)");
		}
		return IncusEndpoint.https(remote.url(), remotes.clientCertificate(), remotes.clientKey(),
				remote.fingerprint());
	}

	/**
	 * The first contact with {@code remote} (its certificate already pinned when it is HTTPS): the user's client
	 * certificate is made when it is not there yet and enrolled with {@code token} when one is given; then the server
	 * is asked for its instances. Returns what it said: "Incus 6.0.4 answers with 3 instances".
	 *
	 * @param token a trust token made on the server ({@code incus config trust add NAME}), or null
	 * @throws BerthException with a sentence that says what to do when the server does not trust this client
	 */
	public static String firstContact(Remote remote, Remotes remotes, String token) throws BerthException {
		IncusEndpoint endpoint = endpoint(remote, remotes);
		if (!endpoint.isUnix()) {
			IncusEngine.makeClientCertificate(remotes.clientCertificate(), remotes.clientKey(), clientName());
			if (token != null) {
				IncusEngine.enrol(endpoint, token, clientName());
			}
		}
		try (IncusEngine engine = IncusEngine.connect(endpoint)) {
			int n = engine.list().size();
			return "Incus " + engine.serverVersion() + " answers with " + n + " instance" + (n == 1 ? "" : "s");
		} catch (BerthException e) {
			if (!endpoint.isUnix() && token == null) {
				throw new BerthException(e.operation(), remote.name(), e.getMessage() + " (a server trusts this"
						+ " client once given a token made there: incus config trust add NAME)", e);
			}
			throw e;
		}
	}

	/** The name the client certificate has in a server's trust store: berth-USER@HOST. */
	public static String clientName() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		} catch (UnknownHostException e) {
			host = "localhost";
		}
		return "berth-" + System.getProperty("user.name") + "@" + host;
	}
}
