package org.berth.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import org.berth.core.linux.LocalEngine;

/** Runs {@link Main#run} in a test and keeps what it printed. */
final class Cli {

	record Result(int code, String out, String err) {
		List<String> outLines() {
			return out.isEmpty() ? List.of() : out.lines().toList();
		}

		List<String> errLines() {
			return err.isEmpty() ? List.of() : err.lines().toList();
		}

		@Override
		public String toString() {
			return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
		}
	}

	/** How often the engine was asked for in the last run. */
	final AtomicInteger engineOpened = new AtomicInteger();
	/** The containers each engine of this Cli was opened for (null: all), in order. */
	final List<Collection<String>> scopes = new ArrayList<>();
	private final Function<Collection<String>, LocalEngine> opener;
	private boolean debug;

	Cli(LocalEngine engine) {
		this(only -> engine);
	}

	Cli(Supplier<LocalEngine> engine) {
		this(only -> engine.get());
	}

	/** With an opener as the real command line has: only some containers, or all for null. */
	Cli(Function<Collection<String>, LocalEngine> opener) {
		this.opener = only -> {
			engineOpened.incrementAndGet();
			scopes.add(only);
			return opener.apply(only);
		};
	}

	Cli debug() {
		debug = true;
		return this;
	}

	Result run(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code;
		try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
				PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
			code = Main.run(args, o, e, opener, debug);
		}
		return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}
}
