package org.berth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.berth.ui.preferences.BerthPreferencePage;
import org.berth.ui.preferences.BerthPreferences;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.dialogs.PreferencesUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Window ▸ Preferences ▸ Berth: the page opens with the defaults, and the interval is clamped. */
@ExtendWith(Workbench.class)
class PreferencesTest {

	@Test
	void thePageShowsTheDefaults() throws Exception {
		assertEquals(2000, BerthPreferences.refreshIntervalMillis(), "default: every 2 s");
		PreferenceDialog dialog = Workbench.sync(() -> {
			PreferenceDialog d = PreferencesUtil.createPreferenceDialogOn(
					PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), BerthPreferencePage.ID,
					new String[]{BerthPreferencePage.ID}, null);
			d.setBlockOnOpen(false);
			d.open();
			return d;
		});
		try {
			Workbench.waitUntil("the page is shown", Duration.ofSeconds(20),
					() -> Workbench.sync(() -> dialog.getSelectedPage() instanceof BerthPreferencePage));
			String text = Workbench.sync(() -> String.join("|", Widgets.all(dialog.getShell(),
					c -> c instanceof org.eclipse.swt.widgets.Label).stream()
					.map(c -> ((org.eclipse.swt.widgets.Label) c).getText()).toList()));
			assertTrue(text.contains("Refresh usage every (seconds):"), text);
			Screenshots.save(Workbench.sync(dialog::getShell), "preferences");
		} finally {
			Workbench.syncRun(dialog::close);
		}
		BerthPreferences.store().setValue(BerthPreferences.REFRESH_INTERVAL_SECONDS, 0);
		try {
			assertEquals(1000, BerthPreferences.refreshIntervalMillis(), "at least every second");
		} finally {
			BerthPreferences.store().setToDefault(BerthPreferences.REFRESH_INTERVAL_SECONDS);
		}
	}
}
