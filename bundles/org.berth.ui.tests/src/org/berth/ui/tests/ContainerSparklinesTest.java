package org.berth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSpec;
import org.berth.core.Metric;
import org.berth.ui.containers.ContainersView;
import org.berth.ui.internal.Engines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CPU % and Memory cells of the Containers view draw a sparkline of the engine's last minute of samples for a
 * real running container. Screenshot: containers-sparklines.png.
 */
@ExtendWith(Workbench.class)
class ContainerSparklinesTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);
	private static final String NAME = "uit-spark";
	private ContainerEngine engine;

	@BeforeEach
	void setUp() throws Exception {
		assumeTrue(Files.readAllLines(Path.of("/proc/self/status")).stream()
				.anyMatch(l -> l.matches("Uid:\\s+0\\s.*")), "real containers need root");
		assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "the busybox template needs /bin/busybox");
		engine = Engines.find().orElseThrow(() -> new AssertionError("no ContainerEngine service"));
		assumeTrue(engine.monitoring().isPresent(), "the engine keeps no usage history");
		engine.define(ContainerSpec.builder(NAME).template("busybox").build()).get(60, TimeUnit.SECONDS);
		engine.start(NAME).get(60, TimeUnit.SECONDS);
	}

	@AfterEach
	void tearDown() throws Exception {
		if (engine == null) {
			return;
		}
		if (engine.get(NAME).map(s -> s.isActive()).orElse(false)) {
			engine.kill(NAME).get(60, TimeUnit.SECONDS);
		}
		if (engine.get(NAME).isPresent()) {
			engine.destroy(NAME).get(60, TimeUnit.SECONDS);
		}
	}

	@Test
	void aRunningContainersRowGetsCpuAndMemorySparklines() throws Exception {
		ContainersView view = ContainerConsoleTest.containersView();
		Workbench.waitUntil(NAME + " has CPU and memory sparklines of at least 5 points", TIMEOUT,
				() -> points(view.sparkline(NAME, Metric.CPU_PERCENT)) >= 5
						&& points(view.sparkline(NAME, Metric.MEMORY_BYTES)) >= 5);
		assertTrue(Arrays.stream(view.sparkline(NAME, Metric.MEMORY_BYTES)).anyMatch(v -> v > 0),
				"a running container uses some memory");
		Workbench.syncRun(() -> {
			view.viewer().getTable().redraw();
			view.viewer().getTable().update();
		});
		Screenshots.save(Workbench.sync(() -> ContainerConsoleTest.window().getShell()), "containers-sparklines");
	}

	private static long points(double[] series) {
		return Arrays.stream(series).filter(Double::isFinite).count();
	}
}
