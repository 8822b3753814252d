package org.berth.ui.internal.app;

import org.berth.ui.containers.ContainersView;
import org.berth.ui.namespaces.NamespacesView;
import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;

/**
 * The Berth perspective: the Containers table on top, taking {@link #TABLE_RATIO} of the height; one folder under it
 * for the views that need room (Terminals, Resource Graphs, Limit Hits, Namespaces, later Events), so a view opened
 * from a command lands there with a real share of the window instead of splitting the table. The editor area sits
 * to the right of the table: it is hidden until the first container editor opens and hidden again when the last one
 * closes ({@link EditorAreaKeeper}). The workbench saves the user's changes to this layout and restores them;
 * Window ▸ Reset Perspective brings this one back.
 */
public final class BerthPerspective implements IPerspectiveFactory {

	/** The id of the bottom folder. */
	public static final String BOTTOM_FOLDER = "org.berth.ui.bottom";
	/** The Containers table's share of the window's height. */
	public static final float TABLE_RATIO = 0.55f;
	/** The Terminals view (org.berth.ui.terminal); by id, as this bundle does not depend on it. */
	public static final String TERMINALS = "org.berth.ui.terminal.view";
	/** The Resource Graphs view (org.berth.ui.charts). */
	public static final String GRAPHS = "org.berth.ui.charts.graphs";
	/** The Limit Hits view (org.berth.ui.charts). */
	public static final String LIMIT_HITS = "org.berth.ui.charts.limitHits";
	/** The Events view: the audit trail and lifecycle events. */
	public static final String EVENTS = org.berth.ui.events.EventsView.ID;
	/** The Connections view: the local engine and the remote Berth hosts. */
	public static final String CONNECTIONS = org.berth.ui.connections.ConnectionsView.ID;

	@Override
	public void createInitialLayout(IPageLayout layout) {
		String editors = layout.getEditorArea();
		layout.setEditorAreaVisible(false);
		IFolderLayout bottom = layout.createFolder(BOTTOM_FOLDER, IPageLayout.BOTTOM, TABLE_RATIO, editors);
		bottom.addView(NamespacesView.ID);
		bottom.addPlaceholder(TERMINALS);
		bottom.addPlaceholder(GRAPHS);
		bottom.addPlaceholder(LIMIT_HITS);
		bottom.addPlaceholder(EVENTS);
		bottom.addPlaceholder(CONNECTIONS);
		// the table on the left of the (hidden) editor area: alone on top until an editor opens beside it
		layout.addView(ContainersView.ID, IPageLayout.LEFT, 0.55f, editors);
		layout.getViewLayout(ContainersView.ID).setCloseable(false);
		for (String id : new String[]{ContainersView.ID, TERMINALS, GRAPHS, LIMIT_HITS, NamespacesView.ID,
				CONNECTIONS}) {
			layout.addShowViewShortcut(id);
		}
	}
}
