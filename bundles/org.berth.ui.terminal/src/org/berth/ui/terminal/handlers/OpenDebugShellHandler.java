package org.berth.ui.terminal.handlers;

import java.util.List;

import org.berth.core.ContainerSnapshot;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.jface.window.Window;
import org.eclipse.ui.handlers.HandlerUtil;

/**
 * {@code org.berth.ui.terminal.debugShell}: asks which namespaces of the container to join (network and hostname
 * by default) and whether to keep the host's files and tools, then opens that shell.
 */
public final class OpenDebugShellHandler extends AbstractHandler {

	/** The command id. */
	public static final String COMMAND_ID = "org.berth.ui.terminal.debugShell";

	@Override
	public Object execute(ExecutionEvent event) throws ExecutionException {
		List<ContainerSnapshot> running = TerminalHandlers.running(event, TerminalHandlers.selectedContainers(event));
		if (running.isEmpty()) {
			return null;
		}
		DebugShellDialog dialog = new DebugShellDialog(HandlerUtil.getActiveShell(event), running.get(0).name());
		if (dialog.open() == Window.OK) {
			TerminalHandlers.open(event, running.subList(0, 1), dialog.request());
		}
		return null;
	}
}
