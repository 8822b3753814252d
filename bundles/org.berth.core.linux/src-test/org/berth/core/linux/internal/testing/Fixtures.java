package org.berth.core.linux.internal.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fixture text under {@code src-test/fixtures/}: found on the class path as {@code /fixtures/NAME} (when
 * src-test is a source folder its non-Java files are copied to the output) or else relative to the bundle
 * directory (the working directory of Tycho's test run).
 */
public final class Fixtures {
	private Fixtures() {
	}

	public static String text(String name) {
		try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
			if (in != null) {
				return new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			Path file = Path.of("src-test", "fixtures", name);
			if (Files.isRegularFile(file)) {
				return Files.readString(file);
			}
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		throw new IllegalStateException("no fixture " + name + " on the class path nor in src-test/fixtures");
	}

	/** The fixture's lines, as the readers pass them to the parsers. */
	public static List<String> lines(String name) {
		return text(name).lines().toList();
	}

	/** Copies a fixture to {@code target}, creating parent directories. */
	public static void copy(String name, Path target) throws IOException {
		Files.createDirectories(target.getParent());
		Files.writeString(target, text(name));
	}
}
