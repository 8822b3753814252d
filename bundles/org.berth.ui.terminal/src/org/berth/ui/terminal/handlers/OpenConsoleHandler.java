package org.berth.ui.terminal.handlers;

import org.berth.core.TerminalRequest;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;

/**
 * {@code org.berth.ui.terminal.console}: the console of each selected container (running or not): what its init
 * wrote since the last start, then what it writes. Read-only.
 */
public final class OpenConsoleHandler extends AbstractHandler {

	/** The command id. */
	public static final String COMMAND_ID = "org.berth.ui.terminal.console";

	@Override
	public Object execute(ExecutionEvent event) throws ExecutionException {
		TerminalHandlers.open(event, TerminalHandlers.selectedContainers(event), TerminalRequest.console(80, 24));
		return null;
	}
}
