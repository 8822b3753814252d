package org.berth.ui.compare;

import java.util.List;

import org.berth.core.ContainerDiff;
import org.berth.core.ContainerEngine;
import org.berth.core.SpecDiff;
import org.berth.core.TreeDiff;
import org.berth.ui.jobs.BerthJobs;
import org.berth.ui.jobs.EngineJob;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;

/**
 * Two containers or snapshots side by side ({@link ContainerEngine#diff}): the settings that differ, and the files
 * added, removed and changed with what changed on each side. The comparison runs in a job; the dialog fills in when
 * it is done.
 */
public final class CompareDialog extends Dialog {

	/** The key under which tests find widgets. */
	public static final String TEST_ID = "org.berth.ui.test.id";

	private final ContainerEngine engine;
	private final String a;
	private final String b;
	private Label summary;
	private Table spec;
	private Table files;
	private volatile ContainerDiff diff;

	public CompareDialog(Shell parent, ContainerEngine engine, String a, String b) {
		super(parent);
		this.engine = engine;
		this.a = a;
		this.b = b;
		setShellStyle(getShellStyle() | SWT.RESIZE | SWT.MAX);
	}

	@Override
	protected void configureShell(Shell shell) {
		super.configureShell(shell);
		shell.setText("Compare " + a + " and " + b);
	}

	@Override
	protected Point getInitialSize() {
		return new Point(900, 620);
	}

	@Override
	protected void createButtonsForButtonBar(Composite parent) {
		createButton(parent, IDialogConstants.CLOSE_ID, IDialogConstants.CLOSE_LABEL, true);
	}

	@Override
	protected void buttonPressed(int id) {
		if (id == IDialogConstants.CLOSE_ID) {
			close();
		}
		super.buttonPressed(id);
	}

	@Override
	protected Control createDialogArea(Composite parent) {
		Composite c = (Composite) super.createDialogArea(parent);
		GridLayoutFactory.swtDefaults().margins(12, 12).applyTo(c);
		summary = new Label(c, SWT.WRAP);
		summary.setData(TEST_ID, "compare.summary");
		summary.setText("Comparing " + a + " and " + b + "…");
		GridDataFactory.fillDefaults().grab(true, false).applyTo(summary);
		new Label(c, SWT.NONE).setText("Settings:");
		spec = table(c, "compare.spec", new String[]{"Setting", a, b}, new int[]{160, 330, 330}, 120);
		new Label(c, SWT.NONE).setText("Files (+ only in " + b + ", - only in " + a + ", ~ changed):");
		files = table(c, "compare.files", new String[]{"", "Path", a, b}, new int[]{30, 300, 250, 250}, 300);
		compare();
		return c;
	}

	private static Table table(Composite parent, String id, String[] headers, int[] widths, int height) {
		Table t = new Table(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.V_SCROLL | SWT.H_SCROLL);
		t.setData(TEST_ID, id);
		t.setHeaderVisible(true);
		t.setLinesVisible(true);
		for (int i = 0; i < headers.length; i++) {
			TableColumn col = new TableColumn(t, SWT.LEFT);
			col.setText(headers[i]);
			col.setWidth(widths[i]);
		}
		GridDataFactory.fillDefaults().grab(true, true).hint(SWT.DEFAULT, height).applyTo(t);
		return t;
	}

	private void compare() {
		new EngineJob("Comparing " + a + " and " + b, "Compare failed") {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				try {
					ContainerDiff d = BerthJobs.await(engine.diff(a, b), monitor);
					diff = d;
					show(d, null);
					return Status.OK_STATUS;
				} catch (Exception e) {
					show(null, BerthJobs.message(e));
					return Status.error(BerthJobs.message(e), e);
				}
			}
		}.schedule();
	}

	private void show(ContainerDiff d, String failure) {
		Shell shell = getShell();
		if (shell == null || shell.isDisposed()) {
			return;
		}
		shell.getDisplay().asyncExec(() -> {
			if (summary.isDisposed()) {
				return;
			}
			if (d == null) {
				summary.setText("Could not compare " + a + " and " + b + ": " + failure);
				return;
			}
			summary.setText(d.isEmpty() ? a + " and " + b + " are the same."
					: d.spec().size() + (d.spec().size() == 1 ? " setting" : " settings") + " and " + d.files().size()
							+ (d.files().size() == 1 ? " file differ." : " files differ."));
			for (SpecDiff.Change c : d.spec()) {
				new TableItem(spec, SWT.NONE).setText(new String[]{c.field(), blank(c.a()), blank(c.b())});
			}
			for (TreeDiff.Change c : d.files()) {
				new TableItem(files, SWT.NONE).setText(new String[]{Character.toString(c.kind().sign()), c.path(),
						side(c, true), side(c, false)});
			}
			summary.getParent().layout(true, true);
		});
	}

	private static String blank(String s) {
		return s == null || s.isEmpty() ? "—" : s;
	}

	/** What one side has of a changed path: "size 6, content 3a1f…"; "absent" where it is not. */
	private static String side(TreeDiff.Change c, boolean first) {
		if (c.kind() == TreeDiff.Kind.ADDED) {
			return first ? "absent" : c.type().word();
		}
		if (c.kind() == TreeDiff.Kind.REMOVED) {
			return first ? c.type().word() : "absent";
		}
		StringBuilder s = new StringBuilder();
		for (TreeDiff.Detail d : c.details()) {
			String v = first ? d.a() : d.b();
			if (d.field().equals("content") && v != null && v.length() > 8) {
				v = v.substring(0, 8) + "…";
			}
			s.append(s.length() == 0 ? "" : ", ").append(d.field()).append(' ').append(v);
		}
		return s.toString();
	}

	/** The comparison once it is done, else null (tests wait for it). */
	public ContainerDiff result() {
		return diff;
	}

	/** The rows of the files table (UI thread), for tests. */
	public List<String> fileRows() {
		return java.util.Arrays.stream(files.getItems()).map(i -> i.getText(0) + " " + i.getText(1)).toList();
	}
}
