package org.berth.ui.handlers;

import org.berth.ui.preferences.BerthPreferencePage;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.ui.dialogs.PreferencesUtil;
import org.eclipse.ui.handlers.HandlerUtil;

/** Window ▸ Preferences…: the Berth preference page. */
public final class PreferencesHandler extends AbstractHandler {

	/** The page's least width, in pixels: an error sentence fits on the dialog's message line. */
	static final int MIN_PAGE_WIDTH = 600;
	/** The page's least height, in pixels. */
	static final int MIN_PAGE_HEIGHT = 360;

	@Override
	public Object execute(ExecutionEvent event) {
		// unfiltered: a filter adds "(Filtered)" to the title and a note for a list that is short anyway
		PreferenceDialog dialog = PreferencesUtil.createPreferenceDialogOn(HandlerUtil.getActiveShell(event),
				BerthPreferencePage.ID, null, null);
		// wide enough for the longest error message on one line
		dialog.setMinimumPageSize(MIN_PAGE_WIDTH, MIN_PAGE_HEIGHT);
		dialog.open();
		return null;
	}
}
