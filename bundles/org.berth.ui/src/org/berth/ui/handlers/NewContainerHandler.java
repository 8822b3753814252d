package org.berth.ui.handlers;

import org.berth.ui.internal.Engines;
import org.berth.ui.wizards.NewContainerWizard;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.ui.handlers.HandlerUtil;

/** Container ▸ New Container… (Ctrl+N): opens the New Container wizard. */
public final class NewContainerHandler extends AbstractHandler {

	@Override
	public boolean isEnabled() {
		return Engines.connected();
	}

	@Override
	public Object execute(ExecutionEvent event) {
		Engines.find().ifPresent(engine -> NewContainerWizard.dialog(HandlerUtil.getActiveShell(event), engine).open());
		return null;
	}
}
