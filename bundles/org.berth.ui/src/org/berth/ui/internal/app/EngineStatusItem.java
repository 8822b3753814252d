package org.berth.ui.internal.app;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSnapshot;
import org.berth.core.EngineListener;
import org.berth.ui.internal.Engines;
import org.berth.ui.internal.StateImages;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.workbench.UIEvents;
import org.eclipse.jface.action.ContributionItem;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.resource.LocalResourceManager;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CLabel;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.PlatformUI;

/**
 * The status line's "Engine connected · 2 running / 5 total" (or "Agent as alice · …"), following the engine's events
 * and, every two seconds, its connection (an agent may come and go without an event).
 */
public final class EngineStatusItem extends ContributionItem {

	/** The id of this item in the status line. */
	public static final String ID = "org.berth.ui.status.engine";

	private final AtomicBoolean pending = new AtomicBoolean();
	private CLabel label;
	private ContainerEngine engine;
	private EngineListener listener;
	private LocalResourceManager resources;

	public EngineStatusItem() {
		super(ID);
	}

	@Override
	public void fill(Composite parent) {
		label = new CLabel(parent, SWT.SHADOW_NONE);
		label.setData("org.berth.ui.test.id", "status.engine");
		resources = new LocalResourceManager(JFaceResources.getResources(), label);
		engine = Engines.find().orElse(null);
		Display display = parent.getDisplay();
		if (engine != null) {
			listener = e -> {
				if (pending.compareAndSet(false, true) && !display.isDisposed()) {
					display.asyncExec(() -> {
						pending.set(false);
						update();
					});
				}
			};
			engine.addListener(listener);
		}
		Runnable tick = new Runnable() {
			@Override
			public void run() {
				if (label != null && !label.isDisposed()) {
					update();
					display.timerExec(2000, this); // a clock for the connection, not a wait for a condition
				}
			}
		};
		display.timerExec(2000, tick);
		label.addDisposeListener(e -> {
			if (engine != null) {
				engine.removeListener(listener);
			}
		});
		update();
	}

	@Override
	public void update() {
		if (label == null || label.isDisposed()) {
			return;
		}
		String connection = engine == null ? null : engine.connection();
		boolean down = engine == null || connection.endsWith("not connected");
		String text = text(connection, engine == null ? null : engine.list());
		if (text.equals(label.getText()) && label.getImage() != null) {
			return;
		}
		boolean wasDown = label.getText() != null && label.getText().endsWith("not connected");
		label.setText(text);
		if (wasDown != down && PlatformUI.isWorkbenchRunning()) {
			// the connection came or went without an event: the actions' enablement follows it
			IEventBroker broker = PlatformUI.getWorkbench().getService(IEventBroker.class);
			if (broker != null) {
				broker.post(UIEvents.REQUEST_ENABLEMENT_UPDATE_TOPIC, UIEvents.ALL_ELEMENT_ID);
			}
		}
		label.setImage(StateImages.image(resources, down ? org.berth.core.ContainerState.ABORTING
				: org.berth.core.ContainerState.RUNNING));
		label.getParent().layout(true);
	}

	/** The status text for these containers; null = no engine. */
	public static String text(List<ContainerSnapshot> all) {
		return text("Engine connected", all);
	}

	/** The status text for an engine's {@link ContainerEngine#connection()} and containers; null = no engine. */
	public static String text(String connection, List<ContainerSnapshot> all) {
		if (all == null) {
			return "No engine";
		}
		if (connection.endsWith("not connected")) {
			return connection;
		}
		long running = all.stream().filter(ContainerSnapshot::isRunning).count();
		return connection + " · " + running + " running / " + all.size() + " total";
	}

	/** The label's text, for tests. */
	public String shownText() {
		return label == null || label.isDisposed() ? null : label.getText();
	}
}
