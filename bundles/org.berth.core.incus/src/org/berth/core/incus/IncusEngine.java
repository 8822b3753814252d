package org.berth.core.incus;

import java.nio.file.Path;

import org.berth.core.BerthException;
import org.berth.core.ContainerEngine;
import org.berth.core.incus.internal.RestEngine;
import org.berth.core.incus.internal.Tls;

/**
 * A {@link ContainerEngine} over the REST API of an Incus (or LXD) server: its instances are the containers. Reached
 * on a local Unix socket or over HTTPS with a client certificate and the server's pinned certificate fingerprint
 * ({@link IncusEndpoint}). The cache is loaded once ({@code /1.0/instances?recursion=1} and the state of each
 * running instance) and kept by Incus's lifecycle events ({@code /1.0/events}, followed once something listens); operations wait on Incus's background
 * operations. What Incus cannot do through it fails with {@link UnsupportedOperationException} and a sentence, and
 * {@link #limitations()} says so.
 * <p>
 * First contact over HTTPS: {@link #serverFingerprint} for a person to compare and confirm, a client certificate
 * ({@link #makeClientCertificate}), {@link #enrol} with a trust token made on the server
 * ({@code incus config trust add NAME}), then {@link #connect}.
 */
public interface IncusEngine extends ContainerEngine {

	/**
	 * Connects: checks that the server trusts this client, loads its instances and follows its events.
	 *
	 * @throws CertificateMismatchException when the server's certificate is not the pinned one
	 * @throws BerthException                when no Incus server answers there or it does not trust this client
	 */
	static IncusEngine connect(IncusEndpoint endpoint) throws BerthException {
		return RestEngine.connect(endpoint);
	}

	/**
	 * An engine that connects by itself: returns at once, makes the first contact in the background and, while that
	 * fails, tries again after 1 s, 2, 4, … up to 30 s; {@link #limitations()} starts with why meanwhile, and
	 * {@link #isConnected()} says when it is done. For a console, which shows a server that is away and waits for it.
	 */
	static IncusEngine open(IncusEndpoint endpoint) throws BerthException {
		return RestEngine.open(endpoint);
	}

	/**
	 * The SHA-256 fingerprint of the certificate the server at {@code address} ({@code https://host[:port]})
	 * presents, for the user to confirm before it is pinned (as ssh asks about a new host key). Sends nothing but a
	 * TLS handshake.
	 */
	static String serverFingerprint(String address) throws BerthException {
		return Tls.serverFingerprint(IncusEndpoint.parseHttps(address), 10_000);
	}

	/**
	 * Makes the server trust this client's certificate with a trust token made there
	 * ({@code incus config trust add NAME}), over HTTPS with the pinned fingerprint: {@code POST /1.0/certificates}.
	 *
	 * @param clientName the name the certificate gets in the server's trust store
	 * @throws BerthException with Incus's sentence when the token is refused
	 */
	static void enrol(IncusEndpoint endpoint, String trustToken, String clientName) throws BerthException {
		RestEngine.enrol(endpoint, trustToken, clientName);
	}

	/**
	 * Makes a self-signed EC client certificate and its key as PEM files (0600), when they do not exist yet; leaves
	 * an existing pair alone.
	 */
	static void makeClientCertificate(Path certificate, Path key, String commonName) throws BerthException {
		Tls.makeClientCertificate(certificate, key, commonName);
	}

	/** Where this engine's server is. */
	IncusEndpoint endpoint();

	/** The server's version as it says ("6.0.4"); empty before the first contact. */
	String serverVersion();

	/**
	 * Whether the server answers and its events are followed now; when not, the first of {@link #limitations()} says
	 * why and that it keeps trying.
	 */
	boolean isConnected();
}
