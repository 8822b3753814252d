package org.berth.ui.editor;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import org.berth.core.ContainerEngine;
import org.berth.core.SnapshotInfo;
import org.berth.core.SpecValidator;
import org.berth.core.Sizes;
import org.berth.ui.compare.CompareDialog;
import org.berth.ui.jobs.BerthJobs;
import org.berth.ui.jobs.EngineJob;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;

/**
 * The editor's Snapshots page: the container's snapshots (name, time, size, how copied), and Take, Restore, Delete,
 * New Container from one, and Compare one with the container as it is now ({@link CompareDialog}). Each runs as a job; the list is read again after it.
 */
final class SnapshotsPage {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
			.withZone(ZoneId.systemDefault());

	private final ContainerEngine engine;
	private final String name;
	private Composite control;
	private Table table;
	private Label status;
	private Button restore;
	private Button delete;
	private Button newContainer;
	private Button compare;
	private List<SnapshotInfo> shown = List.of();

	SnapshotsPage(ContainerEngine engine, String name) {
		this.engine = engine;
		this.name = name;
	}

	Composite create(Composite parent) {
		control = new Composite(parent, SWT.NONE);
		GridLayoutFactory.swtDefaults().margins(12, 12).applyTo(control);
		status = new Label(control, SWT.WRAP);
		status.setData(ContainerEditor.TEST_ID, "editor.snapshots.status");
		GridDataFactory.fillDefaults().grab(true, false).hint(400, SWT.DEFAULT).applyTo(status);
		table = new Table(control, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE);
		table.setData(ContainerEditor.TEST_ID, "editor.snapshots.table");
		table.setHeaderVisible(true);
		table.setLinesVisible(true);
		for (String[] c : new String[][]{{"Name", "140"}, {"Taken", "150"}, {"Size", "75"}, {"Kind", "110"}}) {
			TableColumn col = new TableColumn(table, c[0].equals("Size") ? SWT.RIGHT : SWT.LEFT);
			col.setText(c[0]);
			col.setWidth(Integer.parseInt(c[1]));
		}
		GridDataFactory.fillDefaults().grab(true, true).hint(400, 200).applyTo(table);
		Composite buttons = new Composite(control, SWT.NONE);
		GridLayoutFactory.fillDefaults().numColumns(5).equalWidth(false).applyTo(buttons);
		GridDataFactory.fillDefaults().applyTo(buttons);
		button(buttons, "&Take Snapshot...", "take", () -> askName("Take Snapshot", "Name of the new snapshot of \""
				+ name + "\" (empty: the next snapN):", "", true).ifPresent(this::take));
		restore = button(buttons, "&Restore...", "restore", () -> selected().ifPresent(s -> {
			if (MessageDialog.openConfirm(control.getShell(), "Restore Snapshot", "Put the files and settings of \""
					+ name + "\" back as they were in \"" + s.name() + "\" (" + TIME.format(s.created())
					+ ")? What changed since is lost.")) {
				restore(s.name());
			}
		}));
		delete = button(buttons, "&Delete...", "delete", () -> selected().ifPresent(s -> {
			if (MessageDialog.openConfirm(control.getShell(), "Delete Snapshot", "Delete the snapshot \"" + s.name()
					+ "\" of \"" + name + "\"?")) {
				delete(s.name());
			}
		}));
		newContainer = button(buttons, "&New Container...", "new", () -> selected().ifPresent(s -> askName(
				"New Container from Snapshot", "Name of the new container made from \"" + s.reference() + "\":",
				name + "-" + s.name(), false).ifPresent(n -> createFrom(s.name(), n))));
		compare = button(buttons, "Co&mpare...", "compare", () -> selected().ifPresent(s -> new CompareDialog(control
				.getShell(), engine, s.reference(), name).open()));
		table.addListener(SWT.Selection, e -> enable());
		enable();
		return control;
	}

	private Button button(Composite parent, String text, String id, Runnable action) {
		Button b = new Button(parent, SWT.PUSH);
		b.setText(text);
		b.setData(ContainerEditor.TEST_ID, "editor.snapshots." + id);
		GridDataFactory.fillDefaults().applyTo(b);
		b.addListener(SWT.Selection, e -> action.run());
		return b;
	}

	private java.util.Optional<String> askName(String title, String message, String initial, boolean emptyOk) {
		InputDialog d = new InputDialog(control.getShell(), title, message, initial, text -> {
			if (text.isEmpty() && emptyOk) {
				return null;
			}
			return SpecValidator.isValidName(text) ? null : "\"" + text + "\" is not a valid name: "
					+ SpecValidator.NAME_RULE;
		});
		return d.open() == Window.OK ? java.util.Optional.of(d.getValue().trim()) : java.util.Optional.empty();
	}

	private java.util.Optional<SnapshotInfo> selected() {
		int i = table.getSelectionIndex();
		return i < 0 || i >= shown.size() ? java.util.Optional.empty() : java.util.Optional.of(shown.get(i));
	}

	private void enable() {
		boolean one = table.getSelectionIndex() >= 0;
		boolean stopped = engine.get(name).map(s -> !s.isActive()).orElse(false);
		restore.setEnabled(one && stopped);
		restore.setToolTipText(stopped ? null : "Stop the container to restore a snapshot");
		delete.setEnabled(one);
		newContainer.setEnabled(one);
		compare.setEnabled(one);
	}

	/** Reads the list again (in a job); the table follows on the UI thread. */
	void refresh() {
		run("Reading the snapshots of \"" + name + "\"", "Could not read the snapshots", () -> null);
	}

	/** Takes a snapshot named {@code snapshot} ("" or null: the next free name). */
	void take(String snapshot) {
		String snap = snapshot == null || snapshot.isEmpty() ? null : snapshot;
		run("Taking a snapshot of \"" + name + "\"", "Snapshot failed", () -> engine.createSnapshot(name, snap));
	}

	void restore(String snapshot) {
		run("Restoring \"" + name + "\" from \"" + snapshot + "\"", "Restore failed",
				() -> engine.restoreSnapshot(name, snapshot));
	}

	void delete(String snapshot) {
		run("Deleting the snapshot \"" + snapshot + "\" of \"" + name + "\"", "Delete failed",
				() -> engine.deleteSnapshot(name, snapshot));
	}

	void createFrom(String snapshot, String newName) {
		run("Creating \"" + newName + "\" from \"" + name + "/" + snapshot + "\"", "Create failed",
				() -> engine.createFromSnapshot(name, snapshot, newName));
	}

	/** The engine call to make first (null: none), then the list read again. */
	private interface Call {
		java.util.concurrent.CompletableFuture<?> start();
	}

	private void run(String title, String errorTitle, Call call) {
		new EngineJob(title, errorTitle) {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				try {
					var f = call.start();
					if (f != null) {
						BerthJobs.await(f, monitor);
					}
					List<SnapshotInfo> list = BerthJobs.await(engine.snapshots(name), monitor);
					show(list);
					return Status.OK_STATUS;
				} catch (Exception e) {
					show(null);
					return Status.error(BerthJobs.message(e), e);
				}
			}
		}.schedule();
	}

	private void show(List<SnapshotInfo> list) {
		if (control == null || control.isDisposed()) {
			return;
		}
		control.getDisplay().asyncExec(() -> {
			if (control.isDisposed() || list == null) {
				return;
			}
			shown = list;
			table.removeAll();
			long total = 0;
			for (SnapshotInfo s : list) {
				TableItem item = new TableItem(table, SWT.NONE);
				item.setText(new String[]{s.name(), TIME.format(s.created()), Sizes.formatBytes(s.sizeBytes()),
						s.kind()});
				total += s.sizeBytes();
			}
			status.setText(list.isEmpty() ? "\"" + name + "\" has no snapshots yet. Take one to go back to later."
					: list.size() + (list.size() == 1 ? " snapshot, " : " snapshots, ") + Sizes.formatBytes(total)
							+ ". Restore needs the container stopped; a running one is frozen while a snapshot is"
							+ " taken.");
			enable();
		});
	}

	/** The container changed (its state): what the buttons allow may change. */
	void containerChanged() {
		if (control != null && !control.isDisposed()) {
			enable();
		}
	}

	/** The rows as shown, for tests. */
	List<SnapshotInfo> shown() {
		return shown;
	}
}
