package org.berth.ui.specs;

import java.util.List;
import java.util.function.Predicate;

import org.berth.core.Problem;
import org.eclipse.jface.dialogs.IMessageProvider;
import org.eclipse.jface.resource.JFaceColors;
import org.eclipse.jface.wizard.WizardPage;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Label;

/** Shows the validator's sentences: in a label under a field, or as a wizard page's message. */
public final class ProblemLabels {

	private ProblemLabels() {
	}

	private static final String RESERVED = ProblemLabels.class.getName() + ".reserved";

	/**
	 * Keeps room for {@code lines} lines of sentences in {@code label} (which has GridData), shown or not, so that
	 * a sentence appearing does not move the fields under it; a longer text is cut, and whole in its tooltip.
	 */
	public static void reserve(Label label, int lines) {
		var gc = new org.eclipse.swt.graphics.GC(label);
		int height;
		try {
			height = gc.getFontMetrics().getHeight();
		} finally {
			gc.dispose();
		}
		GridData gd = (GridData) label.getLayoutData();
		gd.exclude = false;
		gd.heightHint = lines * height;
		label.setVisible(true);
		label.setData(RESERVED, lines);
	}

	/** Shows the problems of {@code field} (errors first) in {@code label}, or hides it. */
	public static void show(Label label, List<Problem> problems, Predicate<String> field) {
		List<Problem> mine = problems.stream().filter(p -> field.test(p.field()))
				.sorted((a, b) -> Boolean.compare(b.isError(), a.isError())).toList();
		String text = String.join("\n", mine.stream().map(p -> (p.isError() ? "✖ " : "⚠ ") + p.message()).toList());
		boolean error = mine.stream().anyMatch(Problem::isError);
		label.setForeground(error ? JFaceColors.getErrorText(label.getDisplay())
				: label.getDisplay().getSystemColor(org.eclipse.swt.SWT.COLOR_DARK_YELLOW));
		if (label.getData(RESERVED) != null) {
			// its room is kept: the fields below stay where they are (under the pointer) as sentences come and go
			if (!text.equals(label.getText())) {
				label.setText(text);
				label.setToolTipText(text.isEmpty() ? null : text);
			}
			return;
		}
		if (!text.equals(label.getText()) || label.getVisible() == text.isEmpty()) {
			label.setText(text);
			label.setVisible(!text.isEmpty());
			((GridData) label.getLayoutData()).exclude = text.isEmpty();
			label.getParent().layout(true, true);
		}
	}

	/**
	 * Puts the first error (else warning) of the page's fields in the page's message area and completes the page
	 * when there is no error. {@code parseError} (a field that could not be read) comes first.
	 */
	public static void apply(WizardPage page, String parseError, List<Problem> problems, Predicate<String> field) {
		List<Problem> mine = problems.stream().filter(p -> field.test(p.field())).toList();
		String error = parseError != null ? parseError
				: mine.stream().filter(Problem::isError).map(Problem::message).findFirst().orElse(null);
		String warning = mine.stream().filter(p -> !p.isError()).map(Problem::message).findFirst().orElse(null);
		// the validator's sentences verbatim (they may begin with a command-line word such as "user=new")
		page.setErrorMessage(error);
		page.setMessage(warning,
				warning == null ? IMessageProvider.NONE : IMessageProvider.WARNING);
		page.setPageComplete(error == null);
	}
}
