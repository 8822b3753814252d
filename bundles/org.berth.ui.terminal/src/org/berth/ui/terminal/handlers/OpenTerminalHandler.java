package org.berth.ui.terminal.handlers;

import org.berth.core.TerminalRequest;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;

/**
 * {@code org.berth.ui.terminal.open}: a shell (root's login shell) in each selected running container, one tab
 * each. The size is the tab's: the connector replaces the request's 80x24 with it before the shell starts.
 */
public final class OpenTerminalHandler extends AbstractHandler {

	/** The command id. */
	public static final String COMMAND_ID = "org.berth.ui.terminal.open";

	@Override
	public Object execute(ExecutionEvent event) throws ExecutionException {
		TerminalHandlers.open(event, TerminalHandlers.running(event, TerminalHandlers.selectedContainers(event)),
				TerminalRequest.shell(80, 24));
		return null;
	}
}
