package org.berth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.berth.core.ContainerSpec;
import org.berth.core.ExecRequest;
import org.berth.core.Limits;
import org.berth.core.Sizes;
import org.berth.ui.charts.ChartKind;
import org.berth.ui.charts.GraphsView;
import org.eclipse.swtchart.ISeries;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Resource Graphs view in the real workbench on two real running containers, one of them burning CPU: both
 * are charted from the engine's sampler and the burner shows as busy. Screenshot: graphs-live.png.
 */
class GraphsLiveTest {

	@RegisterExtension
	static final Workbench workbench = Workbench.withContainers();

	private static final Duration TIMEOUT = Duration.ofSeconds(60);
	private static final List<String> NAMES = List.of("uit-burn", "uit-idle");

	@BeforeEach
	void setUp() throws Exception {
		workbench.run(ContainerSpec.builder("uit-burn").template("busybox").build());
		workbench.run(ContainerSpec.builder("uit-idle").template("busybox")
				.limits(Limits.NONE.withMemoryBytes(64 * Sizes.MIB)).build());
		// a CPU burner left running in the background of the container
		Workbench.get(workbench.engine().exec("uit-burn",
				ExecRequest.of("sh", "-c", "while :; do :; done >/dev/null 2>&1 &")));
	}

	@Test
	void graphsTwoRunningContainersFromRealCounters() throws Exception {
		GraphsView view = Workbench.showView(GraphsView.ID, GraphsView.class);
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
		Screenshots.save(Workbench.sync(() -> Workbench.window().getShell()), "graphs-live");
	}

	private static double tail(double[] ys) {
		return ys.length == 0 ? 0 : ys[ys.length - 1];
	}
}
