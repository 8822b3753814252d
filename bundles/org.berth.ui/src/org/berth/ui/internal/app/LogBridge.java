package org.berth.ui.internal.app;

import java.text.MessageFormat;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;

/**
 * Routes what Berth's bundles write to {@link System.Logger} (the engine's swallowed failures: a clean-up that
 * could not delete, a listener that threw, a recheck that failed) to the console's log, which the Error Log shows
 * and {@code workspace/.metadata/.log} keeps. {@code System.Logger} goes to {@code java.util.logging} when no
 * other backend is installed, so a handler on the {@code org.berth} logger sees every record of ours.
 */
public final class LogBridge extends Handler {

	static final String ROOT = "org.berth";

	private final ILog log;

	private LogBridge(ILog log) {
		this.log = log;
	}

	/** Installs the bridge; running what it returns removes it. */
	public static Runnable install(ILog log) {
		Logger logger = Logger.getLogger(ROOT);
		LogBridge bridge = new LogBridge(log);
		logger.addHandler(bridge);
		logger.setUseParentHandlers(false);
		if (logger.getLevel() == null) {
			logger.setLevel(Level.INFO);
		}
		return () -> {
			logger.removeHandler(bridge);
			logger.setUseParentHandlers(true);
		};
	}

	@Override
	public void publish(LogRecord r) {
		if (r == null || !isLoggable(r)) {
			return;
		}
		log.log(status(r));
	}

	static IStatus status(LogRecord r) {
		String message = text(r);
		String plugin = r.getLoggerName() == null ? ROOT : r.getLoggerName();
		int level = r.getLevel().intValue();
		if (level >= Level.SEVERE.intValue()) {
			return new Status(IStatus.ERROR, plugin, message, r.getThrown());
		}
		if (level >= Level.WARNING.intValue()) {
			return new Status(IStatus.WARNING, plugin, message, r.getThrown());
		}
		return new Status(IStatus.INFO, plugin, message, r.getThrown());
	}

	private static String text(LogRecord r) {
		String m = r.getMessage() == null ? "" : r.getMessage();
		Object[] params = r.getParameters();
		if (params != null && params.length > 0 && m.contains("{0")) {
			try {
				return MessageFormat.format(m, params);
			} catch (IllegalArgumentException e) {
				return m;
			}
		}
		return m;
	}

	@Override
	public void flush() {
		// ILog writes through
	}

	@Override
	public void close() {
		// nothing held
	}
}
