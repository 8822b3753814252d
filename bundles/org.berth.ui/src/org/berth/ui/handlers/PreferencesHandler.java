package org.berth.ui.handlers;

import org.berth.ui.preferences.BerthPreferencePage;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.dialogs.PreferencesUtil;
import org.eclipse.ui.handlers.HandlerUtil;

/** Window ▸ Preferences…: the Berth preference page. */
public final class PreferencesHandler extends AbstractHandler {

	/** The dialog's least width, in pixels. */
	static final int MIN_WIDTH = 820;
	/** The page's least width, in pixels. */
	static final int MIN_PAGE_WIDTH = 600;
	/** The page's least height, in pixels. */
	static final int MIN_PAGE_HEIGHT = 360;

	@Override
	public Object execute(ExecutionEvent event) {
		// unfiltered: a filter adds "(Filtered)" to the title and a note for a list that is short anyway
		PreferenceDialog dialog = PreferencesUtil.createPreferenceDialogOn(HandlerUtil.getActiveShell(event),
				BerthPreferencePage.ID, null, null);
		// wide enough for an error sentence beside the page's history buttons: the message line shortens what
		// does not fit (once the dialog runs, as it sizes itself when it opens)
		dialog.setMinimumPageSize(MIN_PAGE_WIDTH, MIN_PAGE_HEIGHT);
		Display.getCurrent().asyncExec(() -> {
			Shell shell = dialog.getShell();
			if (shell != null && !shell.isDisposed() && shell.getSize().x < MIN_WIDTH) {
				shell.setSize(MIN_WIDTH, shell.getSize().y);
			}
		});
		dialog.open();
		return null;
	}
}
