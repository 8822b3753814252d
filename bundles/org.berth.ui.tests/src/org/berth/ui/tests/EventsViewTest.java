package org.berth.ui.tests;

import static org.berth.ui.tests.Workbench.sync;
import static org.berth.ui.tests.Workbench.window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.berth.core.ContainerSpec;
import org.berth.ui.events.EventsView;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Events view on the real engine: a container defined, started and stopped shows as lifecycle events, newest on
 * top; the container filter keeps only its rows, a filter nobody matches leaves none. Screenshot {@code events.png}.
 */
class EventsViewTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);
	private static final String A = "events-ui-a";

	@RegisterExtension
	static final Workbench workbench = Workbench.withContainers();

	@Test
	void lifecycleEventsShowNewestFirstAndTheFiltersNarrowThem() throws Exception {
		EventsView view = Workbench.showView(EventsView.ID, EventsView.class);
		workbench.define(ContainerSpec.builder(A).template("busybox").build());
		Workbench.get(workbench.engine().start(A));
		Workbench.get(workbench.engine().stop(A, Duration.ofSeconds(5)));
		Workbench.waitUntil("the stop in the Events view", TIMEOUT, () -> sync(() -> view.shown().stream()
				.anyMatch(r -> r.container().equals(A) && r.action().equals("state") && r.result().equals("stopped"))));
		List<EventsView.Row> rows = sync(view::shown);
		EventsView.Row newest = rows.stream().filter(r -> r.container().equals(A)).findFirst().orElseThrow();
		assertEquals("stopped", newest.result(), "newest on top: " + rows);
		assertTrue(rows.stream().anyMatch(r -> r.container().equals(A) && r.action().equals("defined")),
				rows.toString());

		Text container = sync(() -> Widgets.byId(window().getShell(), "events.container"));
		Workbench.syncRun(() -> container.setText("ui-a"));
		assertTrue(sync(view::shown).stream().allMatch(r -> r.container().contains("ui-a")));
		Table table = sync(() -> Widgets.byId(window().getShell(), "events.table"));
		assertEquals(sync(view::shown).size(), (int) sync(table::getItemCount));
		Screenshots.save(sync(() -> window().getShell()), "events");
		Workbench.syncRun(() -> container.setText("no-such-container"));
		assertEquals(0, (int) sync(table::getItemCount));
		Workbench.syncRun(() -> container.setText(""));
	}
}
