package org.berth.ui.internal.app;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSnapshot;
import org.berth.core.EngineListener;
import org.berth.ui.internal.Engines;
import org.berth.ui.internal.StateImages;
import org.eclipse.jface.action.ContributionItem;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.resource.LocalResourceManager;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CLabel;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;

/** The status line's "Engine connected · 2 running / 5 total", following the engine's events. */
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
		label.setText(text(engine == null ? null : engine.list()));
		label.setImage(StateImages.image(resources, engine == null ? org.berth.core.ContainerState.ABORTING
				: org.berth.core.ContainerState.RUNNING));
		label.getParent().layout(true);
	}

	/** The status text for these containers; null = no engine. */
	public static String text(List<ContainerSnapshot> all) {
		if (all == null) {
			return "No engine";
		}
		long running = all.stream().filter(ContainerSnapshot::isRunning).count();
		return "Engine connected · " + running + " running / " + all.size() + " total";
	}

	/** The label's text, for tests. */
	public String shownText() {
		return label == null || label.isDisposed() ? null : label.getText();
	}
}
