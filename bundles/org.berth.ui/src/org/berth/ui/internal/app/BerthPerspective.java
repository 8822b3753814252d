package org.berth.ui.internal.app;

import org.berth.ui.containers.ContainersView;
import org.berth.ui.namespaces.NamespacesView;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;

/**
 * The Berth perspective: the Containers view on top, the Namespaces view under it; container editors open below
 * them (the editor area is shown when the first one opens).
 */
public final class BerthPerspective implements IPerspectiveFactory {

	@Override
	public void createInitialLayout(IPageLayout layout) {
		String editors = layout.getEditorArea();
		layout.setEditorAreaVisible(false);
		layout.addView(ContainersView.ID, IPageLayout.TOP, 0.55f, editors);
		layout.getViewLayout(ContainersView.ID).setCloseable(false);
		layout.addView(NamespacesView.ID, IPageLayout.BOTTOM, 0.62f, ContainersView.ID);
		layout.addShowViewShortcut(ContainersView.ID);
		layout.addShowViewShortcut(NamespacesView.ID);
	}
}
