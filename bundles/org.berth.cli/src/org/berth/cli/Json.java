package org.berth.cli;

import java.io.PrintStream;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/**
 * The {@code --json} output: pretty printed, nulls written (every field is always there, so scripts can rely on the
 * names), no HTML escaping.
 */
final class Json {

	private Json() {
	}

	static void print(PrintStream out, Object value) {
		Gson gson = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();
		out.println(gson.toJson(value));
	}
}
