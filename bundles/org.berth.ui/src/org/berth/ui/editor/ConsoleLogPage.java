package org.berth.ui.editor;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;

import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerState;
import org.berth.core.TerminalSession;
import org.berth.ui.jobs.BerthJobs;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.SWTException;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;

/**
 * The editor's Console log page: what the container's init wrote since its last start, and then, while it runs,
 * what it writes, read-only ({@link ContainerEngine#watchConsole}, which leaves the console free for a terminal).
 * The log is read once the page is first shown, and read afresh when the container starts again. At most
 * {@link #MAX_CHARS} characters are kept, the newest.
 */
final class ConsoleLogPage {

	/** The most characters the page keeps; beyond, the oldest half goes. */
	static final int MAX_CHARS = 1 << 20;

	private final ContainerEngine engine;
	private final String name;
	private Composite control;
	private Label status;
	private StyledText text;
	private Button follow;

	/** One reading of the log: what its thread has read and the UI thread not yet shown. */
	private static final class Reading {
		final StringBuilder pending = new StringBuilder();
		boolean flushScheduled;
	}

	/** UI thread only: the current reading; output of an older one is dropped. */
	private Reading reading;
	private boolean shown;
	private long readingPid = -1;
	private TerminalSession session;

	ConsoleLogPage(ContainerEngine engine, String name) {
		this.engine = engine;
		this.name = name;
	}

	Composite create(Composite parent) {
		control = new Composite(parent, SWT.NONE);
		GridLayoutFactory.swtDefaults().numColumns(2).margins(12, 12).applyTo(control);
		status = new Label(control, SWT.WRAP);
		status.setData(ContainerEditor.TEST_ID, "editor.console.status");
		status.setText("The log is read when this page is shown.");
		GridDataFactory.fillDefaults().grab(true, false).hint(400, SWT.DEFAULT).applyTo(status);
		follow = new Button(control, SWT.CHECK);
		follow.setText("&Follow the end");
		follow.setToolTipText("Scroll to what init writes as it arrives");
		follow.setSelection(true);
		// drawn by SWT itself: scrolling to the end is exact at once (GTK's text view measures new lines later)
		text = new StyledText(control, SWT.MULTI | SWT.READ_ONLY | SWT.BORDER | SWT.V_SCROLL | SWT.H_SCROLL);
		text.setData(ContainerEditor.TEST_ID, "editor.console.text");
		text.setFont(JFaceResources.getTextFont());
		GridDataFactory.fillDefaults().span(2, 1).grab(true, true).hint(500, 300).applyTo(text);
		control.addDisposeListener(e -> closeSession());
		return control;
	}

	/** The page is shown: the log is read from now on. UI thread. */
	void shown(ContainerSnapshot snapshot) {
		shown = true;
		update(snapshot);
	}

	/** The container changed: a new run gets its log read afresh. UI thread. */
	void update(ContainerSnapshot snapshot) {
		if (!shown || text == null || text.isDisposed()) {
			return;
		}
		boolean newRun = snapshot.state() == ContainerState.RUNNING && snapshot.initPid() > 0
				&& snapshot.initPid() != readingPid;
		if (session == null && readingPid == -1 || newRun) {
			read(snapshot.initPid());
		}
	}

	private void read(long initPid) {
		closeSession();
		Reading current = new Reading();
		reading = current;
		readingPid = initPid;
		text.setText("");
		status.setText("Reading the console log of \"" + name + "\"…");
		Display display = text.getDisplay();
		engine.watchConsole(name).whenComplete((opened, failure) -> {
			if (!later(display, () -> show(current, initPid, opened, failure)) && opened != null) {
				opened.close();
			}
		});
	}

	/** On the UI thread: the opened session of {@code current}, or why there is none. */
	private void show(Reading current, long initPid, TerminalSession opened, Throwable failure) {
		if (failure != null) {
			if (current == reading && !status.isDisposed()) {
				Throwable cause = failure instanceof CompletionException && failure.getCause() != null
						? failure.getCause() : failure;
				status.setText("No console log to show: " + BerthJobs.message(cause));
				layout();
			}
			return;
		}
		if (current != reading || text.isDisposed()) {
			opened.close();
			return;
		}
		session = opened;
		status.setText(initPid > 0
				? "What init of \"" + name + "\" writes, as it writes it. Read-only: to type on the console,"
						+ " use Container > Show Console."
				: "\"" + name + "\" is not running: its log from the last run.");
		layout();
		Display display = text.getDisplay();
		Thread reader = new Thread(() -> pump(opened, current, display), "berth-console-log-" + name);
		reader.setDaemon(true);
		reader.start();
	}

	/** On the reading thread: decodes, cleans and hands the text to the UI thread in batches. */
	private void pump(TerminalSession from, Reading current, Display display) {
		ConsoleText cleaner = new ConsoleText();
		char[] buffer = new char[8192];
		String end = null;
		try (Reader in = new InputStreamReader(from.output(), StandardCharsets.UTF_8)) {
			int n;
			while ((n = in.read(buffer)) >= 0) {
				String clean = cleaner.feed(new String(buffer, 0, n));
				if (!clean.isEmpty()) {
					hand(clean, current, display);
				}
			}
		} catch (IOException e) {
			end = "The console log could not be read further: " + e.getMessage();
		}
		String ended = end;
		later(display, () -> {
			if (current == reading && !status.isDisposed()) {
				status.setText(ended != null ? ended : "\"" + name + "\" is not running: its log from the last run.");
				layout();
			}
		});
	}

	/** Runs {@code r} on the UI thread; false when the display is gone (the workbench closed meanwhile). */
	private static boolean later(Display display, Runnable r) {
		try {
			display.asyncExec(r);
			return true;
		} catch (SWTException e) {
			return false; // disposed: nothing is shown any more
		}
	}

	private void hand(String clean, Reading current, Display display) {
		synchronized (current) {
			current.pending.append(clean);
			if (current.flushScheduled || display.isDisposed()) {
				return;
			}
			current.flushScheduled = true;
		}
		later(display, () -> flush(current));
	}

	/** On the UI thread: appends what arrived since the last flush, in one go. */
	private void flush(Reading current) {
		String more;
		synchronized (current) {
			more = current.pending.toString();
			current.pending.setLength(0);
			current.flushScheduled = false;
		}
		if (current != reading || text.isDisposed() || more.isEmpty()) {
			return;
		}
		int top = text.getTopIndex();
		if (text.getCharCount() + more.length() > MAX_CHARS) {
			text.setText(ConsoleText.newestHalf(text.getText() + more, MAX_CHARS));
		} else {
			text.append(more);
		}
		if (follow.getSelection()) {
			text.setCaretOffset(text.getCharCount());
			text.showSelection();
		} else {
			text.setTopIndex(top);
		}
	}

	private void layout() {
		control.layout(true, true);
	}

	private void closeSession() {
		TerminalSession s = session;
		session = null;
		if (s != null) {
			s.close();
		}
	}

	/** The text shown, for tests. */
	String text() {
		return text.getText();
	}

	/** The status line, for tests. */
	String status() {
		return status.getText();
	}
}
