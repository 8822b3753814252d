package org.berth.ui.connections;

import java.time.Duration;
import java.util.List;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

import org.berth.client.inventory.Connection;
import org.berth.client.inventory.Connections;
import org.berth.core.incus.IncusEngine;
import org.berth.core.remote.Remote;
import org.berth.ui.containers.ContainersView;
import org.berth.ui.internal.Engines;
import org.berth.ui.jobs.BerthJobs;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.util.Throttler;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnViewerToolTipSupport;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;

/**
 * The console's connections: this host's engine and each of the user's remote Berth hosts and Incus servers, with
 * where it goes and whether it is connected (or reconnecting, and why). Add… names another host (saved in the user's
 * remotes, as {@code berth remote add} does), Edit… changes one's name or URL and Remove forgets one; their containers
 * come and go in the Containers view. The list follows the inventory's connection changes; adding, changing and
 * removing run as jobs.
 */
public final class ConnectionsView {

	/** The view id in plugin.xml. */
	public static final String ID = "org.berth.ui.connections";

	private static final String TEST_ID = ContainersView.TEST_ID;

	private Connections connections;
	private Runnable listener;
	private Display display;
	private Throttler refresher;
	private TableViewer viewer;
	private Button add;
	private Button edit;
	private Button remove;
	private Label note;

	@PostConstruct
	public void createPartControl(Composite parent) {
		display = parent.getDisplay();
		connections = Engines.connections().orElse(null);
		GridLayoutFactory.fillDefaults().numColumns(2).margins(6, 4).applyTo(parent);

		note = new Label(parent, SWT.WRAP);
		note.setData(TEST_ID, "connections.note");
		note.setText(connections == null ? "This console shows one engine; connections to other hosts come with the"
				+ " console's inventory (org.berth.client)." : "");
		GridDataFactory.fillDefaults().span(2, 1).grab(true, false).hint(300, SWT.DEFAULT).exclude(connections != null)
				.applyTo(note);
		note.setVisible(connections == null);

		viewer = new TableViewer(parent, SWT.SINGLE | SWT.FULL_SELECTION | SWT.BORDER);
		Table table = viewer.getTable();
		table.setHeaderVisible(true);
		table.setLinesVisible(true);
		table.setData(TEST_ID, "connections.table");
		GridDataFactory.fillDefaults().grab(true, true).applyTo(table);
		column("Name", 110, s -> s.name());
		column("URL", 400, s -> s.url());
		column("State", 110, s -> s.connected() ? "Connected" : "Reconnecting");
		column("Details", 420, s -> s.connected() ? "" : s.problem());
		ColumnViewerToolTipSupport.enableFor(viewer);
		viewer.setContentProvider(ArrayContentProvider.getInstance());

		Composite buttons = new Composite(parent, SWT.NONE);
		GridLayoutFactory.fillDefaults().applyTo(buttons);
		GridDataFactory.fillDefaults().align(SWT.FILL, SWT.BEGINNING).applyTo(buttons);
		add = new Button(buttons, SWT.PUSH);
		add.setText("&Add…");
		add.setToolTipText("Name another Berth host, reached through your ssh (ssh://[user@]host[:port]), or an"
				+ " Incus server (https://host[:8443], unix:///path)");
		add.setData(TEST_ID, "connections.add");
		GridDataFactory.fillDefaults().applyTo(add);
		add.addListener(SWT.Selection, e -> addConnection());
		edit = new Button(buttons, SWT.PUSH);
		edit.setText("&Edit…");
		edit.setToolTipText("Change the selected remote's name or URL");
		edit.setData(TEST_ID, "connections.edit");
		GridDataFactory.fillDefaults().applyTo(edit);
		edit.addListener(SWT.Selection, e -> editSelected());
		viewer.addDoubleClickListener(e -> {
			if (edit.isEnabled()) {
				editSelected();
			}
		});
		remove = new Button(buttons, SWT.PUSH);
		remove.setText("&Remove");
		remove.setToolTipText("Forget the selected remote (its containers go on there)");
		remove.setData(TEST_ID, "connections.remove");
		GridDataFactory.fillDefaults().applyTo(remove);
		remove.addListener(SWT.Selection, e -> removeSelected());
		viewer.addSelectionChangedListener(e -> updateButtons());
		table.addListener(SWT.KeyDown, e -> {
			if (e.keyCode == SWT.DEL && remove.isEnabled()) {
				removeSelected();
			}
		});

		refresher = new Throttler(display, Duration.ZERO, () -> {
			if (!viewer.getControl().isDisposed()) {
				refresh();
			}
		});
		if (connections != null) {
			listener = refresher::throttledAsyncExec;
			connections.addConnectionListener(listener);
		}
		refresh();
	}

	private void column(String header, int width, java.util.function.Function<Connections.State, String> text) {
		TableViewerColumn vc = new TableViewerColumn(viewer, SWT.NONE);
		TableColumn tc = vc.getColumn();
		tc.setText(header);
		tc.setWidth(width);
		vc.setLabelProvider(new ColumnLabelProvider() {
			@Override
			public String getText(Object element) {
				String t = text.apply((Connections.State) element);
				return t == null ? "" : t;
			}

			@Override
			public Color getForeground(Object element) {
				return ((Connections.State) element).connected() ? null
						: display.getSystemColor(SWT.COLOR_DARK_RED);
			}

			@Override
			public String getToolTipText(Object element) {
				Connections.State s = (Connections.State) element;
				return s.connected() ? null : s.problem();
			}
		});
	}

	/** Shows the connections as they are now. UI thread. */
	void refresh() {
		List<Connections.State> states = connections == null ? List.of() : connections.connections();
		Object selected = viewer.getStructuredSelection().getFirstElement();
		viewer.setInput(states);
		if (selected instanceof Connections.State s) {
			states.stream().filter(x -> x.name().equals(s.name())).findFirst().ifPresent(x -> viewer.setSelection(
					new org.eclipse.jface.viewers.StructuredSelection(x)));
		}
		updateButtons();
	}

	private void updateButtons() {
		add.setEnabled(connections != null);
		Object selected = viewer.getStructuredSelection().getFirstElement();
		boolean remote = connections != null && selected instanceof Connections.State s && s.remote();
		edit.setEnabled(remote);
		remove.setEnabled(remote);
	}

	/**
	 * Asks for a name and a URL, then adds the remote in a job; an Incus server over HTTPS first shows its certificate's
	 * fingerprint for the user to confirm (as ssh asks about a new host key), and nothing is saved when they do not.
	 */
	void addConnection() {
		AddConnectionDialog dialog = new AddConnectionDialog(viewer.getControl().getShell(), connections);
		if (dialog.open() == Window.OK) {
			String token = dialog.trustToken();
			pinned(dialog.remote(), null, r -> add(r, token));
		}
	}

	/**
	 * Shows the selected remote's name and URL to change, then changes it in a job (an Incus server at another HTTPS
	 * address has its certificate confirmed first, as when adding).
	 */
	void editSelected() {
		if (!(viewer.getStructuredSelection().getFirstElement() instanceof Connections.State s) || !s.remote()) {
			return;
		}
		Remote before = connections.remote(s.name()).orElse(null);
		if (before == null) {
			MessageDialog.openError(viewer.getControl().getShell(), "Edit Connection", s.name() + " is not among your"
					+ " saved remotes any more; add it again.");
			return;
		}
		AddConnectionDialog dialog = new AddConnectionDialog(viewer.getControl().getShell(), connections, before);
		if (dialog.open() == Window.OK) {
			Remote after = dialog.remote();
			String token = dialog.trustToken();
			if (after.name().equals(before.name()) && after.url().equals(before.url()) && token == null) {
				return; // nothing changed
			}
			pinned(after, before, r -> edit(before.name(), r, token));
		}
	}

	/**
	 * Runs {@code then} with {@code remote} as it is to be saved: an Incus server over HTTPS with its certificate pinned
	 * once the user confirmed it (kept from {@code before} when the address is the same); any other as it is.
	 */
	private void pinned(Remote remote, Remote before, java.util.function.Consumer<Remote> then) {
		if (remote.kind() != Remote.Kind.INCUS || !AddConnectionDialog.isHttps(remote.url())) {
			then.accept(remote);
			return;
		}
		if (before != null && before.fingerprint() != null && before.url().equals(remote.url())) {
			then.accept(remote.withFingerprint(before.fingerprint()));
			return;
		}
		Job contact = new Job("Contact " + remote.url()) {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				String fingerprint;
				try {
					fingerprint = IncusEngine.serverFingerprint(remote.url());
				} catch (Exception e) {
					return Status.error("Cannot reach " + remote.url() + ": " + BerthJobs.message(e), e);
				}
				display.asyncExec(() -> {
					if (!viewer.getControl().isDisposed() && confirm(remote, fingerprint)) {
						then.accept(remote.withFingerprint(fingerprint));
					}
				});
				return Status.OK_STATUS;
			}
		};
		contact.setUser(true);
		contact.schedule();
	}

	/** Whether the user takes {@code fingerprint} as the certificate of {@code remote}'s server. UI thread. */
	private boolean confirm(Remote remote, String fingerprint) {
		return MessageDialog.openQuestion(viewer.getControl().getShell(), "Confirm Certificate", certificateQuestion(
				remote, fingerprint));
	}

	/** What the user is asked about a server's certificate before it is pinned. */
	public static String certificateQuestion(Remote remote, String fingerprint) {
		return "The Incus server at " + remote.url() + " presents a certificate with the SHA-256 fingerprint\n\n"
				+ Remote.readable(Remote.fingerprint(fingerprint)) + "\n\nIs it the server's? Compare it with"
				+ " `incus info` there. Yes pins it for " + remote.name() + "; No saves nothing.";
	}

	/**
	 * Adds {@code remote} in a user job: an Incus server over HTTPS contacted first (enrolled with {@code token} when
	 * given), then saved and connected (the connection keeps trying by itself).
	 */
	public Job add(Remote remote, String token) {
		Connections target = connections;
		return change("Add connection " + remote.name(), "Cannot add " + remote.name(), () -> target.addRemote(remote,
				token));
	}

	/** Changes remote {@code name} into {@code remote} in a user job. */
	public Job edit(String name, Remote remote, String token) {
		Connections target = connections;
		return change("Change connection " + name, "Cannot change " + name, () -> target.editRemote(name, remote,
				token));
	}

	/** A change of the connections, done by {@link #change}. */
	@FunctionalInterface
	private interface Change {
		void run() throws Exception;
	}

	/** Runs {@code change} in a user job of Berth's family, scheduled; a failure reads "{@code failed}: why". */
	private static Job change(String title, String failed, Change change) {
		Job job = new Job(title) {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				try {
					change.run();
					return Status.OK_STATUS;
				} catch (Exception e) {
					return Status.error(failed + ": " + BerthJobs.message(e), e);
				}
			}

			@Override
			public boolean belongsTo(Object family) {
				return family == BerthJobs.FAMILY;
			}
		};
		job.setUser(true);
		job.schedule();
		return job;
	}

	private void removeSelected() {
		if (!(viewer.getStructuredSelection().getFirstElement() instanceof Connections.State s) || !s.remote()) {
			return;
		}
		Shell shell = viewer.getControl().getShell();
		if (!MessageDialog.openConfirm(shell, "Remove Connection", "Forget " + s.name() + " (" + s.url() + ")?"
				+ " Its containers go on running there; they leave this console's list.")) {
			return;
		}
		remove(s.name());
	}

	/** Removes remote {@code name} in a user job. */
	public Job remove(String name) {
		Connections target = connections;
		return change("Remove connection " + name, "Cannot remove " + name, () -> target.removeRemote(name));
	}

	@Focus
	public void setFocus() {
		viewer.getControl().setFocus();
	}

	@PreDestroy
	public void dispose() {
		if (connections != null && listener != null) {
			connections.removeConnectionListener(listener);
		}
	}

	/** The table (for tests). */
	public TableViewer viewer() {
		return viewer;
	}

	/** The name of the local connection, as the table shows it. */
	public static final String LOCAL = Connection.LOCAL;
}
