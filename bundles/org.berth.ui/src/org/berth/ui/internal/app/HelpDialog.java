package org.berth.ui.internal.app;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.commands.Command;
import org.eclipse.core.commands.common.NotDefinedException;
import org.eclipse.jface.bindings.TriggerSequence;
import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.commands.ICommandService;
import org.eclipse.ui.keys.IBindingService;

/**
 * A cheat sheet of the console: what each part of the window is for, how to do the common things, and the keys of
 * Berth's commands as the active key scheme binds them (read from the binding service, so it cannot go stale).
 */
public final class HelpDialog extends Dialog {

	/** The dialog's title. */
	public static final String TITLE = "Berth Help";

	/** The commands whose keys the help lists, in menu order. */
	static final String[] COMMANDS = {"org.berth.ui.container.new", "org.berth.ui.container.open",
			"org.berth.ui.container.start", "org.berth.ui.container.stop", "org.berth.ui.container.restart",
			"org.berth.ui.container.kill", "org.berth.ui.container.freeze", "org.berth.ui.container.thaw",
			"org.berth.ui.container.clone", "org.berth.ui.container.destroy", "org.berth.ui.terminal.open",
			"org.eclipse.ui.window.showKeyAssist", "org.berth.ui.help.contents"};

	private static final String TEXT = """
			Berth manages Linux system containers: each has its own init, hostname, network, mounts and limits.

			The window
			  Containers (top): every container with its state and usage. Select rows, then use the toolbar,
			    the Container menu or the keys below; double-click a row to open its editor.
			  Bottom folder: Namespaces (who shares which namespace), Terminals (shells into running
			    containers), Resource Graphs and Limit Hits. Drag a tab to move a view; Window > Reset
			    Perspective puts everything back. The layout you make is kept for your next session.
			  Editor (right of the table): a container's Overview, Namespaces, Resources, Network and
			    Console log. Ctrl+S saves; changes to a running container apply at its next start.

			Common tasks
			  Create a container: Container > New Container..., pick a template, name it, set its limits.
			  Open a shell: select a running container, Container > Open Terminal.
			  Watch usage: select containers; the Resource Graphs view follows the selection.
			  Settings: Window > Preferences... (refresh interval, template and limits the wizard proposes).

			Keys
			""";

	public HelpDialog(Shell parent) {
		super(parent);
		setShellStyle(getShellStyle() | SWT.RESIZE);
	}

	@Override
	protected void configureShell(Shell shell) {
		super.configureShell(shell);
		shell.setText(TITLE);
	}

	/** The help text with the current keys. UI thread. */
	public static String text() {
		StringBuilder out = new StringBuilder(TEXT);
		for (String line : keys()) {
			out.append("  ").append(line).append('\n');
		}
		return out.toString();
	}

	/** "Command name: key" for each of {@link #COMMANDS} that is defined and bound. UI thread. */
	static List<String> keys() {
		ICommandService commands = PlatformUI.getWorkbench().getService(ICommandService.class);
		IBindingService bindings = PlatformUI.getWorkbench().getService(IBindingService.class);
		List<String> out = new ArrayList<>();
		for (String id : COMMANDS) {
			Command c = commands.getCommand(id);
			TriggerSequence key = bindings.getBestActiveBindingFor(id);
			if (!c.isDefined() || key == null) {
				continue;
			}
			try {
				out.add(String.format("%-34s %s", c.getName(), key.format()));
			} catch (NotDefinedException e) {
				// not defined after all: nothing to list
			}
		}
		return out;
	}

	@Override
	protected Control createDialogArea(Composite parent) {
		Composite area = (Composite) super.createDialogArea(parent);
		Text text = new Text(area, SWT.MULTI | SWT.READ_ONLY | SWT.WRAP | SWT.V_SCROLL);
		text.setFont(org.eclipse.jface.resource.JFaceResources.getTextFont());
		text.setText(text());
		text.setData("org.berth.ui.test.id", "help.text");
		// sized in the text font's characters: every line of the text and every key shown without scrolling
		GC gc = new GC(text);
		double charWidth = gc.getFontMetrics().getAverageCharacterWidth();
		gc.dispose();
		GridDataFactory.fillDefaults().grab(true, true).hint((int) Math.ceil(charWidth * 112), text.getLineHeight()
				* (int) text().lines().count() + 8).applyTo(text);
		return area;
	}

	@Override
	protected void createButtonsForButtonBar(Composite parent) {
		createButton(parent, IDialogConstants.CLOSE_ID, IDialogConstants.CLOSE_LABEL, true);
	}

	@Override
	protected void buttonPressed(int id) {
		if (id == IDialogConstants.CLOSE_ID) {
			close();
		} else {
			super.buttonPressed(id);
		}
	}
}
