package org.berth.cli;

import org.berth.core.BerthException;
import org.berth.core.InvalidSpecException;
import org.berth.core.Problem;

/** Turns failures into the sentences the CLI prints. */
final class Errors {

	private Errors() {
	}

	/**
	 * The sentence for a failure: a {@link BerthException}'s message as it is (an {@link InvalidSpecException}
	 * gives one line per problem), an {@link IllegalArgumentException}'s message (the core's parsers write
	 * sentences), and for anything else, which would be a bug, what it was.
	 */
	static String describe(Throwable t) {
		if (t instanceof InvalidSpecException ise && !ise.problems().isEmpty()) {
			StringBuilder b = new StringBuilder();
			for (Problem p : ise.problems()) {
				if (!b.isEmpty()) {
					b.append('\n');
				}
				b.append(p.message());
			}
			return b.toString();
		}
		String message = t.getMessage();
		// an engine that cannot do something says so in a sentence (ContainerEngine's defaults, a remote's engine)
		if (t instanceof BerthException || t instanceof IllegalArgumentException
				|| (t instanceof UnsupportedOperationException && message != null && !message.isBlank())) {
			return message == null || message.isBlank() ? "failed without a reason (" + t.getClass().getSimpleName()
					+ ")" : message;
		}
		String what = t.getClass().getName();
		return "internal error: " + what + (message == null ? "" : ": " + message)
				+ " (BERTH_DEBUG=1 shows the stack trace)";
	}
}
