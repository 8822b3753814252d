package org.berth.ui.handlers;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import org.berth.core.ContainerEngine;
import org.berth.core.ContainerState;
import org.berth.core.MigrationProgress;
import org.berth.core.MigrationRequest;
import org.berth.core.MigrationResult;
import org.berth.ui.jobs.BerthJobs;
import org.berth.ui.jobs.MigrationJob;
import org.berth.ui.preferences.BerthPreferences;
import org.berth.ui.specs.NamespacesEditor;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.IMessageProvider;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StackLayout;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/**
 * Container > Migrate…: the target ({@code ssh://[user@]host[:port]}, the remembered ones offered, the last used
 * first) and whether established TCP connections go along; then the migration itself in a {@link MigrationJob}, its
 * phases listed as they pass, a bar for the current one, the engine's current step. It cannot be closed half-way (a
 * migration is not stoppable); at the end it says where the container runs and how long it was down, or the
 * engine's sentence and the phase that failed.
 */
public final class MigrateDialog extends TitleAreaDialog {

	/** The key under which tests find widgets. */
	public static final String TEST_ID = NamespacesEditor.TEST_ID;

	/** The dialog's title for {@code name}. */
	public static String title(String name) {
		return "Migrate \"" + name + "\"";
	}

	/** Where the dialog is. */
	public enum Stage {
		/** The target is asked for. */
		IDLE,
		/** The migration runs: nothing closes the dialog. */
		RUNNING,
		DONE,
		FAILED
	}

	/** The progress bar's steps (a fraction's thousandths). */
	private static final int STEPS = 1000;

	private final ContainerEngine engine;
	private final String container;
	private final boolean running;
	private final MigrationPhases phases = new MigrationPhases();
	private final AtomicBoolean refreshPending = new AtomicBoolean();
	private Display display;
	private Stage stage = Stage.IDLE;
	private Combo target;
	private Button tcp;
	private Label[][] rows;
	private Composite bars;
	private StackLayout stack;
	private ProgressBar bar;
	private ProgressBar busy;
	private Label step;
	private Text outcome;
	private MigrationJob job;

	public MigrateDialog(Shell parent, ContainerEngine engine, String container) {
		super(parent);
		this.engine = engine;
		this.container = container;
		this.running = engine.get(container).map(s -> s.state() == ContainerState.RUNNING).orElse(false);
	}

	@Override
	protected void configureShell(Shell shell) {
		super.configureShell(shell);
		shell.setText(title(container));
		display = shell.getDisplay();
	}

	/** As wide as a sentence of the message area wraps at, and as high as that width needs. */
	@Override
	protected Point getInitialSize() {
		int width = convertWidthInCharsToPixels(84);
		return new Point(width, getShell().computeSize(width, SWT.DEFAULT, true).y);
	}

	@Override
	protected boolean isResizable() {
		return true;
	}

	@Override
	protected Control createDialogArea(Composite parent) {
		Composite area = (Composite) super.createDialogArea(parent);
		setTitle("Move \"" + container + "\" to another Berth host");
		Composite body = new Composite(area, SWT.NONE);
		GridLayoutFactory.swtDefaults().numColumns(2).margins(12, 12).spacing(8, 8).applyTo(body);
		GridDataFactory.fillDefaults().grab(true, true).applyTo(body);

		new Label(body, SWT.NONE).setText("&Target:");
		target = new Combo(body, SWT.DROP_DOWN | SWT.BORDER);
		target.setData(TEST_ID, "migrate.target");
		List<String> recent = BerthPreferences.migrationTargets();
		target.setItems(recent.toArray(String[]::new));
		target.setText(recent.isEmpty() ? "" : recent.get(0));
		target.setToolTipText("Another host that runs Berth, reached over ssh: ssh://[user@]host[:port]");
		GridDataFactory.fillDefaults().grab(true, false).hint(360, SWT.DEFAULT).applyTo(target);

		tcp = new Button(body, SWT.CHECK);
		tcp.setText("Carry established &TCP connections");
		tcp.setData(TEST_ID, "migrate.tcp");
		tcp.setEnabled(running);
		tcp.setToolTipText(running ? "Their peers keep them across the move; without it they are cut"
				: "\"" + container + "\" is stopped: it has no connections to carry");
		GridDataFactory.fillDefaults().span(2, 1).applyTo(tcp);

		// the phases: a list to read, not to select (nothing to act on in it), so labels rather than a table
		Group list = new Group(body, SWT.NONE);
		list.setText("Phases");
		list.setData(TEST_ID, "migrate.phases");
		GridLayoutFactory.swtDefaults().numColumns(3).spacing(16, 4).applyTo(list);
		GridDataFactory.fillDefaults().span(2, 1).grab(true, false).applyTo(list);
		MigrationProgress.Phase[] all = MigrationProgress.Phase.values();
		rows = new Label[all.length][3];
		for (MigrationProgress.Phase p : all) {
			String id = "migrate.phase." + p.name().toLowerCase(Locale.ROOT);
			Label name = new Label(list, SWT.NONE);
			name.setText(MigrateActions.phaseName(p));
			name.setData(TEST_ID, id);
			GridDataFactory.fillDefaults().grab(true, false).applyTo(name);
			Label state = new Label(list, SWT.NONE);
			state.setData(TEST_ID, id + ".state");
			GridDataFactory.fillDefaults().hint(convertWidthInCharsToPixels(10), SWT.DEFAULT).applyTo(state);
			Label time = new Label(list, SWT.RIGHT);
			time.setData(TEST_ID, id + ".time");
			GridDataFactory.fillDefaults().hint(convertWidthInCharsToPixels(12), SWT.DEFAULT).applyTo(time);
			rows[p.ordinal()] = new Label[]{name, state, time};
		}

		bars = new Composite(body, SWT.NONE);
		stack = new StackLayout();
		bars.setLayout(stack);
		bar = new ProgressBar(bars, SWT.HORIZONTAL | SWT.SMOOTH);
		bar.setMaximum(STEPS);
		bar.setData(TEST_ID, "migrate.progress");
		busy = new ProgressBar(bars, SWT.HORIZONTAL | SWT.INDETERMINATE);
		busy.setData(TEST_ID, "migrate.progress.unknown");
		stack.topControl = bar;
		GridDataFactory.fillDefaults().span(2, 1).grab(true, false).applyTo(bars);

		step = new Label(body, SWT.WRAP);
		step.setData(TEST_ID, "migrate.step");
		GridDataFactory.fillDefaults().span(2, 1).grab(true, false).hint(360, convertHeightInCharsToPixels(2))
				.applyTo(step);

		// the engine's sentence after a failure: whole, wrapped, to read and to copy
		outcome = new Text(body, SWT.READ_ONLY | SWT.MULTI | SWT.WRAP);
		outcome.setData(TEST_ID, "migrate.outcome");
		outcome.setBackground(body.getBackground());
		outcome.addTraverseListener(e -> {
			if (e.detail == SWT.TRAVERSE_TAB_NEXT || e.detail == SWT.TRAVERSE_TAB_PREVIOUS) {
				e.doit = true; // Tab leaves it, as in a one-line field
			}
		});
		GridDataFactory.fillDefaults().span(2, 1).grab(true, false).hint(360, SWT.DEFAULT).exclude(true)
				.applyTo(outcome);
		outcome.setVisible(false);

		show();
		target.addModifyListener(e -> validate());
		// Enter in the field: GTK's combo entry does not always pass it on to the default button
		target.addListener(SWT.DefaultSelection, e -> okPressed());
		return area;
	}

	@Override
	protected void createButtonsForButtonBar(Composite parent) {
		createButton(parent, IDialogConstants.OK_ID, "&Migrate", true);
		createButton(parent, IDialogConstants.CANCEL_ID, IDialogConstants.CANCEL_LABEL, false);
		validate();
		target.setFocus();
		target.setSelection(new Point(0, target.getText().length()));
	}

	/** Migrate is there for a target that parses; the message area says what to write, or why it is not one. */
	private void validate() {
		if (stage != Stage.IDLE) {
			return;
		}
		String typed = target.getText();
		String problem = MigrateActions.targetProblem(typed);
		if (MigrateActions.targetMissing(typed)) {
			setErrorMessage(null);
			setMessage("Write the target: ssh://[user@]host[:port], e.g. ssh://root@host2");
		} else {
			setErrorMessage(problem);
			setMessage(MigrateActions.intro(container, running));
		}
		Button ok = getButton(IDialogConstants.OK_ID);
		if (ok != null) {
			ok.setEnabled(problem == null && !MigrateActions.targetMissing(typed));
		}
	}

	/** Migrate (the button, Enter): starts the migration; the dialog stays until it ends. */
	@Override
	protected void okPressed() {
		String typed = target.getText();
		if (stage != Stage.IDLE || MigrateActions.targetMissing(typed) || MigrateActions.targetProblem(typed) != null) {
			return;
		}
		String to = MigrateActions.normalTarget(typed);
		BerthPreferences.rememberMigrationTarget(to);
		stage = Stage.RUNNING;
		target.setEnabled(false);
		tcp.setEnabled(false);
		getButton(IDialogConstants.OK_ID).setEnabled(false);
		Button close = getButton(IDialogConstants.CANCEL_ID);
		close.setText("Close");
		close.setEnabled(false);
		close.setToolTipText(MigrateActions.NOT_STOPPABLE);
		close.getParent().layout(true);
		setErrorMessage(null);
		setMessage(MigrateActions.NOT_STOPPABLE, IMessageProvider.INFORMATION);
		target.setText(to);
		show();
		job = new MigrationJob(engine, container, new MigrationRequest(to, null, null, running && tcp.getSelection()),
				this::heard);
		job.addJobChangeListener(new JobChangeAdapter() {
			@Override
			public void done(IJobChangeEvent event) {
				long now = System.nanoTime();
				onUi(() -> ended(job.result(), job.failure(), now));
			}
		});
		job.schedule();
	}

	/** A step of the engine, on the engine's thread: one refresh of the dialog per UI turn. */
	private void heard(MigrationProgress p) {
		phases.heard(p, System.nanoTime());
		if (refreshPending.compareAndSet(false, true)) {
			onUi(() -> {
				refreshPending.set(false);
				show();
			});
		}
	}

	private void onUi(Runnable r) {
		Display d = display;
		if (d == null || d.isDisposed()) {
			return;
		}
		d.asyncExec(() -> {
			if (getShell() != null && !getShell().isDisposed()) {
				r.run();
			}
		});
	}

	/** The end: where the container is now, or why it is still here. UI thread. */
	private void ended(MigrationResult result, Exception failure, long nanos) {
		if (result != null) {
			phases.finished(result, nanos);
			stage = Stage.DONE;
			setErrorMessage(null);
			setMessage(MigrateActions.summary(result), IMessageProvider.INFORMATION);
		} else {
			MigrationProgress.Phase failed = phases.failed(nanos);
			stage = Stage.FAILED;
			setErrorMessage("Migrating \"" + container + "\" failed at \"" + failed.label() + "\":");
			outcome.setText(failure == null ? "the engine gave no reason" : BerthJobs.message(failure));
			((GridData) outcome.getLayoutData()).exclude = false;
			outcome.setVisible(true);
		}
		show();
		Button close = getButton(IDialogConstants.CANCEL_ID);
		close.setEnabled(true);
		close.setToolTipText(null);
		getShell().setDefaultButton(close);
		close.setFocus();
		// the sentence may take lines the dialog was not opened with: it grows rather than cut it off
		Shell shell = getShell();
		Point want = shell.computeSize(shell.getSize().x, SWT.DEFAULT);
		if (want.y > shell.getSize().y) {
			shell.setSize(shell.getSize().x, want.y);
		}
		shell.layout(true, true);
	}

	/** The phases, the bar and the current step as the model has them. UI thread. */
	private void show() {
		MigrationPhases.View v = phases.view();
		var bold = JFaceResources.getFontRegistry().getBold(JFaceResources.DIALOG_FONT);
		for (MigrationPhases.Row row : v.rows()) {
			Label[] labels = rows[row.phase().ordinal()];
			labels[1].setText(row.state().label());
			labels[2].setText(row.took() == null ? "" : MigrateActions.seconds(row.took()));
			boolean failed = row.state() == MigrationPhases.State.FAILED;
			boolean stands = failed || row.state() == MigrationPhases.State.RUNNING;
			for (Label l : labels) {
				l.setForeground(failed ? display.getSystemColor(SWT.COLOR_RED) : null);
				l.setFont(stands ? bold : null);
			}
		}
		switch (stage) {
			case IDLE -> {
				bar.setSelection(0);
				stack.topControl = bar;
				step.setText("");
			}
			case RUNNING -> {
				if (v.current() == null) {
					stack.topControl = busy;
					step.setText("Starting…");
				} else if (v.fraction() < 0) {
					stack.topControl = busy;
					step.setText(MigrateActions.phaseName(v.current()) + ": " + v.message());
				} else {
					stack.topControl = bar;
					bar.setSelection((int) Math.round(Math.min(1, v.fraction()) * STEPS));
					step.setText(MigrateActions.phaseName(v.current()) + ": " + v.message() + " ("
							+ Math.round(v.fraction() * 100) + " %)");
				}
			}
			case DONE -> {
				stack.topControl = bar;
				bar.setSelection(STEPS);
				step.setText("Done in " + MigrateActions.seconds(v.rows().stream().map(MigrationPhases.Row::took)
						.filter(Objects::nonNull).reduce(Duration.ZERO, Duration::plus)) + ".");
			}
			case FAILED -> {
				// the sentence below says it all: no bar stopped somewhere, no step of the engine's
				for (Control c : new Control[]{bars, step}) {
					((GridData) c.getLayoutData()).exclude = true;
					c.setVisible(false);
				}
			}
		}
		bars.layout();
	}

	/** Esc and the window's close button do nothing while the migration runs: it cannot be stopped. */
	@Override
	protected void handleShellCloseEvent() {
		if (stage != Stage.RUNNING) {
			super.handleShellCloseEvent();
		}
	}

	@Override
	protected void cancelPressed() {
		if (stage != Stage.RUNNING) {
			super.cancelPressed();
		}
	}

	// ---- for tests ------------------------------------------------------------------------------------------

	/** Where the dialog is (UI thread). */
	public Stage stage() {
		return stage;
	}

	/** The phases as listed (any thread). */
	public MigrationPhases.View phases() {
		return phases.view();
	}

	/** The job of the migration once it started, else null. */
	public MigrationJob job() {
		return job;
	}
}
