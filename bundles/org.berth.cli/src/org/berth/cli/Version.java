package org.berth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.util.Locale;
import java.util.jar.Manifest;

import picocli.CommandLine.IVersionProvider;

/** The version of the CLI: the Bundle-Version of its own manifest ("development build" when run from classes). */
final class Version implements IVersionProvider {

	private static final String CLASS_FILE = "org/berth/cli/Version.class";

	@Override
	public String[] getVersion() {
		return lines();
	}

	static String[] lines() {
		return new String[]{"berth " + number(),
				"java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + "), "
						+ System.getProperty("os.name", "unknown OS").toLowerCase(Locale.ROOT) + " "
						+ System.getProperty("os.version", "")};
	}

	/** The Bundle-Version next to this class, e.g. "0.1.0.202501011200". */
	static String number() {
		URL self = Version.class.getResource("/" + CLASS_FILE);
		if (self != null) {
			String s = self.toString();
			if (s.endsWith(CLASS_FILE)) {
				try (InputStream in = URI.create(s.substring(0, s.length() - CLASS_FILE.length())
						+ "META-INF/MANIFEST.MF").toURL().openStream()) {
					String v = new Manifest(in).getMainAttributes().getValue("Bundle-Version");
					if (v != null && !v.isBlank()) {
						return v.trim();
					}
				} catch (IOException | IllegalArgumentException e) {
					// no manifest beside the classes: a development build
				}
			}
		}
		return "(development build)";
	}
}
