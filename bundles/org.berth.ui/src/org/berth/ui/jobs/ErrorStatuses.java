package org.berth.ui.jobs;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.MultiStatus;
import org.eclipse.core.runtime.Status;

/**
 * What an error dialog shows of a job's result: the reason in the dialog's message, and under Details only the stack
 * of causes, each once, in lines short enough to read without scrolling sideways. The job's own result (with its
 * exceptions) is what the log gets.
 */
public final class ErrorStatuses {

	private static final String PLUGIN = "org.berth.ui";
	/** The longest line under Details; longer sentences are wrapped at a space. */
	static final int DETAIL_WIDTH = 80;

	private ErrorStatuses() {
	}

	/**
	 * The status an error dialog shows for {@code result}: the same message, and as children the messages of the
	 * children (those not already said in the message) and the causes of their exceptions, without the exceptions
	 * (ErrorDialog would print each exception's message a second time).
	 */
	public static IStatus forDialog(IStatus result) {
		List<IStatus> details = new ArrayList<>();
		collect(result, result.getMessage(), details, true);
		if (details.stream().noneMatch(d -> d.getSeverity() >= result.getSeverity())) {
			// nothing more to say (ErrorDialog shows a MultiStatus by its children's severity): the message alone
			return new Status(result.getSeverity(), PLUGIN, result.getCode(), result.getMessage(), null);
		}
		return new MultiStatus(PLUGIN, result.getCode(), details.toArray(IStatus[]::new), result.getMessage(), null);
	}

	private static void collect(IStatus status, String said, List<IStatus> out, boolean top) {
		if (!top && !alreadySaid(said, status.getMessage())) {
			lines(status.getSeverity(), status.getMessage(), out);
		}
		Throwable t = status.getException();
		List<Throwable> seen = new ArrayList<>();
		while (t != null && !seen.contains(t)) {
			seen.add(t);
			if (t instanceof CoreException ce) {
				collect(ce.getStatus(), said, out, false);
			} else {
				String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
				if (!alreadySaid(said, m) && !status.getMessage().contains(m)) {
					lines(IStatus.ERROR, m + " (" + t.getClass().getSimpleName() + ")", out);
				}
			}
			t = t.getCause();
		}
		for (IStatus child : status.getChildren()) {
			collect(child, said, out, false);
		}
	}

	/**
	 * Whether the message says {@code m} already: in full, or its reason after the engine's own opening
	 * ("cannot start \"c1\": …", which the message words as "Could not start \"c1\": …").
	 */
	static boolean alreadySaid(String said, String m) {
		if (said.contains(m)) {
			return true;
		}
		int colon = m.indexOf("\": ");
		return colon > 0 && colon < 60 && said.contains(m.substring(colon + 3));
	}

	/** Adds {@code text} as one status a line, wrapped at spaces to {@link #DETAIL_WIDTH}. */
	private static void lines(int severity, String text, List<IStatus> out) {
		for (String line : wrap(text, DETAIL_WIDTH)) {
			out.add(new Status(severity, PLUGIN, line));
		}
	}

	static List<String> wrap(String text, int width) {
		List<String> out = new ArrayList<>();
		for (String para : text.split("\n")) {
			String rest = para;
			String indent = "";
			while (rest.length() + indent.length() > width) {
				int cut = rest.lastIndexOf(' ', width - indent.length());
				if (cut <= 0) {
					cut = width - indent.length();
				}
				out.add(indent + rest.substring(0, cut));
				rest = rest.substring(cut).stripLeading();
				indent = "    ";
			}
			out.add(indent + rest);
		}
		return out;
	}
}
