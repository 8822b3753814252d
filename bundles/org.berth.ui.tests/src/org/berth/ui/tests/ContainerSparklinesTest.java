package org.berth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Arrays;

import org.berth.core.ContainerSpec;
import org.berth.core.Metric;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The CPU % and Memory cells of the Containers view draw a sparkline of the engine's last minute of samples for a
 * real running container. Screenshot: containers-sparklines.png.
 */
class ContainerSparklinesTest {

	@RegisterExtension
	static final Workbench workbench = Workbench.withContainers();

	private static final Duration TIMEOUT = Duration.ofSeconds(60);
	private static final String NAME = "uit-spark";

	@BeforeEach
	void setUp() throws Exception {
		assumeTrue(workbench.engine().monitoring().isPresent(), "the engine keeps no usage history");
		workbench.run(ContainerSpec.builder(NAME).template("busybox").build());
	}

	@Test
	void aRunningContainersRowGetsCpuAndMemorySparklines() throws Exception {
		ContainersPage view = ContainersPage.open();
		Workbench.waitUntil(NAME + " has CPU and memory sparklines of at least 5 points", TIMEOUT,
				() -> points(view.sparkline(NAME, Metric.CPU_PERCENT)) >= 5
						&& points(view.sparkline(NAME, Metric.MEMORY_BYTES)) >= 5);
		assertTrue(Arrays.stream(view.sparkline(NAME, Metric.MEMORY_BYTES)).anyMatch(v -> v > 0),
				"a running container uses some memory");
		Workbench.syncRun(view::redraw);
		Screenshots.save(Workbench.sync(() -> Workbench.window().getShell()), "containers-sparklines");
	}

	private static long points(double[] series) {
		return Arrays.stream(series).filter(Double::isFinite).count();
	}
}
