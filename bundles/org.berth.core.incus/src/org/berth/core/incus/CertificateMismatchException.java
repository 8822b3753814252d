package org.berth.core.incus;

import org.berth.core.BerthException;

/**
 * The Incus server presents a certificate other than the one pinned for it: it may have been made anew, or another
 * machine answers at that address. Nothing was sent to it.
 */
public class CertificateMismatchException extends BerthException {

	private static final long serialVersionUID = 1L;

	private final String pinned;
	private final String presented;

	public CertificateMismatchException(String address, String pinned, String presented) {
		super("connect", address, "The Incus server at " + address + " presents a certificate with SHA-256"
				+ " fingerprint " + presented + ", not the pinned " + pinned + "; nothing was sent to it. If its"
				+ " certificate was made anew on purpose, check the new fingerprint on the server (`incus info`) and"
				+ " pin that one.");
		this.pinned = pinned;
		this.presented = presented;
	}

	/** The fingerprint Berth expected. */
	public String pinned() {
		return pinned;
	}

	/** The fingerprint of the certificate the server presented. */
	public String presented() {
		return presented;
	}
}
