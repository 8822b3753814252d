import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.berth.core.ContainerKind;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.linux.EngineConfig;
import org.berth.core.linux.LinuxEngines;
import org.berth.core.linux.LocalEngine;

/**
 * Whether a start and a stop cost more when many containers run: brings the number of running busybox application
 * containers to each N given (one engine, warm JVM, test roots), then times ROUNDS starts of one more container and
 * its stop (kill, as {@code lxc-stop -k}); define and destroy are not timed. Prints median and p90 per N and one
 * JSON line per figure (for bench.py). Not a test: run with bench/scale/run (root).
 *
 * <pre>java ScaleBench 0 50 200</pre>
 */
public final class ScaleBench {

	private static final int ROUNDS = Integer.getInteger("rounds", 15);
	private static final int WARMUP = 3;

	public static void main(String[] args) throws Exception {
		List<Integer> counts = new ArrayList<>();
		for (String a : args) {
			counts.add(Integer.parseInt(a));
		}
		if (counts.isEmpty()) {
			counts = List.of(0, 50, 200);
		}
		String id = "berth-test-scale-" + Long.toString(System.nanoTime(), 36);
		Path configRoot = Files.createTempDirectory(id);
		Path runRoot = Path.of("/run", id);
		EngineConfig config = EngineConfig.defaults().withRoots(configRoot, runRoot).withCgroupParent(id)
				.withNetwork("br-" + id.substring(id.length() - 6), id, "10.213.9.0/24");
		exec("ip", "netns", "add", id);
		LocalEngine engine = LinuxEngines.open(config);
		System.out.printf(Locale.ROOT, "%-8s %12s %12s %12s %12s%n", "running", "start med", "start p90", "stop med",
				"stop p90");
		try {
			int running = 0;
			for (int n : counts) {
				List<CompletableFuture<ContainerSnapshot>> started = new ArrayList<>();
				for (; running < n; running++) {
					String name = "s" + running;
					started.add(engine.define(spec(name)).thenCompose(s -> engine.start(name)));
				}
				for (CompletableFuture<ContainerSnapshot> f : started) {
					f.get(120, TimeUnit.SECONDS);
				}
				List<Double> starts = new ArrayList<>();
				List<Double> stops = new ArrayList<>();
				for (int r = 0; r < WARMUP + ROUNDS; r++) {
					String name = "x" + r;
					engine.define(spec(name)).get(60, TimeUnit.SECONDS);
					long t0 = System.nanoTime();
					engine.start(name).get(60, TimeUnit.SECONDS);
					long t1 = System.nanoTime();
					engine.kill(name).get(60, TimeUnit.SECONDS);
					long t2 = System.nanoTime();
					engine.destroy(name).get(60, TimeUnit.SECONDS);
					if (r >= WARMUP) {
						starts.add((t1 - t0) / 1e6);
						stops.add((t2 - t1) / 1e6);
					}
				}
				System.out.printf(Locale.ROOT, "%-8d %12.2f %12.2f %12.2f %12.2f%n", n, median(starts), p90(starts),
						median(stops), p90(stops));
				System.out.printf(Locale.ROOT,
						"JSON {\"running\": %d, \"start\": %s, \"stop\": %s}%n", n, list(starts), list(stops));
			}
		} finally {
			List<CompletableFuture<?>> gone = new ArrayList<>();
			for (ContainerSnapshot s : engine.list()) {
				gone.add((s.isActive() ? engine.kill(s.name()) : CompletableFuture.completedFuture(null))
						.handle((r, t) -> null).thenCompose(x -> engine.destroy(s.name())));
			}
			for (CompletableFuture<?> f : gone) {
				try {
					f.get(120, TimeUnit.SECONDS);
				} catch (Exception e) {
					System.err.println("clean-up: " + e);
				}
			}
			engine.close();
			exec("ip", "netns", "del", id);
			deleteTree(runRoot);
			deleteTree(configRoot);
			try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
				for (Path h : hierarchies.toList()) {
					if (Files.isDirectory(h.resolve(id))) {
						System.err.println("left behind: " + h.resolve(id));
					}
				}
			}
		}
	}

	private static ContainerSpec spec(String name) {
		return ContainerSpec.builder(name).template("busybox").kind(ContainerKind.APPLICATION)
				.init(List.of("/bin/sleep", "1000000")).build();
	}

	private static double median(List<Double> xs) {
		List<Double> s = xs.stream().sorted().toList();
		int n = s.size();
		return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
	}

	private static double p90(List<Double> xs) {
		List<Double> s = xs.stream().sorted().toList();
		return s.get(Math.max(0, (int) Math.ceil(0.9 * s.size()) - 1));
	}

	private static String list(List<Double> xs) {
		return xs.stream().map(x -> String.format(Locale.ROOT, "%.3f", x)).toList().toString();
	}

	private static void exec(String... cmd) throws Exception {
		Process p = new ProcessBuilder(cmd).inheritIO().start();
		if (p.waitFor() != 0) {
			throw new IllegalStateException(String.join(" ", cmd) + " failed");
		}
	}

	private static void deleteTree(Path root) throws Exception {
		if (!Files.exists(root)) {
			return;
		}
		try (Stream<Path> all = Files.walk(root)) {
			for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		}
	}
}
