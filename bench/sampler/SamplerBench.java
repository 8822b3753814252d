import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.berth.core.linux.internal.metrics.Sampler;

/**
 * The sampler's cost per sweep: starts N busybox application containers (each with its own network namespace, so
 * every sweep also reads /proc/PID/net/dev) through the engine on test roots, then times sweeps on this thread
 * (thread CPU time and wall time), and removes everything again. Not a test: run with bench/sampler/run (root).
 *
 * <pre>java SamplerBench 50 200</pre>
 */
public final class SamplerBench {

	private static final int WARMUP = 5;
	private static final int SWEEPS = 50;

	public static void main(String[] args) throws Exception {
		List<Integer> counts = new ArrayList<>();
		for (String a : args) {
			counts.add(Integer.parseInt(a));
		}
		if (counts.isEmpty()) {
			counts = List.of(50, 200);
		}
		System.out.printf(Locale.ROOT, "%-10s %14s %14s %16s %16s%n", "containers", "cpu ms/sweep", "wall ms/sweep",
				"cpu us/container", "cpu % at 1 s");
		for (int n : counts) {
			run(n);
		}
	}

	private static void run(int n) throws Exception {
		String id = "berth-test-bench-" + Long.toString(System.nanoTime(), 36);
		Path configRoot = Files.createTempDirectory(id);
		Path runRoot = Path.of("/run", id);
		EngineConfig config = EngineConfig.defaults().withRoots(configRoot, runRoot).withCgroupParent(id)
				.withNetwork("br-" + id.substring(id.length() - 6), id, "10.213.9.0/24");
		exec("ip", "netns", "add", id);
		LocalEngine engine = LinuxEngines.open(config);
		try {
			List<CompletableFuture<ContainerSnapshot>> started = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				String name = "s" + i;
				started.add(engine.define(ContainerSpec.builder(name).template("busybox")
						.kind(ContainerKind.APPLICATION).init(List.of("/bin/sleep", "1000000")).build())
						.thenCompose(s -> engine.start(name)));
			}
			for (CompletableFuture<ContainerSnapshot> f : started) {
				f.get(120, TimeUnit.SECONDS);
			}
			Sampler sampler = (Sampler) engine.monitoring().orElseThrow();
			sampler.setInterval(Duration.ofDays(1)); // only this thread sweeps from now on
			ThreadMXBean threads = ManagementFactory.getThreadMXBean();
			for (int i = 0; i < WARMUP; i++) {
				sampler.sweep();
			}
			long cpu0 = threads.getCurrentThreadCpuTime();
			long wall0 = System.nanoTime();
			for (int i = 0; i < SWEEPS; i++) {
				sampler.sweep();
			}
			double cpuMs = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6 / SWEEPS;
			double wallMs = (System.nanoTime() - wall0) / 1e6 / SWEEPS;
			long sampled = engine.list().stream().filter(s -> engine.monitoring().orElseThrow().latest(s.name())
					.isPresent()).count();
			if (sampled != n) {
				throw new IllegalStateException("only " + sampled + " of " + n + " containers were sampled");
			}
			System.out.printf(Locale.ROOT, "%-10d %14.2f %14.2f %16.1f %16.2f%n", n, cpuMs, wallMs,
					cpuMs * 1000 / n, cpuMs / 10);
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
		// a container's monitor may still be writing its last records when the engine has settled its end
		long deadline = System.nanoTime() + 10_000_000_000L;
		while (true) {
			try (Stream<Path> all = Files.walk(root)) {
				for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(p);
				}
				return;
			} catch (java.nio.file.DirectoryNotEmptyException | java.io.UncheckedIOException e) {
				if (System.nanoTime() > deadline) {
					throw e;
				}
				Thread.onSpinWait();
			}
		}
	}
}
