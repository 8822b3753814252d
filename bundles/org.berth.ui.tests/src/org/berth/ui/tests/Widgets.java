package org.berth.ui.tests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/** Finds and drives widgets as a user would (call the mutating ones on the UI thread). */
public final class Widgets {

	/** The key under which the console marks widgets for tests. */
	public static final String TEST_ID = "org.berth.ui.test.id";

	private Widgets() {
	}

	/** All controls under {@code root} (depth first) that match. UI thread. */
	public static List<Control> all(Control root, Predicate<Control> p) {
		List<Control> out = new ArrayList<>();
		collect(root, p, out);
		return out;
	}

	private static void collect(Control c, Predicate<Control> p, List<Control> out) {
		if (p.test(c)) {
			out.add(c);
		}
		if (c instanceof Composite comp) {
			for (Control child : comp.getChildren()) {
				collect(child, p, out);
			}
		}
	}

	/** The control marked {@code id} under {@code root}; fails when there is none. UI thread. */
	@SuppressWarnings("unchecked")
	public static <T extends Control> T byId(Control root, String id) {
		List<Control> found = all(root, c -> id.equals(c.getData(TEST_ID)));
		if (found.isEmpty()) {
			throw new AssertionError("no control marked " + id + " under " + root);
		}
		return (T) found.get(0);
	}

	/** The push button labelled {@code label} (mnemonics ignored); fails when there is none. UI thread. */
	public static Button button(Control root, String label) {
		List<Control> found = all(root, c -> c instanceof Button b && (b.getStyle() & SWT.PUSH) != 0
				&& b.getText().replace("&", "").equals(label.replace("&", "")));
		if (found.isEmpty()) {
			throw new AssertionError("no button \"" + label + "\" under " + root);
		}
		return (Button) found.get(0);
	}

	/** Presses a button as a click does. UI thread. */
	public static void click(Button b) {
		if (!b.isEnabled()) {
			throw new AssertionError("the button \"" + b.getText() + "\" is disabled");
		}
		if ((b.getStyle() & (SWT.CHECK | SWT.RADIO)) != 0) {
			b.setSelection(!b.getSelection() || (b.getStyle() & SWT.RADIO) != 0);
		}
		b.notifyListeners(SWT.Selection, new Event());
	}

	/** Types into a text field (a Modify event follows, as with typing). UI thread. */
	public static void type(Text t, String text) {
		t.setFocus();
		t.setText(text);
	}

	/** Chooses the item {@code item} of a read-only combo and sends the Selection event. UI thread. */
	public static void choose(Combo c, String item) {
		int i = c.indexOf(item);
		if (i < 0) {
			throw new AssertionError("the combo has no item \"" + item + "\": " + String.join(", ", c.getItems()));
		}
		c.select(i);
		c.notifyListeners(SWT.Selection, new Event());
	}

	/** The visible shell titled {@code title}, or null. UI thread. */
	public static Shell shell(String title) {
		for (Shell s : Workbench.display().getShells()) {
			if (!s.isDisposed() && s.isVisible() && title.equals(s.getText())) {
				return s;
			}
		}
		return null;
	}

	/** Waits until no job of {@code family} is waiting or running. Test thread. */
	public static void awaitJobs(Object family, Duration timeout) throws InterruptedException {
		Workbench.waitUntil("the jobs of " + family + " are done", timeout,
				() -> Job.getJobManager().find(family).length == 0);
	}
}
