package org.berth.ui.terminal.internal;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Listener;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;

/**
 * Alt and the mnemonic letter of a menu in the window's menu bar (Alt+W: Window) open that menu while a terminal has
 * the focus, as in GNOME Terminal with its mnemonics on. The terminal widget would otherwise send every Alt+letter to
 * the shell as Meta (ESC letter) and swallow the key. Only the menu bar's letters are taken; every other Alt+letter
 * (bash's Alt+B, Alt+D, Alt+.) still reaches the shell. A display filter, because it must run before the widget's own
 * key listener.
 */
public final class MenuMnemonics implements Listener {

	private final Control terminal;

	private MenuMnemonics(Control terminal) {
		this.terminal = terminal;
	}

	/** Installs the filter for {@code terminal} until it is disposed. */
	public static void install(Control terminal) {
		Display display = terminal.getDisplay();
		MenuMnemonics filter = new MenuMnemonics(terminal);
		display.addFilter(SWT.KeyDown, filter);
		terminal.addDisposeListener(e -> display.removeFilter(SWT.KeyDown, filter));
	}

	@Override
	public void handleEvent(Event e) {
		if ((e.stateMask & SWT.MODIFIER_MASK) != SWT.ALT || !(e.widget instanceof Control c) || !within(c)) {
			return;
		}
		Menu bar = c.getShell().getMenuBar();
		char key = Character.toLowerCase(e.keyCode > 0 && e.keyCode < 0x10000 ? (char) e.keyCode : e.character);
		if (bar == null || !Character.isLetterOrDigit(key)) {
			return;
		}
		for (MenuItem item : bar.getItems()) {
			if (item.getMenu() != null && item.isEnabled() && mnemonicOf(item) == key) {
				if (activate(item)) {
					e.doit = false;
					e.type = SWT.None; // the terminal does not see it
				}
				return;
			}
		}
	}

	/**
	 * What GTK does for a mnemonic: {@code gtk_widget_mnemonic_activate} on the menu bar's item opens its menu with
	 * the keyboard in it. SWT has no API for it (Menu.setVisible ignores a menu bar's menus), so SWT's own binding is
	 * called by reflection; false where it is not there (another windowing system), and the key goes on to the
	 * terminal as before.
	 */
	private static boolean activate(MenuItem item) {
		try {
			Class<?> gtk = Class.forName("org.eclipse.swt.internal.gtk.GTK", true, MenuItem.class.getClassLoader());
			long handle = item.getClass().getField("handle").getLong(item);
			gtk.getMethod("gtk_widget_mnemonic_activate", long.class, boolean.class).invoke(null, handle, false);
			return true;
		} catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
			return false;
		}
	}

	private boolean within(Control c) {
		for (Control p = c; p != null; p = p.getParent()) {
			if (p == terminal) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The item's mnemonic: GTK's label's when it has one, else the letter after a {@code &} in its text, else its
	 * first letter.
	 */
	private static char mnemonicOf(MenuItem item) {
		try {
			Class<?> gtk = Class.forName("org.eclipse.swt.internal.gtk.GTK", true, MenuItem.class.getClassLoader());
			java.lang.reflect.Field label = MenuItem.class.getDeclaredField("labelHandle");
			label.setAccessible(true);
			int keyval = (int) gtk.getMethod("gtk_label_get_mnemonic_keyval", long.class).invoke(null,
					label.getLong(item));
			if (keyval > 0 && keyval < 0x100) { // GDK's keyvals of Latin-1 letters are their characters
				return Character.toLowerCase((char) keyval);
			}
		} catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
			// not GTK: the text's mark
		}
		char marked = mnemonic(item.getText());
		// the workbench's menu bar labels carry no mark (its Alt+W comes from the menu's first letter): the same here
		return marked != 0 || item.getText().isEmpty() ? marked : Character.toLowerCase(item.getText().charAt(0));
	}

	/** The letter after the first single {@code &} of a menu label, lower case; 0 when none. */
	static char mnemonic(String label) {
		for (int i = 0; i < label.length() - 1; i++) {
			if (label.charAt(i) == '&') {
				if (label.charAt(i + 1) != '&') {
					return Character.toLowerCase(label.charAt(i + 1));
				}
				i++; // "&&" is a literal ampersand
			}
		}
		return 0;
	}
}
