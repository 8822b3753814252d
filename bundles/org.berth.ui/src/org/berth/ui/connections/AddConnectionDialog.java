package org.berth.ui.connections;

import org.berth.client.inventory.Connection;
import org.berth.client.inventory.Connections;
import org.berth.core.remote.Remote;
import org.berth.ui.containers.ContainersView;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/**
 * Names another Berth host: a name and an {@code ssh://} URL, checked as {@code berth remote add} checks them
 * ({@link Remote#of}'s sentences, shown as the dialog's error while OK stays disabled).
 */
public final class AddConnectionDialog extends TitleAreaDialog {

	private final Connections connections;
	private Text name;
	private Text url;
	private Remote remote;

	public AddConnectionDialog(Shell parent, Connections connections) {
		super(parent);
		this.connections = connections;
	}

	@Override
	protected void configureShell(Shell shell) {
		super.configureShell(shell);
		shell.setText("Add Connection");
	}

	@Override
	protected Control createDialogArea(Composite parent) {
		Composite area = (Composite) super.createDialogArea(parent);
		setTitle("Add a Berth host");
		setMessage("Its agent is reached through your own ssh (its configuration, agent and known hosts); the user"
				+ " you log in as must be root or in group berth there.");
		Composite form = new Composite(area, SWT.NONE);
		GridLayoutFactory.swtDefaults().numColumns(2).margins(10, 10).applyTo(form);
		GridDataFactory.fillDefaults().grab(true, true).applyTo(form);
		new Label(form, SWT.NONE).setText("&Name:");
		name = new Text(form, SWT.BORDER);
		name.setMessage("h2");
		name.setData(ContainersView.TEST_ID, "connections.add.name");
		GridDataFactory.fillDefaults().grab(true, false).hint(380, SWT.DEFAULT).applyTo(name);
		new Label(form, SWT.NONE).setText("&URL:");
		url = new Text(form, SWT.BORDER);
		url.setMessage("ssh://[user@]host[:port][/run/berth/berth.sock]");
		url.setData(ContainersView.TEST_ID, "connections.add.url");
		GridDataFactory.fillDefaults().grab(true, false).applyTo(url);
		name.addModifyListener(e -> validate());
		url.addModifyListener(e -> validate());
		return area;
	}

	@Override
	protected void createButtonsForButtonBar(Composite parent) {
		super.createButtonsForButtonBar(parent);
		getButton(IDialogConstants.OK_ID).setText("&Add");
		validate();
		setErrorMessage(null); // no sentence before the user typed anything
	}

	/** The sentence that keeps OK disabled for this name and URL, or null. Any thread. */
	public String problemOf(String n, String u) {
		if (n.isBlank()) {
			return "Name the host (" + Remote.NAME_RULE + ").";
		}
		Remote r;
		try {
			r = Remote.of(n.strip(), u);
		} catch (IllegalArgumentException e) {
			return e.getMessage();
		}
		if (r.kind() != Remote.Kind.BERTH) {
			return n.strip() + " is an Incus server: the console reaches Berth hosts (ssh://) only, until it has the"
					+ " Incus engine.";
		}
		if (r.name().equals(Connection.LOCAL) || connections != null && connections.connections().stream().anyMatch(
				c -> c.name().equals(r.name()))) {
			return "There is a connection \"" + r.name() + "\" already; choose another name.";
		}
		return null;
	}

	private void validate() {
		String p = problemOf(name.getText(), url.getText());
		setErrorMessage(p);
		if (getButton(IDialogConstants.OK_ID) != null) {
			getButton(IDialogConstants.OK_ID).setEnabled(p == null);
		}
	}

	@Override
	protected void okPressed() {
		remote = Remote.of(name.getText().strip(), url.getText());
		super.okPressed();
	}

	/** What the user added, once OK was pressed. */
	public Remote remote() {
		return remote;
	}

	/** The name and URL fields (tests). */
	public Text[] fields() {
		return new Text[]{name, url};
	}
}
