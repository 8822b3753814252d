package org.berth.ui.terminal.handlers;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.berth.core.NamespaceType;
import org.berth.core.TerminalRequest;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.events.SelectionListener;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Shell;

/**
 * Chooses what a debug shell joins: some namespaces of the container, and either the host's files and tools or
 * the container's file system.
 */
final class DebugShellDialog extends TitleAreaDialog {

	private final String container;
	private final Map<NamespaceType, Button> boxes = new EnumMap<>(NamespaceType.class);
	private Button hostFiles;
	private TerminalRequest request;

	DebugShellDialog(Shell parent, String container) {
		super(parent);
		this.container = container;
	}

	@Override
	protected void configureShell(Shell shell) {
		super.configureShell(shell);
		shell.setText("Debug Shell");
	}

	@Override
	protected Control createDialogArea(Composite parent) {
		Composite area = (Composite) super.createDialogArea(parent);
		setTitle("Debug shell in \"" + container + "\"");
		setMessage("A root shell that joins only the namespaces you choose, e.g. the network and hostname of the"
				+ " container with the host's tools.");
		Composite body = new Composite(area, SWT.NONE);
		GridLayoutFactory.swtDefaults().margins(10, 10).applyTo(body);
		GridDataFactory.fillDefaults().grab(true, true).applyTo(body);
		Group group = new Group(body, SWT.NONE);
		group.setText("Namespaces to join");
		GridLayoutFactory.swtDefaults().numColumns(2).applyTo(group);
		GridDataFactory.fillDefaults().grab(true, false).applyTo(group);
		Set<NamespaceType> preset = EnumSet.of(NamespaceType.NET, NamespaceType.UTS);
		for (NamespaceType type : NamespaceType.values()) {
			Button b = new Button(group, SWT.CHECK);
			b.setText(type.displayName());
			b.setToolTipText(type.isolates());
			b.setSelection(preset.contains(type));
			b.addSelectionListener(SelectionListener.widgetSelectedAdapter(e -> validate()));
			boxes.put(type, b);
		}
		hostFiles = new Button(body, SWT.CHECK);
		hostFiles.setText("Keep the host's file system and tools (no chroot; not confined to the container's cgroups)");
		hostFiles.setSelection(true);
		return area;
	}

	@Override
	protected void createButtonsForButtonBar(Composite parent) {
		super.createButtonsForButtonBar(parent);
		getButton(IDialogConstants.OK_ID).setText("Open");
		validate();
	}

	private void validate() {
		boolean any = boxes.values().stream().anyMatch(Button::getSelection);
		setErrorMessage(any ? null : "Choose at least one namespace to join.");
		if (getButton(IDialogConstants.OK_ID) != null) {
			getButton(IDialogConstants.OK_ID).setEnabled(any);
		}
	}

	@Override
	protected void okPressed() {
		Set<NamespaceType> chosen = EnumSet.noneOf(NamespaceType.class);
		boxes.forEach((type, b) -> {
			if (b.getSelection()) {
				chosen.add(type);
			}
		});
		request = new TerminalRequest(List.of(), 80, 24, TerminalRequest.WIDGET_TERM, chosen, !hostFiles.getSelection(),
				Map.of(), false);
		super.okPressed();
	}

	/** The chosen request (after OK). */
	TerminalRequest request() {
		return request;
	}
}
