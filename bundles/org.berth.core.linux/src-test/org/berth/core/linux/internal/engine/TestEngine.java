package org.berth.core.linux.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.berth.core.BerthException;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.linux.EngineConfig;
import org.berth.core.linux.internal.testing.Host;

/**
 * A real engine on its own roots: configs under a temp dir, runtime state under {@code /run/berth-test-X},
 * cgroups under {@code berth-test-X}, its bridge inside a network namespace {@code berth-test-X} that the test
 * made. {@link #close()} destroys every container and checks that nothing is left: no cgroup, no mount, no
 * process, no network namespace.
 */
final class TestEngine implements AutoCloseable {

	static final Duration TIMEOUT = Duration.ofSeconds(30);

	final String id = "berth-test-" + Host.randomSuffix();
	final Path configRoot;
	final Path runRoot = Path.of("/run", id);
	final EngineConfig config;
	LinuxEngine engine;

	TestEngine() throws IOException, BerthException {
		this(c -> c);
	}

	/** An engine whose config is the usual one changed by {@code adjust} (e.g. its LXCFS mount point). */
	TestEngine(UnaryOperator<EngineConfig> adjust) throws IOException, BerthException {
		configRoot = Files.createTempDirectory(id);
		// as /var/lib/berth is: a container with its own user namespace must reach its root file system
		Files.setPosixFilePermissions(configRoot, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
		config = adjust.apply(EngineConfig.defaults().withRoots(configRoot, runRoot).withCgroupParent(id)
				.withNetwork("br-" + id.substring(id.length() - 6), id, "10.213.7.0/24"));
		run("ip", "netns", "add", id);
		try {
			engine = new LinuxEngine(config);
		} catch (BerthException | RuntimeException e) {
			run("ip", "netns", "del", id);
			Files2.deleteTree(configRoot);
			throw e;
		}
	}

	/** A second engine on the same roots, as a later CLI or console process would open it. */
	LinuxEngine reopen() throws BerthException {
		return new LinuxEngine(config);
	}

	static <T> T await(CompletableFuture<T> f) throws Exception {
		try {
			return f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		} catch (ExecutionException e) {
			if (e.getCause() instanceof Exception cause) {
				throw cause;
			}
			throw e;
		}
	}

	ContainerSnapshot define(ContainerSpec spec) throws Exception {
		return await(engine.define(spec));
	}

	ContainerSnapshot start(String name) throws Exception {
		return await(engine.start(name));
	}

	/** Leaves of cgroups named after this engine in any hierarchy. */
	List<Path> cgroupsLeft() throws IOException {
		List<Path> left = new ArrayList<>();
		try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
			for (Path h : hierarchies.toList()) {
				Path g = h.resolve(id);
				if (Files.isDirectory(g)) {
					left.add(g);
				}
			}
		}
		return left;
	}

	long mountsLeft() throws IOException {
		return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
				.filter(l -> l.contains(configRoot.toString()) || l.contains(id)).count();
	}

	@Override
	public void close() throws Exception {
		try {
			for (ContainerSnapshot s : engine.list()) {
				if (s.isActive()) {
					await(engine.kill(s.name()));
				}
			}
			// sharers first: a container others share with cannot go before them
			List<ContainerSnapshot> all = new ArrayList<>(engine.list());
			all.sort((a, b) -> Boolean.compare(sharedWithByOthers(a.name()), sharedWithByOthers(b.name())));
			for (ContainerSnapshot s : all) {
				await(engine.destroy(s.name()));
			}
			engine.close();
			run("ip", "netns", "del", id);
			assertEquals(List.of(), cgroupsLeft(), "cgroups left behind");
			assertEquals(0, mountsLeft(), "mounts left behind");
		} finally {
			if (Files.exists(Path.of("/run/netns", id))) {
				run("ip", "netns", "del", id);
			}
			Files2.deleteTree(runRoot);
			Files2.deleteTree(configRoot);
		}
	}

	private boolean sharedWithByOthers(String name) {
		return engine.list().stream().anyMatch(s -> s.spec().namespaces().values().stream()
				.anyMatch(ns -> name.equals(ns.shareWith())));
	}

	static String run(String... cmd) throws IOException {
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes()).trim();
		try {
			if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
				throw new IOException(String.join(" ", cmd) + " failed: " + out);
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", e);
		}
		return out;
	}
}
