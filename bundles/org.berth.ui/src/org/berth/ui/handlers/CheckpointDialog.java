package org.berth.ui.handlers;

import org.berth.core.CheckpointRequest;
import org.berth.ui.specs.NamespacesEditor;
import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/**
 * Container > Checkpoint…: the checkpoint's name (empty: the engine makes one of the time), whether the container
 * keeps running, whether established TCP connections are saved. {@link #request()} once it was closed with OK.
 */
public final class CheckpointDialog extends Dialog {

	/** The key under which tests find widgets. */
	public static final String TEST_ID = NamespacesEditor.TEST_ID;

	/** The dialog's title for {@code name}. */
	public static String title(String name) {
		return "Checkpoint \"" + name + "\"";
	}

	private final String container;
	private Text name;
	private Label problem;
	private Button keepRunning;
	private Button tcp;
	private CheckpointRequest request;

	public CheckpointDialog(Shell parent, String container) {
		super(parent);
		this.container = container;
	}

	@Override
	protected void configureShell(Shell shell) {
		super.configureShell(shell);
		shell.setText(title(container));
	}

	@Override
	protected Control createDialogArea(Composite parent) {
		Composite area = (Composite) super.createDialogArea(parent);
		GridLayoutFactory.swtDefaults().numColumns(2).margins(12, 12).spacing(8, 8).applyTo(area);
		Label intro = new Label(area, SWT.WRAP);
		intro.setText("Saves the processes of \"" + container + "\" (their memory, open files, pipes and sockets) to"
				+ " resume it later with Restore Checkpoint.");
		GridDataFactory.fillDefaults().span(2, 1).grab(true, false).hint(420, SWT.DEFAULT).applyTo(intro);
		new Label(area, SWT.NONE).setText("&Name:");
		name = new Text(area, SWT.BORDER);
		name.setMessage("empty: one made of the time, ck-YYYYMMDD-HHMMSS");
		name.setData(TEST_ID, "checkpoint.name");
		GridDataFactory.fillDefaults().grab(true, false).applyTo(name);
		new Label(area, SWT.NONE);
		problem = new Label(area, SWT.WRAP);
		problem.setForeground(area.getDisplay().getSystemColor(SWT.COLOR_RED));
		problem.setData(TEST_ID, "checkpoint.problem");
		GridDataFactory.fillDefaults().grab(true, false).hint(300, SWT.DEFAULT).applyTo(problem);
		keepRunning = new Button(area, SWT.CHECK);
		keepRunning.setText("&Keep it running");
		keepRunning.setToolTipText("Otherwise \"" + container + "\" stops once its checkpoint is written");
		keepRunning.setData(TEST_ID, "checkpoint.keepRunning");
		GridDataFactory.fillDefaults().span(2, 1).applyTo(keepRunning);
		tcp = new Button(area, SWT.CHECK);
		tcp.setText("Save established &TCP connections");
		tcp.setToolTipText("Their peers keep them across a restore; without it they are cut");
		tcp.setData(TEST_ID, "checkpoint.tcp");
		GridDataFactory.fillDefaults().span(2, 1).applyTo(tcp);
		name.addModifyListener(e -> validate());
		return area;
	}

	@Override
	protected void createButtonsForButtonBar(Composite parent) {
		createButton(parent, IDialogConstants.OK_ID, "&Checkpoint", true);
		createButton(parent, IDialogConstants.CANCEL_ID, IDialogConstants.CANCEL_LABEL, false);
	}

	private void validate() {
		String p = CheckpointActions.nameProblem(name.getText());
		problem.setText(p == null ? "" : p);
		// the sentence may take lines the dialog was not opened with: it grows rather than cut the options off
		Shell shell = getShell();
		Point want = shell.computeSize(shell.getSize().x, SWT.DEFAULT);
		if (want.y > shell.getSize().y) {
			shell.setSize(shell.getSize().x, want.y);
		}
		shell.layout(true, true);
		getButton(IDialogConstants.OK_ID).setEnabled(p == null);
	}

	@Override
	protected void okPressed() {
		if (CheckpointActions.nameProblem(name.getText()) != null) {
			return;
		}
		request = CheckpointActions.request(name.getText(), keepRunning.getSelection(), tcp.getSelection());
		super.okPressed();
	}

	/** What the user asked for, or null when the dialog was cancelled. */
	public CheckpointRequest request() {
		return request;
	}
}
