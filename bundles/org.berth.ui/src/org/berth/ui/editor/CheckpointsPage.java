package org.berth.ui.editor;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.berth.core.CheckpointInfo;
import org.berth.core.ContainerEngine;
import org.berth.core.Sizes;
import org.berth.ui.handlers.CheckpointActions;
import org.berth.ui.jobs.BerthJobs;
import org.berth.ui.jobs.CheckpointJob;
import org.berth.ui.jobs.EngineJob;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.IJobChangeListener;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;

/**
 * The editor's Checkpoints page: the container's CRIU checkpoints (name, time, size, whether TCP connections were
 * saved, folder), and Restore, Delete and Refresh. Each runs as a job; the list is read again after any
 * {@link CheckpointJob} of this container is done, the Container menu's too. An engine that cannot checkpoint (the
 * agent's client today) is said in place of the table.
 */
public final class CheckpointsPage {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
			.withZone(ZoneId.systemDefault());
	/** The columns; Path takes what the others leave of the table's width. */
	private static final String[] COLUMNS = {"Name", "Created", "Size", "TCP", "Path"};
	private static final int[] WIDTHS = {120, 155, 75, 45, 200};

	private final ContainerEngine engine;
	private final String name;
	private final AtomicBoolean refreshing = new AtomicBoolean();
	private final IJobChangeListener jobs = new JobChangeAdapter() {
		@Override
		public void done(IJobChangeEvent event) {
			if (event.getJob() instanceof CheckpointJob j && j.container().equals(name)) {
				refresh();
			}
		}
	};
	private Composite control;
	private Table table;
	private Label status;
	private Text folder;
	private Button restore;
	private Button delete;
	private Button refresh;
	private List<CheckpointInfo> shown = List.of();
	private String unsupported;

	public CheckpointsPage(ContainerEngine engine, String name) {
		this.engine = engine;
		this.name = name;
	}

	public Composite create(Composite parent) {
		control = new Composite(parent, SWT.NONE);
		GridLayoutFactory.swtDefaults().margins(12, 12).applyTo(control);
		status = new Label(control, SWT.WRAP);
		status.setData(ContainerEditor.TEST_ID, "editor.checkpoints.status");
		GridDataFactory.fillDefaults().grab(true, false).hint(400, SWT.DEFAULT).applyTo(status);
		table = new Table(control, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE);
		table.setData(ContainerEditor.TEST_ID, "editor.checkpoints.table");
		table.setHeaderVisible(true);
		table.setLinesVisible(true);
		for (int i = 0; i < COLUMNS.length; i++) {
			TableColumn col = new TableColumn(table, COLUMNS[i].equals("Size") ? SWT.RIGHT : SWT.LEFT);
			col.setText(COLUMNS[i]);
			col.setWidth(WIDTHS[i]);
		}
		table.addListener(SWT.Resize, e -> fitPathColumn());
		table.addListener(SWT.MouseHover, e -> { // a long folder is cut in its column: whole in the tooltip
			TableItem item = table.getItem(new Point(e.x, e.y));
			table.setToolTipText(item == null ? null : item.getText(COLUMNS.length - 1));
		});
		GridDataFactory.fillDefaults().grab(true, true).hint(400, 200).applyTo(table);
		// the selected checkpoint's folder whole (the column cuts it), to copy: berth restore takes it too
		folder = new Text(control, SWT.READ_ONLY | SWT.MULTI | SWT.WRAP);
		folder.setData(ContainerEditor.TEST_ID, "editor.checkpoints.folder");
		folder.setBackground(control.getBackground());
		GridDataFactory.fillDefaults().grab(true, false).hint(400, SWT.DEFAULT).applyTo(folder);
		Composite buttons = new Composite(control, SWT.NONE);
		GridLayoutFactory.fillDefaults().numColumns(3).equalWidth(false).applyTo(buttons);
		GridDataFactory.fillDefaults().applyTo(buttons);
		restore = button(buttons, "&Restore", "restore", () -> selected().ifPresent(c -> restore(c.name())));
		delete = button(buttons, "&Delete...", "delete", this::askDelete);
		refresh = button(buttons, "Re&fresh", "refresh", this::refresh);
		table.addListener(SWT.Selection, e -> enable());
		table.addListener(SWT.KeyDown, e -> {
			if (e.keyCode == SWT.DEL && delete.isEnabled()) {
				askDelete();
			}
		});
		Job.getJobManager().addJobChangeListener(jobs);
		control.addDisposeListener(e -> Job.getJobManager().removeJobChangeListener(jobs));
		enable();
		return control;
	}

	private Button button(Composite parent, String text, String id, Runnable action) {
		Button b = new Button(parent, SWT.PUSH);
		b.setText(text);
		b.setData(ContainerEditor.TEST_ID, "editor.checkpoints." + id);
		GridDataFactory.fillDefaults().applyTo(b);
		b.addListener(SWT.Selection, e -> action.run());
		return b;
	}

	/** The Path column takes what the others leave of the table's width. */
	private void fitPathColumn() {
		int others = 0;
		for (int i = 0; i < COLUMNS.length - 1; i++) {
			others += table.getColumn(i).getWidth();
		}
		table.getColumn(COLUMNS.length - 1).setWidth(Math.max(80, table.getClientArea().width - others));
	}

	private void askDelete() {
		selected().ifPresent(c -> {
			if (MessageDialog.openConfirm(control.getShell(), "Delete Checkpoint", "Delete the checkpoint \""
					+ c.name() + "\" of \"" + name + "\" (" + Sizes.formatBytes(c.sizeBytes()) + " in " + c.path()
					+ ")? \"" + name + "\" cannot be resumed from it afterwards.")) {
				delete(c.name());
			}
		});
	}

	private Optional<CheckpointInfo> selected() {
		int i = table.getSelectionIndex();
		return i < 0 || i >= shown.size() ? Optional.empty() : Optional.of(shown.get(i));
	}

	private void enable() {
		boolean one = unsupported == null && table.getSelectionIndex() >= 0;
		folder.setText(selected().map(c -> "Folder: " + c.path()).orElse(""));
		control.layout(true, true);
		String blocker = CheckpointActions.restoreBlocker(engine.get(name).orElse(null));
		restore.setEnabled(one && blocker == null);
		restore.setToolTipText(blocker);
		delete.setEnabled(one);
		refresh.setEnabled(unsupported == null);
	}

	/** Reads the list again (in a job; several asked at once read it once); the table follows on the UI thread. */
	public void refresh() {
		if (!refreshing.compareAndSet(false, true)) {
			return;
		}
		new EngineJob("Reading the checkpoints of \"" + name + "\"", "Could not read the checkpoints") {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				refreshing.set(false);
				try {
					show(BerthJobs.await(engine.checkpoints(name), monitor), null);
					return Status.OK_STATUS;
				} catch (UnsupportedOperationException e) {
					show(List.of(), BerthJobs.message(e));
					return Status.OK_STATUS;
				} catch (Exception e) {
					return Status.error("Could not read the checkpoints of \"" + name + "\": "
							+ BerthJobs.message(e), e);
				}
			}
		}.schedule();
	}

	/** Resumes the stopped container from {@code checkpoint} (as the Restore button does). */
	public void restore(String checkpoint) {
		CheckpointJob.restore(engine, name, checkpoint).schedule();
	}

	/** Deletes {@code checkpoint} without asking (the Delete button asks first). */
	public void delete(String checkpoint) {
		CheckpointJob.delete(engine, name, checkpoint).schedule();
	}

	private void show(List<CheckpointInfo> list, String cannot) {
		if (control == null || control.isDisposed()) {
			return;
		}
		control.getDisplay().asyncExec(() -> {
			if (control.isDisposed()) {
				return;
			}
			String wasSelected = selected().map(CheckpointInfo::name).orElse(null);
			unsupported = cannot;
			shown = list;
			table.removeAll();
			for (CheckpointInfo c : list) {
				TableItem item = new TableItem(table, SWT.NONE);
				item.setText(new String[]{c.name(), TIME.format(c.created()), Sizes.formatBytes(c.sizeBytes()),
						c.tcpEstablished() ? "yes" : "no", c.path()});
				if (c.name().equals(wasSelected)) {
					table.setSelection(item);
				}
			}
			// an engine that cannot checkpoint: its sentence, not an empty table that looks like "none yet"
			boolean visible = cannot == null;
			for (org.eclipse.swt.widgets.Control c : new org.eclipse.swt.widgets.Control[]{table, folder,
					restore.getParent()}) {
				((GridData) c.getLayoutData()).exclude = !visible;
				c.setVisible(visible);
			}
			status.setText(cannot != null ? "Checkpoints are not available here: " + cannot + "."
					: CheckpointActions.summary(name, list));
			control.layout(true, true);
			enable();
		});
	}

	/** The container changed (its state): what the buttons allow may change. */
	void containerChanged() {
		if (control != null && !control.isDisposed()) {
			enable();
		}
	}

	/** The rows as shown, for tests (UI thread). */
	public List<CheckpointInfo> shown() {
		return shown;
	}

	/** The status line above the table, for tests (UI thread). */
	public String status() {
		return status.getText();
	}

	/** Whether the table shows (it does not when the engine cannot checkpoint), for tests (UI thread). */
	public boolean tableShown() {
		return table.getVisible();
	}
}
