package org.berth.ui.terminal;

import java.util.Arrays;
import java.util.List;

import org.berth.core.ContainerEngine;
import org.berth.core.TerminalRequest;
import org.berth.core.TerminalSession;
import org.berth.ui.terminal.internal.SessionConnector;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.action.Separator;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Listener;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.tm.internal.terminal.control.ITerminalListener;
import org.eclipse.tm.internal.terminal.control.ITerminalViewControl;
import org.eclipse.tm.internal.terminal.control.TerminalViewControlFactory;
import org.eclipse.tm.internal.terminal.control.actions.AbstractTerminalAction;
import org.eclipse.tm.internal.terminal.control.actions.TerminalActionClearAll;
import org.eclipse.tm.internal.terminal.control.actions.TerminalActionCopy;
import org.eclipse.tm.internal.terminal.control.actions.TerminalActionPaste;
import org.eclipse.tm.internal.terminal.control.actions.TerminalActionSelectAll;
import org.eclipse.tm.internal.terminal.provisional.api.ITerminalConnector;
import org.eclipse.tm.internal.terminal.provisional.api.TerminalState;

/**
 * One tab of the Terminals view: the TM Terminal widget on one session. Closing the tab ends the session (the
 * shell gets SIGHUP); a session that ends says so in the tab's title and leaves its text readable.
 */
public final class TerminalTab {

	/** Lines kept above the screen. */
	static final int SCROLLBACK_LINES = 10_000;

	private final CTabItem item;
	private final ITerminalViewControl terminal;
	private final String baseTitle;
	private volatile SessionConnector connector;
	private volatile TerminalSession session;
	private volatile String title;
	private volatile Integer exitStatus;
	/** The menu bar's labels as they were before the widget took their mnemonics out. UI thread. */
	private List<String> menuLabels = List.of();

	TerminalTab(CTabFolder folder, ContainerEngine engine, String container, TerminalRequest request) {
		baseTitle = container + (request.console() ? " console"
				: request.joinsAllNamespaces() && request.chroot() ? "" : " (debug shell)");
		title = baseTitle;
		item = new CTabItem(folder, SWT.CLOSE);
		item.setText(baseTitle + " (opening)");
		Composite holder = new Composite(folder, SWT.NONE);
		holder.setLayout(new FillLayout());
		item.setControl(holder);
		terminal = TerminalViewControlFactory.makeControl(new ITerminalListener() {
			@Override
			public void setState(TerminalState state) {
				// the title follows the session (see the observer), not the widget's state
			}

			@Override
			@SuppressWarnings("removal")
			public void setTerminalTitle(String newTitle) {
				// a title set by the shell (OSC 0) is not ours to show
			}
		}, holder, new ITerminalConnector[0], false);
		terminal.setBufferLineLimit(SCROLLBACK_LINES);
		terminal.getControl().setData(TerminalsView.TEST_ID, "terminal");
		ITerminalConnector wrapper = SessionConnector.create(engine, container, request, observer(folder.getDisplay()),
				c -> connector = c);
		wrapper.getInitializationErrorMessage(); // creates our connector now: it hears the widget's size before connecting
		terminal.setConnector(wrapper);
		contextMenu();
		menuMnemonics(folder);
		item.addDisposeListener(e -> terminal.disposeTerminal()); // disconnect: the session's end
		folder.setSelection(item);
		folder.layout(true, true); // the widget knows its size in cells before the session opens with it
		folder.getDisplay().asyncExec(() -> {
			if (!terminal.isDisposed()) {
				terminal.connectTerminal();
			}
		});
	}

	private SessionConnector.Observer observer(Display display) {
		return new SessionConnector.Observer() {
			@Override
			public void opened(TerminalSession s) {
				session = s;
				title = s.title();
				retitle(display, title);
			}

			@Override
			public void failed(Throwable why) {
				retitle(display, baseTitle + " (failed)");
			}

			@Override
			public void ended(int status) {
				exitStatus = status;
				retitle(display, title + " (ended" + (status == 0 ? "" : ", status " + status) + ")");
			}
		};
	}

	private void retitle(Display display, String text) {
		if (!display.isDisposed()) {
			display.asyncExec(() -> {
				if (!item.isDisposed()) {
					item.setText(text);
					item.setToolTipText(text);
				}
			});
		}
	}

	/**
	 * Alt and a letter that is the mnemonic of a menu of the window (Alt+W: Window) opens that menu, as everywhere
	 * else on the desktop, instead of reaching the shell as ESC and the letter; other Alt keys still reach it. The
	 * widget takes the mnemonics out of the menu bar while it has the focus, so such a key is taken from it and
	 * given again to the tab folder (the widget, losing the focus, puts the mnemonics back); the focus comes back to
	 * the terminal when the menu closes.
	 */
	private void menuMnemonics(CTabFolder folder) {
		Display display = folder.getDisplay();
		Control text = terminal.getControl();
		Listener filter = e -> {
			if (e.widget instanceof Control c && within(c, text) && isMenuMnemonic(menuLabels, e)) {
				e.type = SWT.None; // the terminal does not hear it
				e.doit = false;
				Menu bar = text.getShell().getMenuBar();
				Listener back = new Listener() {
					@Override
					public void handleEvent(Event hide) {
						for (MenuItem top : bar.getItems()) {
							if (top.getMenu() != null) {
								top.getMenu().removeListener(SWT.Hide, this);
							}
						}
						display.asyncExec(() -> {
							if (!terminal.isDisposed()) {
								terminal.setFocus();
							}
						});
					}
				};
				for (MenuItem top : bar.getItems()) {
					if (top.getMenu() != null) {
						top.getMenu().addListener(SWT.Hide, back);
					}
				}
				folder.forceFocus(); // not setFocus: it would hand the focus back to the terminal, its descendant
				display.post(key(SWT.KeyDown, e));
				display.post(key(SWT.KeyUp, e));
			}
		};
		// the widget takes the "&" out of the menu bar's labels while it has the focus: read them before it does
		Listener labels = e -> {
			if (e.widget instanceof Control c && within(c, text) && c.getShell().getMenuBar() != null) {
				List<String> now = Arrays.stream(c.getShell().getMenuBar().getItems()).map(MenuItem::getText).toList();
				if (now.stream().anyMatch(l -> l.contains("&"))) {
					menuLabels = now;
				}
			}
		};
		display.addFilter(SWT.FocusIn, labels);
		display.addFilter(SWT.KeyDown, filter);
		text.addDisposeListener(e -> {
			display.removeFilter(SWT.FocusIn, labels);
			display.removeFilter(SWT.KeyDown, filter);
		});
	}

	private static Event key(int type, Event like) {
		Event e = new Event();
		e.type = type;
		e.character = like.character;
		e.keyCode = like.keyCode;
		return e;
	}

	private static boolean within(Control c, Control ancestor) {
		for (Control p = c; p != null; p = p.getParent()) {
			if (p == ancestor) {
				return true;
			}
		}
		return false;
	}

	/** Whether {@code e} is Alt (alone) and the mnemonic of one of {@code labels}, the menu bar's. */
	static boolean isMenuMnemonic(List<String> labels, Event e) {
		if ((e.stateMask & SWT.MODIFIER_MASK) != SWT.ALT || !Character.isLetterOrDigit(e.character)) {
			return false;
		}
		char key = Character.toLowerCase(e.character);
		for (String text : labels) {
			int amp = text.indexOf('&');
			if (amp >= 0 && amp + 1 < text.length() && Character.toLowerCase(text.charAt(amp + 1)) == key) {
				return true;
			}
		}
		return false;
	}

	/** Copy, paste, select all and clear on the widget's context menu (enabled as the selection allows). */
	private void contextMenu() {
		AbstractTerminalAction[] actions = {new TerminalActionCopy(terminal), new TerminalActionPaste(terminal),
				new TerminalActionSelectAll(terminal), new TerminalActionClearAll(terminal)};
		MenuManager menu = new MenuManager();
		menu.add(actions[0]);
		menu.add(actions[1]);
		menu.add(actions[2]);
		menu.add(new Separator());
		menu.add(actions[3]);
		menu.addMenuListener(m -> {
			for (AbstractTerminalAction a : actions) {
				a.updateAction(true);
			}
		});
		Control text = terminal.getControl();
		text.setMenu(menu.createContextMenu(text));
		text.addDisposeListener(e -> menu.dispose());
	}

	/** The tab item. */
	public CTabItem item() {
		return item;
	}

	/** The terminal widget. */
	public ITerminalViewControl terminal() {
		return terminal;
	}

	/** The session once it is open, else null. */
	public TerminalSession session() {
		return session;
	}

	/** The shell's exit status once it has ended, else null. */
	public Integer exitStatus() {
		return exitStatus;
	}

	/** The widget's size in cells as last forwarded to the session: {columns, rows}; zeros before the first. */
	public int[] size() {
		SessionConnector c = connector;
		return c == null ? new int[]{0, 0} : new int[]{c.columns(), c.rows()};
	}

	/** Ends the session and removes the tab. */
	public void close() {
		if (!item.isDisposed()) {
			Control holder = item.getControl();
			item.dispose();
			if (holder != null && !holder.isDisposed()) {
				holder.dispose();
			}
		}
	}
}
