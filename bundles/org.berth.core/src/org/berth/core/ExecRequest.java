package org.berth.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A command to run inside a running container.
 *
 * @param command the program and its arguments; not empty
 * @param env     extra environment variables (kept in order)
 * @param cwd     the working directory inside the container; null = "/"
 * @param tty     run it on a terminal (stdout and stderr then arrive together in stdout)
 */
public record ExecRequest(List<String> command, Map<String, String> env, String cwd, boolean tty) {

	public ExecRequest {
		command = List.copyOf(Objects.requireNonNull(command, "command"));
		if (command.isEmpty()) {
			throw new IllegalArgumentException("an exec request needs a command, e.g. /bin/sh -c 'uptime'");
		}
		env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
		cwd = Text.trimToNull(cwd);
	}

	/** A command without extra environment, in "/", without a terminal. */
	public static ExecRequest of(String... command) {
		return new ExecRequest(Arrays.asList(command), Map.of(), null, false);
	}
}
