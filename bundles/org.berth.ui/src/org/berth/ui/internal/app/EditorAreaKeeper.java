package org.berth.ui.internal.app;

import org.eclipse.ui.IPartListener2;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchPartReference;
import org.eclipse.ui.IWorkbenchWindow;

/**
 * Hides the editor area when its last editor closes, so that no blank area is left beside the Containers table
 * (opening an editor shows the area again). UI thread.
 */
final class EditorAreaKeeper implements IPartListener2 {

	private EditorAreaKeeper() {
	}

	/** Keeps the editor area of {@code window}'s pages hidden while they have no editor. */
	static void install(IWorkbenchWindow window) {
		window.getPartService().addPartListener(new EditorAreaKeeper());
	}

	@Override
	public void partClosed(IWorkbenchPartReference ref) {
		IWorkbenchPage page = ref.getPage();
		if (page == null || page.getEditorReferences().length > 0) {
			return;
		}
		// after the close has finished: the page still lays out the closing editor while it notifies
		ref.getPage().getWorkbenchWindow().getShell().getDisplay().asyncExec(() -> {
			if (page.getWorkbenchWindow().getShell() != null && !page.getWorkbenchWindow().getShell().isDisposed()
					&& page.getEditorReferences().length == 0 && page.isEditorAreaVisible()) {
				page.setEditorAreaVisible(false);
			}
		});
	}
}
