package org.berth.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** What the command line's tests with real containers (as root) share. */
final class RootTests {

	private RootTests() {
	}

	/** Whether this process acts as root (its effective uid is 0). */
	static boolean isRoot() {
		try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
			return lines.filter(l -> l.startsWith("Uid:")).anyMatch(l -> l.split("\\s+")[2].equals("0"));
		} catch (IOException e) {
			return false;
		}
	}

	/** Removes {@code root} and everything below it, if it is there. */
	static void deleteTree(Path root) throws IOException {
		if (root == null || !Files.exists(root)) {
			return;
		}
		try (Stream<Path> all = Files.walk(root)) {
			for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		}
	}

	/** {@code word} in single quotes, for a shell. */
	static String quote(String word) {
		return "'" + word.replace("'", "'\\''") + "'";
	}

	/**
	 * The class path that runs {@code berth} ({@link Main}) in a process of its own: where berth's classes come from
	 * here (a test runner's own class path may hide them in a class loader).
	 */
	static String classPath() throws Exception {
		List<String> entries = new ArrayList<>();
		for (String name : List.of("org.berth.cli.Main", "org.berth.core.linux.LocalEngine",
				"org.berth.core.ContainerSpec", "org.berth.client.AgentEngine", "picocli.CommandLine",
				"com.google.gson.Gson", "com.sun.jna.Native", "com.sun.jna.platform.linux.LibC")) {
			Class<?> c = Class.forName(name, false, RootTests.class.getClassLoader());
			String entry = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
			if (!entries.contains(entry)) {
				entries.add(entry);
			}
		}
		return String.join(java.io.File.pathSeparator, entries);
	}
}
