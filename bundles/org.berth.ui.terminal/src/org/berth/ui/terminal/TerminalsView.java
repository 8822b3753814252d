package org.berth.ui.terminal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.berth.core.ContainerEngine;
import org.berth.core.TerminalRequest;
import org.berth.ui.internal.Engines;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.ui.part.ViewPart;

/**
 * The Terminals view: one tab per terminal session into a container (a shell, a debug shell or the console), on
 * the Eclipse TM Terminal widget. A 3.x view because the widget needs the 3.x workbench.
 */
public final class TerminalsView extends ViewPart {

	/** The view id in plugin.xml. */
	public static final String ID = "org.berth.ui.terminal.view";

	/** The key under which tests find widgets ({@code setData(TEST_ID, "...")}). */
	public static final String TEST_ID = "org.berth.ui.test.id";

	private CTabFolder folder;
	private final List<TerminalTab> tabs = new ArrayList<>();

	@Override
	public void createPartControl(Composite parent) {
		folder = new CTabFolder(parent, SWT.BORDER | SWT.FLAT);
		folder.setData(TEST_ID, "terminals");
		folder.setUnselectedCloseVisible(true);
	}

	/**
	 * Opens a tab with a session of {@code request} into {@code container}, sized to the tab. Returns empty (after
	 * saying why) when no engine is available. UI thread only.
	 */
	public Optional<TerminalTab> open(String container, TerminalRequest request) {
		Optional<ContainerEngine> engine = Engines.find();
		if (engine.isEmpty()) {
			MessageDialog.openError(getSite().getShell(), "Terminal", "No container engine is running, so no terminal"
					+ " can be opened into \"" + container + "\".");
			return Optional.empty();
		}
		TerminalTab tab = new TerminalTab(folder, engine.get(), container, request);
		tabs.add(tab);
		tab.item().addDisposeListener(e -> tabs.remove(tab));
		return Optional.of(tab);
	}

	/** The open tabs, oldest first. */
	public List<TerminalTab> tabs() {
		return List.copyOf(tabs);
	}

	@Override
	public void setFocus() {
		CTabItem selected = folder.getSelection();
		for (TerminalTab tab : tabs) {
			if (tab.item() == selected && !tab.terminal().isDisposed()) {
				tab.terminal().setFocus();
				return;
			}
		}
		folder.setFocus();
	}

	@Override
	public void dispose() {
		for (TerminalTab tab : List.copyOf(tabs)) {
			tab.close(); // every session ends with the view
		}
		super.dispose();
	}
}
