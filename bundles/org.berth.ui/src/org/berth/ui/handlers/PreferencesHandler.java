package org.berth.ui.handlers;

import org.berth.ui.preferences.BerthPreferencePage;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.dialogs.PreferencesUtil;
import org.eclipse.ui.handlers.HandlerUtil;

/** Window ▸ Preferences…: the Berth preference page. */
public final class PreferencesHandler extends AbstractHandler {

	/** The dialog's least width, in pixels. */
	static final int MIN_WIDTH = 760;

	@Override
	public Object execute(ExecutionEvent event) {
		// unfiltered: a filter adds "(Filtered)" to the title and a note for a list that is short anyway
		PreferenceDialog dialog = PreferencesUtil.createPreferenceDialogOn(HandlerUtil.getActiveShell(event),
				BerthPreferencePage.ID, null, null);
		dialog.create();
		// wide enough for the longest error message on one line
		Shell shell = dialog.getShell();
		Point size = shell.getSize();
		shell.setSize(Math.max(size.x, MIN_WIDTH), size.y);
		dialog.open();
		return null;
	}
}
