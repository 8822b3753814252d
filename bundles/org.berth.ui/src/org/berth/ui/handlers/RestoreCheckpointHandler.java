package org.berth.ui.handlers;

import java.util.List;

import org.berth.core.ContainerEngine;
import org.berth.ui.internal.Engines;
import org.berth.ui.jobs.CheckpointJob;
import org.eclipse.core.commands.ExecutionEvent;

/**
 * Container > Restore Checkpoint: resumes the selected stopped container from its newest checkpoint in a
 * {@link CheckpointJob} (the editor's Checkpoints page restores an older one). Enabled for one stopped container.
 */
public final class RestoreCheckpointHandler extends SelectionHandler {

	@Override
	boolean enabledFor(List<String> names) {
		ContainerEngine engine = Engines.find().orElse(null);
		return engine != null && Selections.snapshots(engine, names).map(CheckpointActions::canRestore)
				.orElse(false);
	}

	@Override
	public Object execute(ExecutionEvent event) {
		List<String> names = Selections.names(event);
		ContainerEngine engine = Engines.find().orElse(null);
		if (engine == null || !enabledFor(names)) {
			return null;
		}
		CheckpointJob.restore(engine, names.get(0), null).schedule();
		return null;
	}
}
