package org.berth.core;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link ContainerEngine#openTerminal(String, TerminalRequest)} opens.
 *
 * @param command    the program and its arguments; empty = the login shell of the container's root (its
 *                   {@code /etc/passwd} entry, {@code /bin/sh} when that has none or it is missing)
 * @param columns    the terminal's width in character cells, set before the command starts (1..65535)
 * @param rows       its height (1..65535)
 * @param term       the {@code TERM} the command gets: what the client's terminal emulator implements
 * @param namespaces the namespaces of the container to join; empty = all of them (a normal shell). A subset
 *                   makes a <em>debug shell</em>, e.g. only {@code NET} and {@code UTS}
 * @param chroot     whether to enter the container's root file system; false keeps the host's file system and
 *                   tools (a debug shell). A session that does not enter the file system neither joins the
 *                   container's cgroups nor loses its capabilities: it is the administrator's tool
 * @param env        extra environment variables
 * @param console    open the container's console instead of a command: its history since start, then what
 *                   init writes (the other fields except the size do not apply)
 */
public record TerminalRequest(List<String> command, int columns, int rows, String term, Set<NamespaceType> namespaces,
		boolean chroot, Map<String, String> env, boolean console) {

	/**
	 * The TERM for the Eclipse TM Terminal widget (5.6.0): its VT100Emulator is an xterm subset that also reads
	 * the 256-colour and direct-colour SGR forms ({@code 38;5;N}, {@code 38;2;R;G;B}), so programs may use
	 * xterm-256color's colours.
	 */
	public static final String WIDGET_TERM = "xterm-256color";

	public TerminalRequest {
		command = command == null ? List.of() : List.copyOf(command);
		if (columns < 1 || rows < 1 || columns > 0xffff || rows > 0xffff) {
			throw new IllegalArgumentException("a terminal size is 1 to 65535 columns and rows, not " + columns
					+ "x" + rows);
		}
		term = Text.trimToNull(term);
		if (term == null) {
			term = WIDGET_TERM;
		}
		namespaces = namespaces == null || namespaces.isEmpty() ? Set.of()
				: Collections.unmodifiableSet(EnumSet.copyOf(namespaces));
		env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
	}

	/** The login shell of the container's root, in all its namespaces and its file system. */
	public static TerminalRequest shell(int columns, int rows) {
		return new TerminalRequest(List.of(), columns, rows, WIDGET_TERM, Set.of(), true, Map.of(), false);
	}

	/** A debug shell: the host's file system and root's login shell there, in only these namespaces. */
	public static TerminalRequest debugShell(Set<NamespaceType> namespaces, int columns, int rows) {
		if (namespaces == null || namespaces.isEmpty()) {
			throw new IllegalArgumentException("a debug shell joins at least one namespace of the container, e.g."
					+ " net");
		}
		return new TerminalRequest(List.of(), columns, rows, WIDGET_TERM, namespaces, false, Map.of(), false);
	}

	/** The container's console: history since start, then what its init writes. */
	public static TerminalRequest console(int columns, int rows) {
		return new TerminalRequest(List.of(), columns, rows, WIDGET_TERM, Set.of(), true, Map.of(), true);
	}

	/** This request with another command (empty = the login shell). */
	public TerminalRequest withCommand(List<String> newCommand) {
		return new TerminalRequest(newCommand, columns, rows, term, namespaces, chroot, env, console);
	}

	/** This request with another TERM. */
	public TerminalRequest withTerm(String newTerm) {
		return new TerminalRequest(command, columns, rows, newTerm, namespaces, chroot, env, console);
	}

	/** Whether the session joins every namespace of the container. */
	public boolean joinsAllNamespaces() {
		return namespaces.isEmpty();
	}
}
