package org.berth.ui.terminal;

import org.berth.core.ContainerEngine;
import org.berth.core.TerminalRequest;
import org.berth.core.TerminalSession;
import org.berth.ui.terminal.internal.MenuMnemonics;
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
		MenuMnemonics.install(terminal.getControl());
		ITerminalConnector wrapper = SessionConnector.create(engine, container, request, observer(folder.getDisplay()),
				c -> connector = c);
		wrapper.getInitializationErrorMessage(); // creates our connector now: it hears the widget's size before connecting
		terminal.setConnector(wrapper);
		contextMenu();
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
				// no status (-1): the stream ended without one, e.g. the agent went away; the shell may still run
				retitle(display, title + (status < 0 ? " (connection lost)"
						: " (ended" + (status == 0 ? "" : ", status " + status) + ")"));
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
