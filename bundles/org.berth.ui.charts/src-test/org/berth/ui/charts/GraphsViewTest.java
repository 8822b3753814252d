package org.berth.ui.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.berth.core.testing.FakeEngine;
import org.berth.core.testing.ListHistory;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.SWTError;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swtchart.ISeries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The graphs and limit hits views in a shell (needs a display: Xvfb in the build) on two containers with a busy
 * history; saves screenshots under {@code target/screenshots/} (property {@code berth.screenshots}).
 */
class GraphsViewTest {

	private static final long MIB = 1024 * 1024;

	private Display display;
	private Shell shell;
	private final FakeEngine engine = new FakeEngine();

	@BeforeEach
	void setUp() {
		assumeTrue(System.getenv("DISPLAY") != null, "needs a display (run under xvfb-run)");
		try {
			display = Display.getDefault();
		} catch (SWTError | UnsatisfiedLinkError e) {
			assumeTrue(false, "no display: " + e);
		}
		shell = new Shell(display);
		shell.setText("Resource Graphs");
		shell.setLayout(new FillLayout());
		shell.setSize(1100, 800);
		long now = System.currentTimeMillis();
		ListHistory web = engine.running("web");
		ListHistory db = engine.running("db");
		for (int s = 300; s >= 1; s--) {
			double wave = Math.sin(s / 20.0);
			web.add(now - s * 1000L, ListHistory.sample(30 + 20 * wave, 60 + 40 * wave, (long) ((100 + 60 * wave)
					* MIB), 256 * MIB, 12 + (s % 7), 100, 40_000 + 30_000 * wave, 9_000, 0));
			db.add(now - s * 1000L, ListHistory.sample(10 + 5 * Math.cos(s / 9.0), Double.NaN, (long) ((180 - s / 4.0)
					* MIB), -1, 30, -1, 5_000, 80_000 + 20_000 * Math.cos(s / 15.0), s < 60 ? 1 : 0));
		}
	}

	@AfterEach
	void tearDown() {
		if (shell != null) {
			shell.dispose();
		}
	}

	private void until(String what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("timed out waiting for " + what);
			}
			if (!display.readAndDispatch()) {
				display.timerExec(20, () -> {
				});
				display.sleep();
			}
		}
	}

	@Test
	void twoContainersOverlaidWithTheirLimits() throws Exception {
		GraphsView view = new GraphsView();
		view.setEngine(engine);
		view.createPartControl(shell);
		shell.open();
		view.selectionChanged(new StructuredSelection(List.of(engine.get("web").orElseThrow(),
				engine.get("db").orElseThrow())));
		view.setRange(Duration.ofMinutes(10));
		until("both containers charted", () -> view.chart(ChartKind.CPU).getSeriesSet().getSeries().length == 3);
		List<String> cpu = Arrays.stream(view.chart(ChartKind.CPU).getSeriesSet().getSeries()).map(ISeries::getId)
				.toList();
		assertEquals(List.of("web", "web limit", "db"), cpu);
		assertEquals(List.of("web", "web limit", "db"), ids(view, ChartKind.MEMORY));
		assertEquals(List.of("web rx", "web tx", "db rx", "db tx"), ids(view, ChartKind.NETWORK));
		ISeries<?> memory = view.chart(ChartKind.MEMORY).getSeriesSet().getSeries("web");
		assertEquals(300, memory.getYSeries().length);
		assertEquals(256.0, view.chart(ChartKind.MEMORY).getSeriesSet().getSeries("web limit").getYSeries()[0]);
		assertEquals(-600.0, view.chart(ChartKind.CPU).getAxisSet().getXAxis(0).getRange().lower);
		assertEquals(java.util.Set.of("web", "db"), engine.monitor().watched(),
				"the shown containers are sampled at the interval");
		long ticks = view.ticks();
		until("a live update", () -> view.ticks() > ticks);
		Path png = screenshot("graphs-two-containers");
		assertTrue(Files.size(png) > 5000, "screenshot written: " + png);

		view.setRange(Duration.ofMinutes(1));
		until("the 1 min range", () -> view.chart(ChartKind.CPU).getAxisSet().getXAxis(0).getRange().lower == -60);
		assertTrue(view.chart(ChartKind.CPU).getSeriesSet().getSeries("web").getYSeries().length <= 60);
		shell.dispose();
		assertEquals(null, engine.monitor().watched(), "closing the view ends its watch");
	}

	@Test
	void limitHitsShowsEachRunningContainer() throws Exception {
		LimitHitsView view = new LimitHitsView();
		view.setEngine(engine);
		view.createPartControl(shell);
		shell.open();
		until("two rows", () -> view.viewer().getTable().getItemCount() == 2);
		assertEquals("db", view.viewer().getTable().getItem(0).getText(0));
		assertEquals("1", view.viewer().getTable().getItem(0).getText(2), "db had an OOM kill");
		assertEquals("0", view.viewer().getTable().getItem(1).getText(2));
		screenshot("limit-hits");
	}

	private static List<String> ids(GraphsView view, ChartKind kind) {
		return Arrays.stream(view.chart(kind).getSeriesSet().getSeries()).map(ISeries::getId).toList();
	}

	/**
	 * The shell drawn into an image by its widgets ({@link Shell#print}), so the picture is their current state.
	 * Pending events are run first, with no waiting: a wait for an empty queue can last as long as the views'
	 * own timers keep it busy.
	 */
	private Path screenshot(String name) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (display.readAndDispatch()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("the event queue never emptied");
			}
		}
		Path dir = Path.of(System.getProperty("berth.screenshots", "target/screenshots"));
		Files.createDirectories(dir);
		Path file = dir.resolve(name + ".png");
		Rectangle b = shell.getBounds();
		Image image = new Image(display, b.width, b.height);
		GC gc = new GC(image);
		try {
			if (!shell.print(gc)) {
				throw new AssertionError("the shell cannot draw itself into an image");
			}
			ImageLoader loader = new ImageLoader();
			loader.data = new ImageData[]{image.getImageData()};
			loader.save(file.toString(), SWT.IMAGE_PNG);
		} finally {
			gc.dispose();
			image.dispose();
		}
		return file;
	}
}
