package org.berth.ui.handlers;

import org.berth.ui.preferences.BerthPreferencePage;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.ui.dialogs.PreferencesUtil;
import org.eclipse.ui.handlers.HandlerUtil;

/** Window ▸ Preferences…: the Berth preference page. */
public final class PreferencesHandler extends AbstractHandler {

	@Override
	public Object execute(ExecutionEvent event) {
		PreferencesUtil.createPreferenceDialogOn(HandlerUtil.getActiveShell(event), BerthPreferencePage.ID,
				new String[]{BerthPreferencePage.ID}, null).open();
		return null;
	}
}
