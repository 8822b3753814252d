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
			return configured;
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
					return p;
				}
			}
			byte[] bytes;
			try (InputStream in = url.openStream()) {
				bytes = in.readAllBytes();
			}
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
		} catch (IOException | URISyntaxException | NoSuchAlgorithmException e) {
			throw new BerthException("helper", RESOURCE, "could not install the native helper under " + runRoot
					+ ": " + e.getMessage(), e);
		}
	}
}
