package org.berth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSpec;
import org.berth.core.ExecRequest;
import org.berth.core.Limits;
import org.berth.core.Sizes;
import org.berth.ui.charts.ChartKind;
import org.berth.ui.charts.GraphsView;
import org.berth.ui.internal.Engines;
import org.eclipse.swtchart.ISeries;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Resource Graphs view in the real workbench on two real running containers, one of them burning CPU: both
 * are charted from the engine's sampler and the burner shows as busy. Screenshot: graphs-live.png.
 */
@ExtendWith(Workbench.class)
class GraphsLiveTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);
	private static final List<String> NAMES = List.of("uit-burn", "uit-idle");
	private ContainerEngine engine;

	@BeforeEach
	void setUp() throws Exception {
		assumeTrue(Files.readAllLines(Path.of("/proc/self/status")).stream()
				.anyMatch(l -> l.matches("Uid:\\s+0\\s.*")), "real containers need root");
		assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "the busybox template needs /bin/busybox");
		engine = Engines.find().orElseThrow(() -> new AssertionError("no ContainerEngine service"));
		engine.define(ContainerSpec.builder("uit-burn").template("busybox").build()).get(60, TimeUnit.SECONDS);
		engine.define(ContainerSpec.builder("uit-idle").template("busybox")
				.limits(Limits.NONE.withMemoryBytes(64 * Sizes.MIB)).build()).get(60, TimeUnit.SECONDS);
		for (String n : NAMES) {
			engine.start(n).get(60, TimeUnit.SECONDS);
		}
		// a CPU burner left running in the background of the container
		engine.exec("uit-burn", ExecRequest.of("sh", "-c", "while :; do :; done >/dev/null 2>&1 &"))
				.get(60, TimeUnit.SECONDS);
	}

	@AfterEach
	void tearDown() throws Exception {
		if (engine == null) {
			return;
		}
		Workbench.syncRun(() -> {
			var page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
			var ref = page.findViewReference(GraphsView.ID);
			if (ref != null) {
				page.hideView(ref);
			}
		});
		for (String n : NAMES) {
			if (engine.get(n).map(s -> s.isActive()).orElse(false)) {
				engine.kill(n).get(60, TimeUnit.SECONDS);
			}
			if (engine.get(n).isPresent()) {
				engine.destroy(n).get(60, TimeUnit.SECONDS);
			}
		}
	}

	@Test
	void graphsTwoRunningContainersFromRealCounters() throws Exception {
		GraphsView view = Workbench.sync(() -> {
			try {
				IViewPart part = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage()
						.showView(GraphsView.ID);
				return part.getAdapter(GraphsView.class);
			} catch (Exception e) {
				throw new AssertionError(e);
			}
		});
		assertTrue(view != null, "the Resource Graphs view opens");
		Workbench.syncRun(() -> {
			view.setRange(Duration.ofMinutes(1));
			view.show(NAMES);
		});
		Workbench.waitUntil("the burner charted above 20 % of the host and the idle one charted too", TIMEOUT,
				() -> Workbench.sync(() -> {
					ISeries<?>[] cpu = view.chart(ChartKind.CPU).getSeriesSet().getSeries();
					boolean busy = Arrays.stream(cpu).filter(s -> s.getId().contains("uit-burn"))
							.anyMatch(s -> tail(s.getYSeries()) > 20);
					boolean idle = Arrays.stream(cpu).filter(s -> s.getId().contains("uit-idle"))
							.anyMatch(s -> s.getYSeries().length >= 3);
					return busy && idle;
				}));
		Boolean memoryLimitDrawn = Workbench.sync(() -> Arrays.stream(view.chart(ChartKind.MEMORY).getSeriesSet()
				.getSeries()).anyMatch(s -> s.getId().contains("uit-idle") && s.getYSeries().length > 0));
		assertTrue(memoryLimitDrawn, "memory of the limited container is charted");
		Screenshots.save(Workbench.sync(() -> PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell()),
				"graphs-live");
	}

	private static double tail(double[] ys) {
		return ys.length == 0 ? 0 : ys[ys.length - 1];
	}
}
