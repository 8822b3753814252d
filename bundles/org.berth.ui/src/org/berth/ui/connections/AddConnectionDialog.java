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
 * Names another host: a name and a URL, checked as {@code berth remote add} checks them ({@link Remote#of}'s
 * sentences, shown as the dialog's error while OK stays disabled): a Berth host ({@code ssh://}) or an Incus server
 * ({@code https://}, with a trust token made there when it does not trust this user's certificate yet, or
 * {@code unix://} for a local one). The server's certificate is shown for the user to confirm after OK, before
 * anything is saved ({@link ConnectionsView}).
 */
public final class AddConnectionDialog extends TitleAreaDialog {

	private final Connections connections;
	private final Remote editing;
	private Text name;
	private Text url;
	private Text token;
	private Remote remote;
	private String trustToken;

	public AddConnectionDialog(Shell parent, Connections connections) {
		this(parent, connections, null);
	}

	/** The dialog that changes remote {@code editing} (its name and URL shown to change), or adds one when null. */
	public AddConnectionDialog(Shell parent, Connections connections, Remote editing) {
		super(parent);
		this.connections = connections;
		this.editing = editing;
	}

	@Override
	protected void configureShell(Shell shell) {
		super.configureShell(shell);
		shell.setText(editing == null ? "Add Connection" : "Edit Connection");
	}

	@Override
	protected Control createDialogArea(Composite parent) {
		Composite area = (Composite) super.createDialogArea(parent);
		setTitle(editing == null ? "Add a Berth host or an Incus server" : "Change " + editing.name());
		setMessage("A Berth host's agent is reached through your own ssh (ssh://; its configuration, agent and known"
				+ " hosts). An Incus server: https://host[:8443], or unix:///path for one on this machine.");
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
		url.setMessage("ssh://[user@]host[:port][/run/berth/berth.sock] or https://host[:8443]");
		url.setData(ContainersView.TEST_ID, "connections.add.url");
		GridDataFactory.fillDefaults().grab(true, false).applyTo(url);
		new Label(form, SWT.NONE).setText("&Trust token:");
		token = new Text(form, SWT.BORDER);
		token.setMessage("for an Incus server that does not trust you yet: incus config trust add NAME there");
		token.setToolTipText("Made on the Incus server with `incus config trust add NAME`; enrols your client"
				+ " certificate once. Not needed for ssh:// or unix://, nor when the server trusts you already.");
		token.setData(ContainersView.TEST_ID, "connections.add.token");
		GridDataFactory.fillDefaults().grab(true, false).applyTo(token);
		if (editing != null) {
			name.setText(editing.name());
			url.setText(editing.url());
		}
		name.addModifyListener(e -> validate());
		url.addModifyListener(e -> validate());
		return area;
	}

	@Override
	protected void createButtonsForButtonBar(Composite parent) {
		super.createButtonsForButtonBar(parent);
		getButton(IDialogConstants.OK_ID).setText(editing == null ? "&Add" : "&Change");
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
		boolean same = editing != null && editing.name().equals(r.name());
		if (r.name().equals(Connection.LOCAL) || !same && connections != null && connections.connections().stream()
				.anyMatch(c -> c.name().equals(r.name()))) {
			return "There is a connection \"" + r.name() + "\" already; choose another name.";
		}
		return null;
	}

	/** Whether {@code u} is an Incus server over HTTPS, the one kind of URL a trust token is for. */
	static boolean isHttps(String u) {
		return u.strip().startsWith("https://");
	}

	private void validate() {
		token.setEnabled(isHttps(url.getText()));
		String p = problemOf(name.getText(), url.getText());
		setErrorMessage(p);
		if (getButton(IDialogConstants.OK_ID) != null) {
			getButton(IDialogConstants.OK_ID).setEnabled(p == null);
		}
	}

	@Override
	protected void okPressed() {
		remote = Remote.of(name.getText().strip(), url.getText());
		String t = token.getText().strip();
		trustToken = t.isEmpty() || !isHttps(url.getText()) ? null : t;
		super.okPressed();
	}

	/** What the user added, once OK was pressed. */
	public Remote remote() {
		return remote;
	}

	/** The trust token the user gave for an Incus server over HTTPS, once OK was pressed; null for none. */
	public String trustToken() {
		return trustToken;
	}

	/** The name, URL and trust token fields (tests). */
	public Text[] fields() {
		return new Text[]{name, url, token};
	}
}
