package org.berth.ui.handlers;

import java.util.List;

import org.berth.core.CheckpointRequest;
import org.berth.core.ContainerEngine;
import org.berth.ui.internal.Engines;
import org.berth.ui.jobs.CheckpointJob;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.window.Window;
import org.eclipse.ui.handlers.HandlerUtil;

/**
 * Container > Checkpoint…: asks for the checkpoint's name and options ({@link CheckpointDialog}), then checkpoints
 * the selected running container in a {@link CheckpointJob}. Enabled for one running container.
 */
public final class CheckpointHandler extends SelectionHandler {

	@Override
	boolean enabledFor(List<String> names) {
		ContainerEngine engine = Engines.find().orElse(null);
		return engine != null && Selections.snapshots(engine, names).map(CheckpointActions::canCheckpoint)
				.orElse(false);
	}

	@Override
	public Object execute(ExecutionEvent event) {
		List<String> names = Selections.names(event);
		ContainerEngine engine = Engines.find().orElse(null);
		if (engine == null || !enabledFor(names)) {
			return null;
		}
		String name = names.get(0);
		CheckpointDialog dialog = new CheckpointDialog(HandlerUtil.getActiveShell(event), name);
		if (dialog.open() != Window.OK) {
			return null;
		}
		CheckpointRequest request = dialog.request();
		CheckpointJob.take(engine, name, request).schedule();
		return null;
	}
}
