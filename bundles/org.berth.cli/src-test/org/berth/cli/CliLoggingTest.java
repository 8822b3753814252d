package org.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

/** What the engine logs reaches a berth user as one line on stderr; the stack only with BERTH_DEBUG=1. */
class CliLoggingTest {

	private static LogRecord record(Level level, String message, Throwable thrown) {
		LogRecord r = new LogRecord(level, message);
		r.setThrown(thrown);
		return r;
	}

	@Test
	void aWarningIsOneLineWithItsCause() {
		CliLogging.OneLine f = new CliLogging.OneLine(false);
		assertEquals("berth: warning: could not delete /run/berth/c1: Directory not empty" + System.lineSeparator(),
				f.format(record(Level.WARNING, "could not delete /run/berth/c1",
						new IOException("Directory not empty"))));
		assertEquals("berth: debug: x" + System.lineSeparator(), f.format(record(Level.FINE, "x", null)));
	}

	@Test
	void withDebugTheStackFollows() {
		String text = new CliLogging.OneLine(true).format(record(Level.SEVERE, "boom", new IOException("cause")));
		assertTrue(text.startsWith("berth: error: boom" + System.lineSeparator() + "java.io.IOException: cause"), text);
		assertTrue(text.contains("at org.berth.cli.CliLoggingTest"), text);
	}

	@Test
	void theEnginesWarningsReachStderrAndItsDebugDoesNot() {
		PrintStream saved = System.err;
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		Logger berth = Logger.getLogger("org.berth");
		Handler[] before = berth.getHandlers();
		try {
			System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
			new CliLogging(); // as LogManager does with java.util.logging.config.class (BERTH_DEBUG is not set here)
			System.getLogger("org.berth.core.linux").log(System.Logger.Level.WARNING, "a clean-up failed");
			System.getLogger("org.berth.core.linux").log(System.Logger.Level.DEBUG, "not shown");
			for (Handler h : berth.getHandlers()) {
				h.flush();
			}
		} finally {
			System.setErr(saved);
			for (Handler h : berth.getHandlers()) {
				berth.removeHandler(h);
			}
			for (Handler h : before) {
				berth.addHandler(h);
			}
			berth.setUseParentHandlers(true);
			berth.setLevel(null);
		}
		assertEquals("berth: warning: a clean-up failed" + System.lineSeparator(),
				err.toString(StandardCharsets.UTF_8));
	}
}
