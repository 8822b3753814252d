package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

import org.berth.core.BerthException;

/**
 * Finds the native helper: the configured path, else the {@code /native/berth-helper} resource of this bundle.
 * A jar loses the executable bit, so a resource inside a jar is copied once to {@code RUN_ROOT/.bin/} under a name
 * made of its hash, and reused while its content is the same, byte for byte (a copy changed since, by anything, is
 * replaced: the helper runs as root and enters containers).
 */
final class HelperBinary {

	static final String RESOURCE = "/native/berth-helper";

	private HelperBinary() {
	}

	static Path locate(Path configured, Path runRoot) throws BerthException {
		if (configured != null) {
			if (!Files.isExecutable(configured)) {
				throw new BerthException("helper", configured.toString(), "the helper " + configured
						+ " is missing or not executable");
			}
			return reachable(configured, runRoot);
		}
		URL url = HelperBinary.class.getResource(RESOURCE);
		if (url == null) {
			throw new BerthException("helper", RESOURCE, "this Berth was built without its native helper ("
					+ RESOURCE + " is missing from org.berth.core.linux)");
		}
		try {
			if (url.getProtocol().equals("file")) {
				Path p = Path.of(url.toURI());
				if (Files.isExecutable(p)) {
					return reachable(p, runRoot);
				}
			}
			byte[] bytes;
			try (InputStream in = url.openStream()) {
				bytes = in.readAllBytes();
			}
			return install(bytes, runRoot);
		} catch (IOException | URISyntaxException e) {
			throw new BerthException("helper", RESOURCE, "could not install the native helper under " + runRoot
					+ ": " + e.getMessage(), e);
		}
	}

	/**
	 * The helper is bound into application containers, whose root is a host uid of its own: one in a folder others
	 * may not pass (a product unpacked under /root, a test's temp folder) is copied to {@code RUN_ROOT/.bin}.
	 */
	private static Path reachable(Path helper, Path runRoot) throws BerthException {
		try {
			for (Path d = helper.toAbsolutePath().getParent(); d != null; d = d.getParent()) {
				if (!Files.getPosixFilePermissions(d)
						.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
					return install(Files.readAllBytes(helper), runRoot);
				}
			}
			return helper;
		} catch (IOException e) {
			throw new BerthException("helper", helper.toString(), "could not copy the native helper " + helper
					+ " under " + runRoot + ": " + e.getMessage(), e);
		}
	}

	/** The helper's bytes as an executable under {@code RUN_ROOT/.bin}, named by their hash; reused when identical. */
	private static Path install(byte[] bytes, Path runRoot) throws IOException {
		try {
			String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
			Path dir = runRoot.resolve(".bin");
			Path target = dir.resolve("berth-helper-" + hash);
			if (Files.isExecutable(target) && Files.size(target) == bytes.length
					&& Arrays.equals(Files.readAllBytes(target), bytes)) {
				return target;
			}
			Files2.privateDirectories(dir);
			Path tmp = Files.createTempFile(dir, "berth-helper", ".tmp");
			Files.write(tmp, bytes);
			Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
			Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			return target;
		} catch (NoSuchAlgorithmException e) {
			throw new IOException("no SHA-256 in this JVM", e);
		}
	}
}
