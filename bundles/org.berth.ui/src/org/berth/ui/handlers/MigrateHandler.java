package org.berth.ui.handlers;

import java.util.List;

import org.berth.core.ContainerEngine;
import org.berth.ui.internal.Engines;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.HandlerUtil;

/**
 * Container > Migrate…: moves the selected container to another Berth host through the {@link MigrateDialog}, which
 * asks for the target and shows the migration to its end. Enabled for one running or stopped container.
 */
public final class MigrateHandler extends SelectionHandler {

	@Override
	boolean enabledFor(List<String> names) {
		ContainerEngine engine = Engines.find().orElse(null);
		return engine != null && Selections.snapshots(engine, names).map(MigrateActions::canMigrate).orElse(false);
	}

	@Override
	public Object execute(ExecutionEvent event) {
		List<String> names = Selections.names(event);
		ContainerEngine engine = Engines.find().orElse(null);
		if (engine == null || !enabledFor(names)) {
			return null;
		}
		open(HandlerUtil.getActiveShell(event), engine, names.get(0));
		return null;
	}

	/** Opens the Migrate dialog on {@code name} and returns once it is closed (the editor's button does this too). */
	public static void open(Shell parent, ContainerEngine engine, String name) {
		new MigrateDialog(parent, engine, name).open();
	}
}
