package org.berth.core.incus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.berth.core.BerthException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client certificate Berth makes, its PEM files and the pinning trust manager. */
class IncusTlsTest {

	@Test
	void aClientCertificateIsMadeOnceInPrivateFiles(@TempDir Path dir) throws Exception {
		Path cert = dir.resolve("keys/client.crt");
		Path key = dir.resolve("keys/client.key");
		Tls.makeClientCertificate(cert, key, "berth@test");
		assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cert)));
		assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
		String certText = Files.readString(cert, StandardCharsets.US_ASCII);
		List<X509Certificate> chain = Tls.certificates(certText);
		assertEquals(1, chain.size());
		X509Certificate c = chain.get(0);
		assertTrue(c.getSubjectX500Principal().getName().contains("CN=berth@test"), c.getSubjectX500Principal()
				.getName());
		assertTrue(c.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2"), "client authentication");
		assertEquals("EC", Tls.privateKey(Files.readString(key, StandardCharsets.US_ASCII)).getAlgorithm());
		assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded())), Tls
				.fingerprint(c));
		assertNotNull(Tls.clientContext(cert, key, Tls.fingerprint(c), new AtomicReference<>()));

		// a second call leaves the pair alone; half a pair is not replaced
		Tls.makeClientCertificate(cert, key, "other");
		assertEquals(certText, Files.readString(cert, StandardCharsets.US_ASCII));
		Files.delete(key);
		BerthException half = assertThrows(BerthException.class, () -> Tls.makeClientCertificate(cert, key, "x"));
		assertTrue(half.getMessage().contains("Only one of"), half.getMessage());
	}

	@Test
	void anOldStyleKeyIsRefusedWithWhatToDo() {
		GeneralSecurityException e = assertThrows(GeneralSecurityException.class, () -> Tls.privateKey(
				"-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n"));
		assertTrue(e.getMessage().contains("openssl pkcs8 -topk8"), e.getMessage());
		assertThrows(GeneralSecurityException.class, () -> Tls.privateKey("nothing"));
	}

	@Test
	void thePinnedTrustManagerAcceptsOnlyThePinnedCertificate(@TempDir Path dir) throws Exception {
		Path cert = dir.resolve("c.crt");
		Tls.makeClientCertificate(cert, dir.resolve("c.key"), "server");
		X509Certificate c = Tls.certificates(Files.readString(cert)).get(0);
		AtomicReference<String> seen = new AtomicReference<>();
		new Tls.Pinned(Tls.fingerprint(c), seen).checkServerTrusted(new X509Certificate[]{c}, "EC");
		assertEquals(Tls.fingerprint(c), seen.get());
		String other = "00".repeat(32);
		var e = assertThrows(java.security.cert.CertificateException.class, () -> new Tls.Pinned(other, seen)
				.checkServerTrusted(new X509Certificate[]{c}, "EC"));
		assertTrue(e.getMessage().contains("not the pinned " + other), e.getMessage());
	}
}
