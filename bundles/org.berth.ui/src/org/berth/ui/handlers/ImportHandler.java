package org.berth.ui.handlers;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.berth.core.ContainerEngine;
import org.berth.ui.internal.Engines;
import org.berth.ui.jobs.BerthJobs;
import org.berth.ui.jobs.EngineJob;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.HandlerUtil;

/**
 * Container > Import…: a container from an archive of Export… or {@code berth export}, under the name in the archive
 * or one the user gives. The console reads the file itself, as the user who runs it.
 */
public final class ImportHandler extends AbstractHandler {

	@Override
	public boolean isEnabled() {
		return Engines.find().isPresent();
	}

	@Override
	public Object execute(ExecutionEvent event) {
		ContainerEngine engine = Engines.find().orElse(null);
		if (engine == null) {
			return null;
		}
		Shell shell = HandlerUtil.getActiveShell(event);
		FileDialog dialog = new FileDialog(shell, SWT.OPEN);
		dialog.setText("Import a Container");
		dialog.setFilterExtensions(new String[]{"*.tar.zst", "*"});
		String chosen = dialog.open();
		if (chosen == null) {
			return null;
		}
		InputDialog name = new InputDialog(shell, "Import a Container",
				"Name of the new container (empty: the name in the archive):", "",
				text -> text.trim().isEmpty() ? null : CloneHandler.newName(engine).isValid(text.trim()));
		if (name.open() != Window.OK) {
			return null;
		}
		String newName = name.getValue().trim();
		importFrom(engine, Path.of(chosen), newName.isEmpty() ? null : newName);
		return null;
	}

	/** The job that defines a container from {@code file} (scheduled). */
	public static EngineJob importFrom(ContainerEngine engine, Path file, String newName) {
		EngineJob job = new EngineJob("Importing " + file, "Import failed") {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				try (InputStream in = Files.newInputStream(file)) {
					BerthJobs.await(engine.importContainer(in, newName), monitor);
					return Status.OK_STATUS;
				} catch (Exception e) {
					return Status.error("Could not import " + file + ": " + BerthJobs.message(e), e);
				}
			}
		};
		job.schedule();
		return job;
	}
}
