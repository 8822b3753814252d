package org.berth.ui.jobs;

import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.progress.IProgressConstants;

/**
 * A user job of the console that talks to the engine. It belongs to {@link BerthJobs#FAMILY}; a failure is logged
 * and shown in an {@link ErrorDialog} whose message says why, with the causes under Details
 * ({@link ErrorStatuses#forDialog}), instead of the workbench's generic prompt (a job whose own dialog shows the
 * failure only logs it: {@link #promptsErrors()}).
 */
public abstract class EngineJob extends Job {

	private final String errorTitle;

	protected EngineJob(String name, String errorTitle) {
		super(name);
		this.errorTitle = errorTitle;
		setUser(true);
		setProperty(IProgressConstants.NO_IMMEDIATE_ERROR_PROMPT_PROPERTY, Boolean.TRUE);
		addJobChangeListener(new JobChangeAdapter() {
			@Override
			public void done(IJobChangeEvent event) {
				IStatus result = event.getResult();
				if (result != null && result.matches(IStatus.ERROR)) {
					ILog.get().log(result);
					if (promptsErrors()) {
						showError(result);
					}
				}
			}
		});
	}

	/** Whether a failure opens an error dialog; false for a job whose own dialog shows it (it is logged anyway). */
	protected boolean promptsErrors() {
		return true;
	}

	private void showError(IStatus result) {
		if (!PlatformUI.isWorkbenchRunning()) {
			return;
		}
		Display display = PlatformUI.getWorkbench().getDisplay();
		if (display.isDisposed()) {
			return;
		}
		display.asyncExec(() -> {
			if (display.isDisposed()) {
				return;
			}
			var window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
			Shell shell = window == null ? display.getActiveShell() : window.getShell();
			ErrorDialog.openError(shell, errorTitle, null, ErrorStatuses.forDialog(result));
		});
	}

	@Override
	public boolean belongsTo(Object family) {
		return family == BerthJobs.FAMILY;
	}
}
