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
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.ui.handlers.HandlerUtil;

/**
 * Container > Export…: the selected container's spec and root file system into a {@code .tar.zst} the user chooses
 * (the archive {@code berth export} writes and {@code berth import} or Import… reads); a container with snapshots
 * asks whether they go in too. The console writes the file
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
		if (chosen == null) {
			return null;
		}
		int snapshots = snapshotCount(engine, name);
		boolean withSnapshots = false;
		if (snapshots > 0) {
			MessageDialog ask = new MessageDialog(HandlerUtil.getActiveShell(event), "Export \"" + name + "\"", null,
					"\"" + name + "\" has " + snapshots + (snapshots == 1 ? " snapshot" : " snapshots")
							+ ". Put " + (snapshots == 1 ? "it" : "them")
							+ " in the archive too? Import brings them back.",
					MessageDialog.QUESTION, 0, "&With snapshots", "With&out snapshots", "Cancel");
			int answer = ask.open();
			if (answer != 0 && answer != 1) {
				return null;
			}
			withSnapshots = answer == 0;
		}
		exportTo(engine, name, Path.of(chosen), withSnapshots);
		return null;
	}

	/** How many snapshots {@code name} has (0 when the engine cannot say at once). */
	private static int snapshotCount(ContainerEngine engine, String name) {
		try {
			return engine.snapshots(name).get(5, java.util.concurrent.TimeUnit.SECONDS).size();
		} catch (Exception e) {
			return 0;
		}
	}

	/** {@link #exportTo(ContainerEngine, String, Path, boolean)} without the snapshots. */
	public static EngineJob exportTo(ContainerEngine engine, String name, Path file) {
		return exportTo(engine, name, file, false);
	}

	/**
	 * The job that writes {@code name}'s archive (with its snapshots when {@code withSnapshots}) to {@code file}
	 * (scheduled); a failure removes the partial file.
	 */
	public static EngineJob exportTo(ContainerEngine engine, String name, Path file, boolean withSnapshots) {
		EngineJob job = new EngineJob("Exporting \"" + name + "\" to " + file, "Export failed") {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				Path partial = file.resolveSibling(file.getFileName() + ".partial");
				try (OutputStream out = Files.newOutputStream(partial)) {
					BerthJobs.await(engine.exportContainer(name, out, withSnapshots), monitor);
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
