package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Debian mirror this host's apt already uses, for debootstrap: the first {@code deb} source whose suites include
 * the one wanted, from {@code /etc/apt/sources.list} (one-line format) and {@code /etc/apt/sources.list.d/*.list}
 * and {@code *.sources} (deb822). The repository names no mirror of its own. Pure, but for {@link #ofHost}.
 */
final class AptSources {

	private AptSources() {
	}

	/** The mirror of {@code suite} in this host's apt sources, if any. */
	static Optional<String> ofHost(String suite) throws IOException {
		List<String> texts = new ArrayList<>();
		Path main = Path.of("/etc/apt/sources.list");
		if (Files.isRegularFile(main)) {
			texts.add("list\n" + Files.readString(main));
		}
		Path d = Path.of("/etc/apt/sources.list.d");
		if (Files.isDirectory(d)) {
			try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
				for (Path f : files) {
					String n = f.getFileName().toString();
					if (n.endsWith(".list") || n.endsWith(".sources")) {
						texts.add((n.endsWith(".list") ? "list\n" : "sources\n") + Files.readString(f));
					}
				}
			}
		}
		for (String t : texts) {
			int nl = t.indexOf('\n');
			String body = t.substring(nl + 1);
			Optional<String> m = t.startsWith("list") ? fromList(body, suite) : fromDeb822(body, suite);
			if (m.isPresent()) {
				return m;
			}
		}
		return Optional.empty();
	}

	/** {@code deb [options] URI SUITE COMPONENTS...} lines. */
	static Optional<String> fromList(String text, String suite) {
		for (String raw : text.lines().toList()) {
			String line = raw.replaceAll("#.*", "").replaceAll("\\[[^]]*]", " ").trim();
			String[] f = line.split("\\s+");
			if (f.length >= 3 && f[0].equals("deb") && f[2].equals(suite)) {
				return Optional.of(f[1]);
			}
		}
		return Optional.empty();
	}

	/** Stanzas of {@code Types:}, {@code URIs:}, {@code Suites:} (and {@code Enabled: no}), separated by blank lines. */
	static Optional<String> fromDeb822(String text, String suite) {
		for (String stanza : text.split("\\n\\s*\\n")) {
			List<String> types = List.of();
			List<String> uris = List.of();
			List<String> suites = List.of();
			boolean enabled = true;
			for (String raw : stanza.lines().toList()) {
				if (raw.startsWith("#")) {
					continue;
				}
				int colon = raw.indexOf(':');
				if (colon < 0) {
					continue;
				}
				String key = raw.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT);
				List<String> values = List.of(raw.substring(colon + 1).trim().split("\\s+"));
				switch (key) {
					case "types" -> types = values;
					case "uris" -> uris = values;
					case "suites" -> suites = values;
					case "enabled" -> enabled = !values.get(0).equalsIgnoreCase("no");
					default -> {
					}
				}
			}
			if (enabled && types.contains("deb") && suites.contains(suite) && !uris.isEmpty()) {
				return Optional.of(uris.get(0));
			}
		}
		return Optional.empty();
	}
}
