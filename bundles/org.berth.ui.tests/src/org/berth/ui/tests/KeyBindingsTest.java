package org.berth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;

import org.berth.ui.handlers.BerthCommands;
import org.eclipse.jface.bindings.Binding;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.keys.IBindingService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Berth key scheme is active (plugin_customization.ini) and binds the container commands. */
@ExtendWith(Workbench.class)
class KeyBindingsTest {

	private static final String SCHEME = "org.berth.ui.scheme";

	@Test
	void theBerthSchemeIsActiveAndBindsTheContainerCommands() {
		IBindingService bindings = Workbench.sync(() -> PlatformUI.getWorkbench().getService(IBindingService.class));
		assertEquals(SCHEME, Workbench.sync(() -> bindings.getActiveScheme().getId()));
		Map<String, String> keys = Workbench.sync(() -> {
			Map<String, String> out = new HashMap<>();
			for (Binding b : bindings.getBindings()) {
				if (SCHEME.equals(b.getSchemeId()) && b.getParameterizedCommand() != null) {
					out.put(b.getParameterizedCommand().getId(), b.getTriggerSequence().format());
				}
			}
			return out;
		});
		assertEquals("Ctrl+N", keys.get(BerthCommands.NEW), keys.toString());
		assertEquals("Ctrl+E", keys.get(BerthCommands.START));
		assertEquals("Shift+Ctrl+E", keys.get(BerthCommands.STOP));
		assertEquals("Ctrl+R", keys.get(BerthCommands.RESTART));
		assertEquals("Ctrl+D", keys.get(BerthCommands.CLONE));
		assertEquals("Shift+Ctrl+U", keys.get(BerthCommands.THAW));
		assertEquals("Shift+Ctrl+T", keys.get("org.berth.ui.terminal.open"), "a terminal on the selected container");
	}
}
