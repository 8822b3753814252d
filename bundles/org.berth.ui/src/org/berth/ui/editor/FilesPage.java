package org.berth.ui.editor;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import org.berth.core.ContainerEngine;
import org.berth.core.FileEntry;
import org.berth.core.Sizes;
import org.berth.ui.jobs.BerthJobs;
import org.berth.ui.jobs.EngineJob;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;

/**
 * The editor's Files page: a directory inside the container's root file system (paths resolved inside that root by
 * the engine), with Up, Open (a directory: go in; a small text file: edit it), Download…, Upload… and Refresh. Each
 * engine call runs as a job; the list follows on the UI thread.
 */
final class FilesPage {

	/** The largest file Download, Upload and Edit handle here (berth file push/pull copy any size). */
	static final int MAX = 1 << 20;

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
			.withZone(ZoneId.systemDefault());

	private final ContainerEngine engine;
	private final String name;
	private Composite control;
	private Text path;
	private Table table;
	private Label status;
	private String dir = "/";
	private List<FileEntry> shown = List.of();

	FilesPage(ContainerEngine engine, String name) {
		this.engine = engine;
		this.name = name;
	}

	Composite create(Composite parent) {
		control = new Composite(parent, SWT.NONE);
		GridLayoutFactory.swtDefaults().margins(12, 12).numColumns(3).applyTo(control);
		new Label(control, SWT.NONE).setText("&Folder:");
		path = new Text(control, SWT.BORDER);
		path.setText(dir);
		path.setData(ContainerEditor.TEST_ID, "editor.files.path");
		GridDataFactory.fillDefaults().grab(true, false).applyTo(path);
		path.addListener(SWT.DefaultSelection, e -> go(path.getText().trim()));
		button(control, "&Up", "up", () -> go(parent(dir)));
		table = new Table(control, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE);
		table.setData(ContainerEditor.TEST_ID, "editor.files.table");
		table.setHeaderVisible(true);
		table.setLinesVisible(true);
		for (String[] c : new String[][]{{"Name", "220"}, {"Size", "80"}, {"Permissions", "100"}, {"Owner", "90"},
				{"Modified", "130"}, {"Link to", "200"}}) {
			TableColumn col = new TableColumn(table, c[0].equals("Size") ? SWT.RIGHT : SWT.LEFT);
			col.setText(c[0]);
			col.setWidth(Integer.parseInt(c[1]));
		}
		GridDataFactory.fillDefaults().span(3, 1).grab(true, true).hint(500, 240).applyTo(table);
		table.addListener(SWT.DefaultSelection, e -> open());
		Composite buttons = new Composite(control, SWT.NONE);
		GridLayoutFactory.fillDefaults().numColumns(5).applyTo(buttons);
		GridDataFactory.fillDefaults().span(3, 1).applyTo(buttons);
		button(buttons, "&Open", "open", this::open);
		button(buttons, "&Download...", "download", this::download);
		button(buttons, "Up&load...", "upload", this::upload);
		button(buttons, "Ne&w File...", "new", this::newFile);
		button(buttons, "&Refresh", "refresh", () -> go(dir));
		status = new Label(control, SWT.WRAP);
		status.setData(ContainerEditor.TEST_ID, "editor.files.status");
		GridDataFactory.fillDefaults().span(3, 1).grab(true, false).hint(400, SWT.DEFAULT).applyTo(status);
		return control;
	}

	private static Button button(Composite parent, String text, String id, Runnable action) {
		Button b = new Button(parent, SWT.PUSH);
		b.setText(text);
		b.setData(ContainerEditor.TEST_ID, "editor.files." + id);
		b.addListener(SWT.Selection, e -> action.run());
		return b;
	}

	static String parent(String p) {
		String s = p.replaceAll("/+$", "");
		int slash = s.lastIndexOf('/');
		return slash <= 0 ? "/" : s.substring(0, slash);
	}

	static String child(String d, String n) {
		return d.endsWith("/") ? d + n : d + "/" + n;
	}

	/** Lists {@code folder} (absolute, inside the container). */
	void go(String folder) {
		if (!folder.startsWith("/")) {
			status.setText("Give an absolute path inside the container, e.g. /etc.");
			return;
		}
		job("Listing " + name + ":" + folder, "Could not list " + folder, monitor -> {
			List<FileEntry> list = BerthJobs.await(engine.listFiles(name, folder), monitor);
			ui(() -> show(folder, list));
		});
	}

	private void show(String folder, List<FileEntry> list) {
		dir = folder;
		shown = list;
		path.setText(folder);
		table.removeAll();
		for (FileEntry f : list) {
			TableItem item = new TableItem(table, SWT.NONE);
			item.setText(new String[]{f.name() + (f.type() == FileEntry.Type.DIRECTORY ? "/" : ""),
					f.type() == FileEntry.Type.DIRECTORY ? "" : Sizes.formatBytes(f.size()), f.permissions(),
					f.uid() + ":" + f.gid(), f.modified() == null ? "" : TIME.format(f.modified()),
					f.target() == null ? "" : f.target()});
		}
		status.setText(list.size() + (list.size() == 1 ? " entry" : " entries") + " in " + name + ":" + folder
				+ ". Open (Enter) goes into a folder or edits a text file of up to 1 MiB.");
		control.layout(true, true);
	}

	/** The entries shown, for tests. */
	List<FileEntry> shown() {
		return shown;
	}

	/** The folder shown. */
	String folder() {
		return dir;
	}

	private FileEntry selected() {
		int i = table.getSelectionIndex();
		return i < 0 || i >= shown.size() ? null : shown.get(i);
	}

	private void open() {
		FileEntry f = selected();
		if (f == null) {
			return;
		}
		String p = child(dir, f.name());
		if (f.type() == FileEntry.Type.DIRECTORY || (f.type() == FileEntry.Type.LINK && f.size() < 4096
				&& isFolderLink(f))) {
			go(p);
		} else {
			edit(p);
		}
	}

	private static boolean isFolderLink(FileEntry f) {
		return f.target() != null && f.target().endsWith("/");
	}

	/** Reads {@code file} and, when it is text, opens it in an edit dialog; Save writes it back. */
	void edit(String file) {
		job("Reading " + name + ":" + file, "Could not open " + file, monitor -> {
			byte[] bytes = BerthJobs.await(engine.readFile(name, file, MAX), monitor);
			String text;
			try {
				text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
						.decode(java.nio.ByteBuffer.wrap(bytes)).toString();
			} catch (CharacterCodingException e) {
				ui(() -> status.setText(file + " is not UTF-8 text; use Download... to copy it out."));
				return;
			}
			ui(() -> {
				EditDialog d = new EditDialog(control.getShell(), name + ":" + file, text);
				if (d.open() == Window.OK && !d.text.equals(text)) {
					write(file, d.text.getBytes(StandardCharsets.UTF_8));
				}
			});
		});
	}

	void write(String file, byte[] content) {
		job("Writing " + name + ":" + file, "Could not write " + file, monitor -> {
			BerthJobs.await(engine.writeFile(name, file, content), monitor);
			List<FileEntry> list = BerthJobs.await(engine.listFiles(name, dir), monitor);
			ui(() -> {
				show(dir, list);
				status.setText("Saved " + name + ":" + file + " (" + Sizes.formatBytes(content.length) + ").");
			});
		});
	}

	private void download() {
		FileEntry f = selected();
		if (f == null || f.type() == FileEntry.Type.DIRECTORY) {
			status.setText("Select a file to download (folders: berth file pull -r).");
			return;
		}
		FileDialog d = new FileDialog(control.getShell(), SWT.SAVE);
		d.setFileName(f.name());
		d.setOverwrite(true);
		String target = d.open();
		if (target == null) {
			return;
		}
		String p = child(dir, f.name());
		job("Downloading " + name + ":" + p, "Could not download " + p, monitor -> {
			byte[] bytes = BerthJobs.await(engine.readFile(name, p, MAX), monitor);
			Files.write(Path.of(target), bytes);
			ui(() -> status.setText("Downloaded " + name + ":" + p + " to " + target + "."));
		});
	}

	private void upload() {
		FileDialog d = new FileDialog(control.getShell(), SWT.OPEN);
		String source = d.open();
		if (source == null) {
			return;
		}
		Path local = Path.of(source);
		String p = child(dir, local.getFileName().toString());
		if (shown.stream().anyMatch(f -> f.name().equals(local.getFileName().toString()))
				&& !MessageDialog.openConfirm(control.getShell(), "Upload", name + ":" + p
						+ " exists. Replace its content (its owner and mode stay)?")) {
			return;
		}
		try {
			if (Files.size(local) > MAX) {
				status.setText(source + " is larger than 1 MiB; copy it with berth file push.");
				return;
			}
			write(p, Files.readAllBytes(local));
		} catch (IOException e) {
			status.setText("Cannot read " + source + ": " + e.getMessage());
		}
	}

	private void newFile() {
		org.eclipse.jface.dialogs.InputDialog d = new org.eclipse.jface.dialogs.InputDialog(control.getShell(),
				"New File", "Name of the new file in " + name + ":" + dir + ":", "", text -> text.isBlank()
						|| text.contains("/") ? "A name without /" : null);
		if (d.open() == Window.OK) {
			write(child(dir, d.getValue().trim()), new byte[0]);
		}
	}

	private interface Work {
		void run(IProgressMonitor monitor) throws Exception;
	}

	private void job(String title, String errorTitle, Work work) {
		new EngineJob(title, errorTitle) {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				try {
					work.run(monitor);
					return Status.OK_STATUS;
				} catch (UnsupportedOperationException e) {
					// the engine (an Incus server's) has no files to offer: said in the page, no dialog on opening
					ui(() -> status.setText(errorTitle + ": " + BerthJobs.message(e) + "."));
					return Status.OK_STATUS;
				} catch (Exception e) {
					ui(() -> status.setText(errorTitle + ": " + BerthJobs.message(e)));
					return Status.error(BerthJobs.message(e), e);
				}
			}
		}.schedule();
	}

	private void ui(Runnable r) {
		if (control != null && !control.isDisposed()) {
			control.getDisplay().asyncExec(() -> {
				if (!control.isDisposed()) {
					r.run();
				}
			});
		}
	}

	/** A small text editor for one file; OK saves. */
	static final class EditDialog extends Dialog {
		private final String title;
		String text;
		private Text area;

		EditDialog(Shell shell, String title, String text) {
			super(shell);
			this.title = title;
			this.text = text;
			setShellStyle(getShellStyle() | SWT.RESIZE);
		}

		@Override
		protected void configureShell(Shell shell) {
			super.configureShell(shell);
			shell.setText("Edit " + title);
		}

		@Override
		protected Control createDialogArea(Composite parent) {
			Composite c = (Composite) super.createDialogArea(parent);
			area = new Text(c, SWT.MULTI | SWT.BORDER | SWT.V_SCROLL | SWT.H_SCROLL);
			area.setData(ContainerEditor.TEST_ID, "editor.files.editText");
			area.setFont(org.eclipse.jface.resource.JFaceResources.getTextFont());
			area.setText(text);
			GridDataFactory.fillDefaults().grab(true, true).hint(640, 400).applyTo(area);
			return c;
		}

		@Override
		protected void createButtonsForButtonBar(Composite parent) {
			createButton(parent, OK, "&Save", true);
			createButton(parent, CANCEL, "Cancel", false);
		}

		@Override
		protected void okPressed() {
			text = area.getText();
			super.okPressed();
		}

		@Override
		protected Point getInitialSize() {
			return new Point(720, 520);
		}
	}
}
