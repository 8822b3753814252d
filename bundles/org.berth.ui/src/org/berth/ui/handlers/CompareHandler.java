package org.berth.ui.handlers;

import java.util.List;

import org.berth.core.ContainerEngine;
import org.berth.ui.compare.CompareDialog;
import org.berth.ui.internal.Engines;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.ui.handlers.HandlerUtil;

/** Compares two selected containers side by side ({@link CompareDialog}). */
public final class CompareHandler extends SelectionHandler {

	@Override
	boolean enabledFor(List<String> names) {
		return names.size() == 2 && Engines.find().isPresent();
	}

	@Override
	public Object execute(ExecutionEvent event) {
		List<String> names = Selections.names(event);
		ContainerEngine engine = Engines.find().orElse(null);
		if (engine == null || names.size() != 2) {
			return null;
		}
		new CompareDialog(HandlerUtil.getActiveShell(event), engine, names.get(0), names.get(1)).open();
		return null;
	}
}
