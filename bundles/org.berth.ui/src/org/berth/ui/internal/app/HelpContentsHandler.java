package org.berth.ui.internal.app;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.ui.handlers.HandlerUtil;

/** Help ▸ Help Contents (F1): the console's help text and its keys, in a dialog (no browser needed). */
public final class HelpContentsHandler extends AbstractHandler {

	@Override
	public Object execute(ExecutionEvent event) {
		new HelpDialog(HandlerUtil.getActiveShell(event)).open();
		return null;
	}
}
