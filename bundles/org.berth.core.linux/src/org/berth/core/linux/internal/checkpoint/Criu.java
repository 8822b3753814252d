package org.berth.core.linux.internal.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

import org.berth.core.linux.internal.sys.Spawn;

/**
 * The CRIU binary Berth checkpoints and restores with, and what its logs say when it fails.
 * <p>
 * Which one: the system property {@code berth.criu} (a path), else the one {@code releng/setup-criu} builds and keeps
 * in {@value #CACHED}, else {@code criu} on the PATH. Debian 12's CRIU 3.17 fails on kernels with the newer vDSO
 * layout, and CRIU before 4.2 hangs on machines whose hardware breakpoints do not work (some virtual machines): setup
 * builds 4.2 from Debian's source when the system's does not pass a real dump and restore.
 */
public final class Criu {

	/** Where {@code releng/setup-criu} keeps the CRIU it built. */
	public static final String CACHED = "/var/cache/berth/criu/criu";

	private static final List<String> PATH_DIRS = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin",
			"/sbin", "/bin");

	/** Log lines that say nothing about why CRIU failed (it goes on after them). */
	private static final List<String> NOISE = List.of("RLIMIT_NOFILE", "iptables", "ip6tables", "execvp(\"ip",
			"Hardware breakpoints", "Can't create a temporary directory", "ghost", "will be ignored");

	private Criu() {
	}

	/** The CRIU to use, or empty when there is none. */
	public static Optional<Path> locate() {
		String configured = System.getProperty("berth.criu");
		if (configured != null && !configured.isBlank()) {
			return Optional.of(Path.of(configured));
		}
		Path cached = Path.of(CACHED);
		if (Files.isExecutable(cached)) {
			return Optional.of(cached);
		}
		return PATH_DIRS.stream().map(d -> Path.of(d, "criu")).filter(Files::isExecutable).findFirst();
	}

	/** The sentence for a host without CRIU. */
	public static String missing() {
		return "checkpoint and restore need CRIU, and this host has none that Berth found (" + CACHED + " or criu on"
				+ " the PATH): run releng/setup-criu as root, which builds one that works on this kernel";
	}

	/**
	 * Runs CRIU, its standard output and error appended to {@code output}, and waits at most {@code timeout}. It is
	 * started with posix_spawn ({@link Spawn}), not ProcessBuilder, whose helper program execs twice: a checkpoint's
	 * container is frozen meanwhile.
	 *
	 * @return its exit status, or -1 when it was killed for taking too long
	 */
	public static int run(List<String> args, Path output, Duration timeout) throws IOException {
		try (Spawn p = Spawn.start(args, Spawn.Stdio.NULL, Spawn.Stdio.file(output, true), Spawn.Stdio.STDOUT)) {
			OptionalInt status = p.waitFor(timeout);
			if (status.isPresent()) {
				return status.getAsInt();
			}
			p.kill();
			p.waitFor(Duration.ofMinutes(1));
			return -1;
		}
	}

	/**
	 * The lines of a CRIU log that say why it failed: its {@code Error} lines, without those it logs on every run
	 * and goes on after; at most {@code max}, first first, each without the time stamp and source position.
	 */
	public static List<String> errors(Path log, int max) {
		List<String> found = new ArrayList<>();
		if (!Files.isReadable(log)) {
			return found;
		}
		try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
			lines.filter(l -> l.contains("Error (")).filter(l -> NOISE.stream().noneMatch(l::contains))
					.map(Criu::withoutPrefix).distinct().limit(max).forEach(found::add);
		} catch (IOException | java.io.UncheckedIOException e) {
			// a log that cannot be read says nothing
		}
		return found;
	}

	/** "(00.054043)      1: Error (criu/net.c:2180): net: unix: Failed ..." becomes "net: unix: Failed ...". */
	static String withoutPrefix(String line) {
		int e = line.indexOf("Error (");
		int close = e < 0 ? -1 : line.indexOf("): ", e);
		return close < 0 ? line.strip() : line.substring(close + 3).strip();
	}
}
