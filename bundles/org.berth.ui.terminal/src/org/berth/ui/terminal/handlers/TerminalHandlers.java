package org.berth.ui.terminal.handlers;

import java.util.ArrayList;
import java.util.List;

import org.berth.core.ContainerSnapshot;
import org.berth.core.TerminalRequest;
import org.berth.ui.terminal.TerminalsView;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.handlers.HandlerUtil;

/** What the terminal handlers share: the selected containers and the Terminals view. */
final class TerminalHandlers {

	private TerminalHandlers() {
	}

	/** The containers in the current selection (elements that are or adapt to {@link ContainerSnapshot}). */
	static List<ContainerSnapshot> selectedContainers(ExecutionEvent event) {
		List<ContainerSnapshot> all = new ArrayList<>();
		if (HandlerUtil.getCurrentSelection(event) instanceof IStructuredSelection selection) {
			for (Object element : selection) {
				ContainerSnapshot snap = Adapters.adapt(element, ContainerSnapshot.class);
				if (snap != null) {
					all.add(snap);
				}
			}
		}
		return all;
	}

	/** The running ones of the selection; says so and returns none when none runs. */
	static List<ContainerSnapshot> running(ExecutionEvent event, List<ContainerSnapshot> selected) {
		List<ContainerSnapshot> running = selected.stream().filter(ContainerSnapshot::isRunning).toList();
		if (running.isEmpty() && !selected.isEmpty()) {
			Shell shell = HandlerUtil.getActiveShell(event);
			MessageDialog.openInformation(shell, "Terminal", selected.size() == 1
					? "\"" + selected.get(0).name() + "\" is not running; start it to open a terminal into it."
					: "None of the selected containers is running; start one to open a terminal into it.");
		}
		return running;
	}

	/** Shows the Terminals view and opens a tab per container. */
	static void open(ExecutionEvent event, List<ContainerSnapshot> containers, TerminalRequest request)
			throws ExecutionException {
		if (containers.isEmpty()) {
			return;
		}
		IWorkbenchPage page = HandlerUtil.getActiveWorkbenchWindowChecked(event).getActivePage();
		try {
			TerminalsView view = (TerminalsView) page.showView(TerminalsView.ID);
			for (ContainerSnapshot c : containers) {
				view.open(c.name(), request);
			}
		} catch (PartInitException e) {
			throw new ExecutionException("the Terminals view could not be opened: " + e.getMessage(), e);
		}
	}
}
