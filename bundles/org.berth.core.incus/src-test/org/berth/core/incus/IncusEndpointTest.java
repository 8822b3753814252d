package org.berth.core.incus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** Addresses and fingerprints as users type them. */
class IncusEndpointTest {

	private static final String F = "0bba86eea8c141cd05a10c374b246b331d3c8871aa96360b43565df81b575216";

	@Test
	void httpsAddresses() {
		assertEquals(URI.create("https://host.example:8443"), IncusEndpoint.parseHttps("https://host.example"));
		assertEquals(URI.create("https://host.example:8443"), IncusEndpoint.parseHttps(" https://Host.Example/ "));
		assertEquals(URI.create("https://127.0.0.1:37159"), IncusEndpoint.parseHttps("https://127.0.0.1:37159"));
		assertEquals(URI.create("https://[::1]:9443"), IncusEndpoint.parseHttps("https://[::1]:9443"));
	}

	@Test
	void whatIsNotAnIncusAddressIsRefusedWithASentence() {
		for (String bad : new String[]{"http://host:8443", "host:8443", "https://user@host", "https://host/1.0",
				"https://host?x=1", "https://", "", "ssh://host"}) {
			IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IncusEndpoint.parseHttps(
					bad), bad);
			assertTrue(e.getMessage().contains("https://host"), e.getMessage());
		}
	}

	@Test
	void unixSockets() {
		IncusEndpoint a = IncusEndpoint.parse("unix:///var/lib/incus/unix.socket", null, null, null);
		assertTrue(a.isUnix());
		assertEquals(Path.of("/var/lib/incus/unix.socket"), a.socket());
		assertEquals(a, IncusEndpoint.parse("/var/lib/incus/unix.socket", null, null, null));
		assertEquals("/var/lib/incus/unix.socket", a.describe());
		assertThrows(IllegalArgumentException.class, () -> IncusEndpoint.parse("unix:relative", null, null, null));
	}

	@Test
	void httpsNeedsACertificateAndAPin() {
		IncusEndpoint e = IncusEndpoint.parse("https://h", Path.of("/c.crt"), Path.of("/c.key"), F.toUpperCase());
		assertFalse(e.isUnix());
		assertEquals(F, e.serverFingerprint());
		assertEquals("https://h:8443", e.describe());
		assertThrows(NullPointerException.class, () -> IncusEndpoint.https("https://h", Path.of("/c.crt"), Path.of(
				"/c.key"), null));
	}

	@Test
	void fingerprintsInEveryUsualSpelling() {
		assertEquals(F, IncusEndpoint.fingerprint(F));
		assertEquals(F, IncusEndpoint.fingerprint(F.toUpperCase()));
		StringBuilder colons = new StringBuilder();
		for (int i = 0; i < F.length(); i += 2) {
			colons.append(i == 0 ? "" : ":").append(F, i, i + 2);
		}
		assertEquals(F, IncusEndpoint.fingerprint(colons.toString().toUpperCase()));
		assertEquals(F, IncusEndpoint.fingerprint("SHA256:" + colons));
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IncusEndpoint.fingerprint(
				F.substring(2)));
		assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> IncusEndpoint.fingerprint("zz" + F.substring(2)));
	}
}
