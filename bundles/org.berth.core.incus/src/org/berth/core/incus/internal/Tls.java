package org.berth.core.incus.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import org.berth.core.BerthException;

/**
 * TLS for Incus over HTTPS: PEM files in and out, a client certificate made with the JDK, the SHA-256 fingerprint of
 * a certificate as Incus shows it, and a trust manager that accepts exactly the pinned server certificate (Incus's
 * certificates are self-signed: no authority vouches for them, the pin does).
 */
public final class Tls {

	private Tls() {
	}

	/** The SHA-256 of the certificate's DER encoding, 64 lower-case hex digits (as {@code incus info} prints it). */
	public static String fingerprint(X509Certificate certificate) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
		} catch (GeneralSecurityException e) {
			throw new IllegalStateException("SHA-256 is missing from this JDK", e);
		}
	}

	private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

	/** The blocks of a PEM text: type ("CERTIFICATE", "PRIVATE KEY") and DER bytes, in order. */
	public static List<Object[]> pemBlocks(String text) {
		List<Object[]> blocks = new ArrayList<>();
		Matcher m = PEM.matcher(text);
		while (m.find()) {
			blocks.add(new Object[]{m.group(1), Base64.getMimeDecoder().decode(m.group(2).trim())});
		}
		return blocks;
	}

	/** The certificates in a PEM text, in order. */
	public static List<X509Certificate> certificates(String pem) throws CertificateException {
		CertificateFactory f = CertificateFactory.getInstance("X.509");
		List<X509Certificate> certs = new ArrayList<>();
		for (Object[] b : pemBlocks(pem)) {
			if ("CERTIFICATE".equals(b[0])) {
				certs.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream((byte[]) b[1])));
			}
		}
		return certs;
	}

	/**
	 * The private key in a PEM text: PKCS#8 ("PRIVATE KEY"), EC, RSA or Ed25519.
	 *
	 * @throws GeneralSecurityException with a sentence for another form (e.g. OpenSSL's older "EC PRIVATE KEY")
	 */
	public static PrivateKey privateKey(String pem) throws GeneralSecurityException {
		for (Object[] b : pemBlocks(pem)) {
			if ("PRIVATE KEY".equals(b[0])) {
				PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec((byte[]) b[1]);
				for (String algorithm : new String[]{"EC", "RSA", "Ed25519"}) {
					try {
						return KeyFactory.getInstance(algorithm).generatePrivate(spec);
					} catch (GeneralSecurityException e) {
						// another algorithm
					}
				}
				throw new GeneralSecurityException("the private key is neither EC, RSA nor Ed25519");
			}
			if (((String) b[0]).endsWith("PRIVATE KEY")) {
				throw new GeneralSecurityException("the key is a \"" + b[0] + "\"; Berth reads unencrypted PKCS#8"
						+ " keys (\"PRIVATE KEY\"): convert it with `openssl pkcs8 -topk8 -nocrypt -in KEY -out"
						+ " KEY.pk8`");
			}
		}
		throw new GeneralSecurityException("there is no private key in it");
	}

	/** {@code der} as a PEM block of {@code type}, lines of 64 characters. */
	public static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

	/**
	 * The TLS context of a connection to an Incus server: Berth's client certificate from the PEM files, and trust in
	 * the one server certificate whose fingerprint is {@code pinned}. The fingerprint the server presented is put in
	 * {@code presented}, so a refused connection can say which it was.
	 */
	public static SSLContext clientContext(Path certificate, Path key, String pinned,
			AtomicReference<String> presented) throws BerthException {
		try {
			List<X509Certificate> chain = certificates(Files.readString(certificate, StandardCharsets.US_ASCII));
			if (chain.isEmpty()) {
				throw new BerthException("connect", certificate.toString(), "There is no certificate in "
						+ certificate + ".");
			}
			PrivateKey k;
			try {
				k = privateKey(Files.readString(key, StandardCharsets.US_ASCII));
			} catch (GeneralSecurityException e) {
				throw new BerthException("connect", key.toString(), "Cannot use the client key " + key + ": "
						+ e.getMessage() + ".", e);
			}
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(null, null);
			char[] none = new char[0];
			store.setKeyEntry("berth", k, none, chain.toArray(new Certificate[0]));
			KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			kmf.init(store, none);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(kmf.getKeyManagers(), new TrustManager[]{new Pinned(pinned, presented)}, null);
			return context;
		} catch (IOException e) {
			throw new BerthException("connect", certificate.toString(), "Cannot read the client certificate: "
					+ e.getMessage(), e);
		} catch (GeneralSecurityException e) {
			throw new BerthException("connect", certificate.toString(), "Cannot use the client certificate "
					+ certificate + ": " + e.getMessage(), e);
		}
	}

	/**
	 * First contact: the SHA-256 fingerprint of the certificate the server at {@code uri} ({@code https://host:port})
	 * presents, for a person to compare with what the server shows ({@code incus info}) before it is pinned. Nothing
	 * but the TLS handshake is sent.
	 */
	public static String serverFingerprint(URI uri, int timeoutMillis) throws BerthException {
		AtomicReference<String> seen = new AtomicReference<>();
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, new TrustManager[]{new Pinned(null, seen)}, null);
			try (Socket plain = new Socket()) {
				plain.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), timeoutMillis);
				plain.setSoTimeout(timeoutMillis);
				try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, uri.getHost(),
						uri.getPort(), false)) {
					s.startHandshake();
				}
			}
		} catch (IOException e) {
			if (seen.get() == null) {
				throw new BerthException("connect", uri.toString(), "No Incus server answers with TLS at " + uri
						+ ": " + e.getMessage(), e);
			}
		} catch (GeneralSecurityException e) {
			throw new IllegalStateException("this JDK has no TLS", e);
		}
		if (seen.get() == null) {
			throw new BerthException("connect", uri.toString(), "The server at " + uri + " presented no"
					+ " certificate.");
		}
		return seen.get();
	}

	/**
	 * Makes a self-signed EC (P-384) client certificate valid for ten years, for {@code commonName}, into the PEM
	 * files {@code certificate} and {@code key} (made 0600; their folder is made too), with the JDK's keytool. Does
	 * nothing when both exist; refuses to replace one of them alone.
	 */
	public static void makeClientCertificate(Path certificate, Path key, String commonName) throws BerthException {
		if (Files.exists(certificate) && Files.exists(key)) {
			return;
		}
		if (Files.exists(certificate) || Files.exists(key)) {
			throw new BerthException("certificate", certificate.toString(), "Only one of " + certificate + " and "
					+ key + " exists; remove it or give its partner, Berth does not replace half of a pair.");
		}
		Path tmp = null;
		try {
			Files.createDirectories(certificate.toAbsolutePath().getParent());
			Files.createDirectories(key.toAbsolutePath().getParent());
			tmp = Files.createTempDirectory("berth-incus-cert", PosixFilePermissions.asFileAttribute(
					PosixFilePermissions.fromString("rwx------")));
			Path store = tmp.resolve("client.p12");
			String password = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
					(System.nanoTime() + ":" + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
			Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
			Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "berth", "-keyalg", "EC",
					"-groupname", "secp384r1", "-sigalg", "SHA384withECDSA", "-validity", "3650", "-dname", "CN="
							+ commonName.replace(",", "\\,"),
					"-ext", "EKU=clientAuth", "-storetype", "PKCS12",
					"-keystore", store.toString(), "-storepass", password, "-keypass", password).redirectErrorStream(
							true)
					.start();
			p.getOutputStream().close();
			String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
				p.destroyForcibly();
				throw new BerthException("certificate", certificate.toString(), "keytool could not make a client"
						+ " certificate: " + out);
			}
			KeyStore ks = KeyStore.getInstance("PKCS12");
			try (var in = Files.newInputStream(store)) {
				ks.load(in, password.toCharArray());
			}
			PrivateKey k = (PrivateKey) ks.getKey("berth", password.toCharArray());
			X509Certificate c = (X509Certificate) ks.getCertificate("berth");
			writePrivate(key, pem("PRIVATE KEY", k.getEncoded()));
			writePrivate(certificate, pem("CERTIFICATE", c.getEncoded()));
		} catch (IOException | GeneralSecurityException e) {
			throw new BerthException("certificate", certificate.toString(), "Cannot make a client certificate in "
					+ certificate + ": " + e.getMessage(), e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new BerthException("certificate", certificate.toString(), "Interrupted while making a client"
					+ " certificate.");
		} finally {
			if (tmp != null) {
				try (var files = Files.list(tmp)) {
					for (Path f : files.toList()) {
						Files.deleteIfExists(f);
					}
					Files.deleteIfExists(tmp);
				} catch (IOException e) {
					// a temporary folder of our own, 0700: left for the system's cleaning
				}
			}
		}
	}

	/** Writes a new file, 0600 from the start (never readable by others, not even for a moment). */
	private static void writePrivate(Path file, String text) throws IOException {
		try {
			Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions
					.fromString("rw-------"))), text, StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
		} catch (FileAlreadyExistsException e) {
			throw new IOException(file + " appeared meanwhile; it was left as it is", e);
		}
	}

	/** The DER of a certificate, for tests and messages. */
	static byte[] der(X509Certificate c) {
		try {
			return c.getEncoded();
		} catch (CertificateEncodingException e) {
			throw new IllegalStateException(e);
		}
	}

	/**
	 * Trusts the one server certificate whose fingerprint is {@code pinned} (null: any, for first contact only), and
	 * remembers the fingerprint it was shown. Client certificates are not checked here: Berth is never the server.
	 */
	static final class Pinned extends X509ExtendedTrustManager {
		private final String pinned;
		private final AtomicReference<String> presented;

		Pinned(String pinned, AtomicReference<String> presented) {
			this.pinned = pinned;
			this.presented = presented;
		}

		private void check(X509Certificate[] chain) throws CertificateException {
			if (chain == null || chain.length == 0) {
				throw new CertificateException("the server presented no certificate");
			}
			String f = fingerprint(chain[0]);
			presented.set(f);
			if (pinned != null && !pinned.equals(f)) {
				throw new CertificateException("the server's certificate has SHA-256 fingerprint " + f
						+ ", not the pinned " + pinned);
			}
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			check(chain);
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			check(chain);
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			check(chain);
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			throw new CertificateException("Berth does not accept TLS clients here");
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			throw new CertificateException("Berth does not accept TLS clients here");
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			throw new CertificateException("Berth does not accept TLS clients here");
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return new X509Certificate[0];
		}
	}
}
