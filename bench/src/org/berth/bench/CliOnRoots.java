package org.berth.bench;

import java.nio.file.Path;

import org.berth.cli.Main;
import org.berth.core.BerthException;
import org.berth.core.linux.EngineConfig;
import org.berth.core.linux.LinuxEngines;

/**
 * The {@code berth} command line on the benchmark's own roots, for a product whose CLI cannot be pointed elsewhere
 * (its {@code EngineConfig} predates {@code fromSystemProperties}): {@code org.berth.cli.Main.run} with an engine
 * opened on {@code -Dberth.configRoot}, {@code -Dberth.runRoot} and {@code -Dberth.cgroupParent}. Run with the
 * {@code berth} script's class path and flags, it costs what the CLI costs, minus the script's Java finder.
 */
public final class CliOnRoots {

	private CliOnRoots() {
	}

	public static void main(String[] args) {
		EngineConfig config = EngineConfig.defaults()
				.withRoots(Path.of(required("berth.configRoot")), Path.of(required("berth.runRoot")))
				.withCgroupParent(required("berth.cgroupParent"));
		System.exit(Main.run(args, System.out, System.err, () -> {
			try {
				return LinuxEngines.open(config);
			} catch (BerthException e) {
				throw new IllegalStateException(e.getMessage(), e);
			}
		}));
	}

	private static String required(String property) {
		String value = System.getProperty(property);
		if (value == null || value.isBlank()) {
			// never fall back to the user's own roots
			System.err.println("CliOnRoots: -D" + property + " is required");
			System.exit(2);
		}
		return value;
	}
}
