package org.berth.ui.handlers;

import java.util.List;

import org.berth.ui.editor.ContainerEditor;
import org.berth.ui.editor.ContainerEditorInput;
import org.berth.ui.internal.Engines;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.handlers.HandlerUtil;

/** Opens the container editor on each selected container (double-click, Enter). */
public final class OpenContainerHandler extends SelectionHandler {

	@Override
	boolean enabledFor(List<String> names) {
		return !names.isEmpty() && Engines.find().map(e -> names.stream().allMatch(n -> e.get(n).isPresent()))
				.orElse(false);
	}

	@Override
	public Object execute(ExecutionEvent event) throws ExecutionException {
		List<String> names = Selections.names(event);
		IWorkbenchPage page = HandlerUtil.getActiveWorkbenchWindowChecked(event).getActivePage();
		if (page == null) {
			return null;
		}
		for (String name : names) {
			try {
				open(page, name);
			} catch (PartInitException e) {
				throw new ExecutionException("could not open \"" + name + "\": " + e.getMessage(), e);
			}
		}
		return null;
	}

	/** Opens (or brings up) the editor of {@code name}. UI thread. */
	public static ContainerEditor open(IWorkbenchPage page, String name) throws PartInitException {
		page.setEditorAreaVisible(true);
		return (ContainerEditor) page.openEditor(new ContainerEditorInput(name), ContainerEditor.ID);
	}

	@Override
	boolean needsEngine() {
		return false; // the editor shows the snapshot it has
	}
}
