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
 * @param stdin   what the command reads on its standard input (null: nothing, as from /dev/null)
 */
public record ExecRequest(List<String> command, Map<String, String> env, String cwd, boolean tty, byte[] stdin) {

	/** The most {@link #stdin} may hold (the agent's request body is limited too). */
	public static final int MAX_STDIN = 512 << 10;

	/** A request without standard input. */
	public ExecRequest(List<String> command, Map<String, String> env, String cwd, boolean tty) {
		this(command, env, cwd, tty, null);
	}

	public ExecRequest {
		command = List.copyOf(Objects.requireNonNull(command, "command"));
		if (command.isEmpty()) {
			throw new IllegalArgumentException("an exec request needs a command, e.g. /bin/sh -c 'uptime'");
		}
		env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
		cwd = Text.trimToNull(cwd);
		if (stdin != null && stdin.length > MAX_STDIN) {
			throw new IllegalArgumentException("standard input of " + stdin.length + " bytes is more than the "
					+ MAX_STDIN + " an exec request carries; copy the data in with berth file push first");
		}
	}

	/** This request with {@code input} as its standard input. */
	public ExecRequest withStdin(byte[] input) {
		return new ExecRequest(command, env, cwd, tty, input);
	}

	/** A command without extra environment, in "/", without a terminal. */
	public static ExecRequest of(String... command) {
		return new ExecRequest(Arrays.asList(command), Map.of(), null, false);
	}
}
