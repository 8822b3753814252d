package org.berth.ui.internal.app;

import org.berth.ui.containers.ContainersView;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;

/** The Berth perspective: the Containers view fills the window; later views dock around it. */
public final class BerthPerspective implements IPerspectiveFactory {

	@Override
	public void createInitialLayout(IPageLayout layout) {
		layout.setEditorAreaVisible(false);
		layout.addView(ContainersView.ID, IPageLayout.TOP, IPageLayout.RATIO_MAX, layout.getEditorArea());
		layout.getViewLayout(ContainersView.ID).setCloseable(false);
	}
}
