import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.berth.core.ContainerSpec;
import org.berth.core.linux.EngineConfig;
import org.berth.core.linux.LinuxEngines;
import org.berth.core.linux.LocalEngine;
import org.berth.core.linux.internal.snapshots.Trees;

/**
 * Snapshot create and restore of a stopped Debian root file system (the debian template's bookworm tarball): the
 * engine in a warm JVM against lxc-snapshot / lxc-snapshot -r on a dir-backed LXC container with the same files,
 * round-robin in one run. Everything is made under /tmp/berth-snapbench-PID and removed at the end.
 */
public final class SnapshotBench {

	private static final String NAME = "snapbench";

	public static void main(String[] args) throws Exception {
		int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
		Path tarball = Path.of(args.length > 1 ? args[1] : "/var/lib/berth/.cache/debian-bookworm.tar");
		if (!Files.isRegularFile(tarball)) {
			throw new IllegalStateException(tarball + " is missing: run berth create x --template debian once (it"
					+ " makes it with debootstrap), then berth destroy x");
		}
		String id = "berth-snapbench-" + ProcessHandle.current().pid();
		Path work = Path.of("/tmp", id);
		Path run = Path.of("/run", id);
		Path lxcpath = work.resolve("lxc");
		EngineConfig config = EngineConfig.defaults().withRoots(work.resolve("berth"), run).withCgroupParent(id);
		Files.createDirectories(work.resolve("berth/.cache"));
		Files.setPosixFilePermissions(work.resolve("berth"), java.nio.file.attribute.PosixFilePermissions
				.fromString("rwxr-xr-x"));
		Files.copy(tarball, work.resolve("berth/.cache/debian-bookworm.tar"));
		LocalEngine engine = LinuxEngines.open(config);
		List<Double> berthCreate = new ArrayList<>();
		List<Double> berthRestore = new ArrayList<>();
		List<Double> lxcCreate = new ArrayList<>();
		List<Double> lxcRestore = new ArrayList<>();
		try {
			engine.define(ContainerSpec.builder(NAME).template("debian").build()).get(10, TimeUnit.MINUTES);
			Path rootfs = config.configRoot().resolve(NAME).resolve("rootfs");
			Path lxcRootfs = Files.createDirectories(lxcpath.resolve(NAME).resolve("rootfs"));
			sh("tar", "-xpf", tarball.toString(), "-C", lxcRootfs.toString());
			Files.writeString(lxcpath.resolve(NAME).resolve("config"), "lxc.uts.name = " + NAME + "\n"
					+ "lxc.rootfs.path = dir:" + lxcRootfs + "\nlxc.net.0.type = empty\n");
			System.out.printf(Locale.ROOT, "root file system: %.0f MiB in %d files (Berth), LXC the same tarball%n",
					Trees.size(rootfs) / 1048576.0, count(rootfs));
			String lxc = lxcpath.toString();
			for (int r = 0; r < rounds; r++) {
				Runnable berth = () -> {
					try {
						sh("sync");
						long t0 = System.nanoTime();
						engine.createSnapshot(NAME, "s").get(10, TimeUnit.MINUTES);
						berthCreate.add(ms(t0));
						sh("sync");
						t0 = System.nanoTime();
						engine.restoreSnapshot(NAME, "s").get(10, TimeUnit.MINUTES);
						berthRestore.add(ms(t0));
						engine.deleteSnapshot(NAME, "s").get(10, TimeUnit.MINUTES);
					} catch (Exception e) {
						throw new IllegalStateException(e);
					}
				};
				Runnable peer = () -> {
					try {
						sh("sync");
						long t0 = System.nanoTime();
						sh("lxc-snapshot", "-P", lxc, "-n", NAME);
						lxcCreate.add(ms(t0));
						sh("sync");
						t0 = System.nanoTime();
						sh("lxc-snapshot", "-P", lxc, "-n", NAME, "-r", "snap0");
						lxcRestore.add(ms(t0));
						sh("lxc-snapshot", "-P", lxc, "-n", NAME, "-d", "snap0");
					} catch (Exception e) {
						throw new IllegalStateException(e);
					}
				};
				if (r % 2 == 0) {
					berth.run();
					peer.run();
				} else {
					peer.run();
					berth.run();
				}
				System.err.printf(Locale.ROOT, "round %d: berth %.0f/%.0f ms, lxc %.0f/%.0f ms%n", r + 1,
						last(berthCreate), last(berthRestore), last(lxcCreate), last(lxcRestore));
			}
		} finally {
			try {
				engine.destroy(NAME).get(10, TimeUnit.MINUTES);
			} finally {
				engine.close();
				if (Files.exists(lxcpath.resolve(NAME))) {
					shQuiet("lxc-destroy", "-P", lxcpath.toString(), "-n", NAME, "-s");
				}
				Trees.delete(work);
				Trees.delete(run);
			}
		}
		System.out.println();
		System.out.println("| " + rounds + " rounds, ms | median | p90 | min | max |");
		System.out.println("|---|---|---|---|---|");
		row("Berth snapshot create", berthCreate);
		row("lxc-snapshot", lxcCreate);
		row("Berth snapshot restore", berthRestore);
		row("lxc-snapshot -r", lxcRestore);
	}

	private static double last(List<Double> xs) {
		return xs.isEmpty() ? Double.NaN : xs.get(xs.size() - 1);
	}

	private static long count(Path root) throws IOException {
		try (var s = Files.walk(root)) {
			return s.count();
		}
	}

	private static double ms(long t0) {
		return (System.nanoTime() - t0) / 1e6;
	}

	private static void row(String what, List<Double> xs) {
		List<Double> s = new ArrayList<>(xs);
		Collections.sort(s);
		int n = s.size();
		double median = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
		double p90 = s.get(Math.max(0, (int) Math.ceil(0.9 * n) - 1));
		System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f |%n", what, median, p90, s.get(0),
				s.get(n - 1));
	}

	private static void sh(String... cmd) throws IOException, InterruptedException {
		Trees.run(List.of(cmd), String.join(" ", cmd));
	}

	private static void shQuiet(String... cmd) {
		try {
			sh(cmd);
		} catch (Exception e) {
			System.err.println("bench: " + e.getMessage());
		}
	}
}
