package org.berth.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * How {@code berth} shows what the engine logs through {@link System.Logger}: a warning as one line on stderr
 * ({@code berth: warning: …}), and with {@code BERTH_DEBUG=1} every record with its stack trace. Named as
 * {@code java.util.logging.config.class} by {@link Main#main}, so {@code java.util.logging} (about 30 ms to set up)
 * is initialised only by a command that logs something.
 */
public final class CliLogging {

	/** Called by {@code java.util.logging.LogManager} when the first logger is made. */
	public CliLogging() {
		boolean debug = "1".equals(System.getenv("BERTH_DEBUG"));
		Logger berth = Logger.getLogger("org.berth");
		berth.setUseParentHandlers(false);
		berth.setLevel(debug ? Level.ALL : Level.WARNING);
		ConsoleHandler toStderr = new ConsoleHandler();
		toStderr.setLevel(Level.ALL);
		toStderr.setFormatter(new OneLine(debug));
		berth.addHandler(toStderr);
	}

	static final class OneLine extends Formatter {
		private final boolean withStack;

		OneLine(boolean withStack) {
			this.withStack = withStack;
		}

		@Override
		public String format(LogRecord r) {
			String level = r.getLevel().intValue() >= Level.SEVERE.intValue() ? "error"
					: r.getLevel().intValue() >= Level.WARNING.intValue() ? "warning"
							: r.getLevel().intValue() >= Level.INFO.intValue() ? "info" : "debug";
			StringBuilder line = new StringBuilder("berth: ").append(level).append(": ").append(formatMessage(r));
			if (r.getThrown() != null) {
				if (withStack) {
					StringWriter trace = new StringWriter();
					r.getThrown().printStackTrace(new PrintWriter(trace));
					line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
				} else if (r.getThrown().getMessage() != null
						&& !line.toString().contains(r.getThrown().getMessage())) {
					line.append(": ").append(r.getThrown().getMessage());
				}
			}
			return line.append(System.lineSeparator()).toString();
		}
	}
}
