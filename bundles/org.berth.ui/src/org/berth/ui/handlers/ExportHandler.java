package org.berth.ui.handlers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.berth.core.ContainerEngine;
import org.berth.ui.internal.Engines;
import org.berth.ui.jobs.BerthJobs;
import org.berth.ui.jobs.EngineJob;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.ui.handlers.HandlerUtil;

/**
 * Container > Export…: the selected container's spec and root file system into a {@code .tar.zst} the user chooses
 * (the archive {@code berth export} writes and {@code berth import} or Import… reads). The console writes the file
 * itself, as the user who runs it; the engine only streams the archive.
 */
public final class ExportHandler extends SelectionHandler {

	@Override
	boolean enabledFor(List<String> names) {
		ContainerEngine engine = Engines.find().orElse(null);
		return engine != null && names.size() == 1
				&& engine.get(names.get(0)).map(s -> !s.state().isTransitional()).orElse(false);
	}

	@Override
	public Object execute(ExecutionEvent event) {
		List<String> names = Selections.names(event);
		ContainerEngine engine = Engines.find().orElse(null);
		if (engine == null || !enabledFor(names)) {
			return null;
		}
		String name = names.get(0);
		FileDialog dialog = new FileDialog(HandlerUtil.getActiveShell(event), SWT.SAVE);
		dialog.setText("Export \"" + name + "\"");
		dialog.setFileName(name + ".tar.zst");
		dialog.setFilterExtensions(new String[]{"*.tar.zst", "*"});
		dialog.setOverwrite(true);
		String chosen = dialog.open();
		if (chosen != null) {
			exportTo(engine, name, Path.of(chosen));
		}
		return null;
	}

	/** The job that writes {@code name}'s archive to {@code file} (scheduled); a failure removes the partial file. */
	public static EngineJob exportTo(ContainerEngine engine, String name, Path file) {
		EngineJob job = new EngineJob("Exporting \"" + name + "\" to " + file, "Export failed") {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				Path partial = file.resolveSibling(file.getFileName() + ".partial");
				try (OutputStream out = Files.newOutputStream(partial)) {
					BerthJobs.await(engine.exportContainer(name, out), monitor);
				} catch (Exception e) {
					try {
						Files.deleteIfExists(partial);
					} catch (IOException gone) {
						// the sentence below is what counts
					}
					return Status.error("Could not export \"" + name + "\" to " + file + ": " + BerthJobs.message(e),
							e);
				}
				try {
					Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
					return Status.OK_STATUS;
				} catch (IOException e) {
					return Status.error("Could not write " + file + ": " + e.getMessage(), e);
				}
			}
		};
		job.schedule();
		return job;
	}
}
