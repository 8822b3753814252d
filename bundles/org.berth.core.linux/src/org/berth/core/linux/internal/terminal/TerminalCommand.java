package org.berth.core.linux.internal.terminal;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.berth.core.NamespaceType;
import org.berth.core.TerminalRequest;

/**
 * The argument list of {@code berth-helper exec} for a terminal session (see {@code native/PROTOCOL.md}). Pure, so
 * tests check it as text.
 */
final class TerminalCommand {

	private TerminalCommand() {
	}

	/**
	 * Whether the session's terminal belongs in the container's devpts: when the shell sees the container's
	 * file system ({@code /dev/pts} there). A debug shell on the host's file system gets a host terminal, so that
	 * its {@code tty} names a device it can open.
	 */
	static boolean usesContainerDevpts(TerminalRequest request) {
		return request.chroot() || request.joinsAllNamespaces() || request.namespaces().contains(NamespaceType.MNT);
	}

	/** Whether the session is the container's own (cgroups joined, capabilities dropped) or a debug shell. */
	static boolean isContainerShell(TerminalRequest request) {
		return request.chroot() && request.joinsAllNamespaces();
	}

	static List<String> argv(TerminalTarget target, TerminalRequest request, String ttyPath) {
		List<String> args = new ArrayList<>();
		args.add(target.helper().toString());
		args.add("exec");
		args.add("--pid");
		args.add(Long.toString(target.initPid()));
		if (!request.joinsAllNamespaces()) {
			args.add("--ns");
			args.add(request.namespaces().stream().map(NamespaceType::procName).collect(Collectors.joining(",")));
		}
		if (!request.chroot()) {
			args.add("--no-chroot");
		}
		if (isContainerShell(request)) {
			for (var p : target.cgroupProcs()) {
				args.add("--cgroup-procs");
				args.add(p.toString());
			}
			for (String cap : target.dropCaps()) {
				args.add("--drop-cap");
				args.add(cap);
			}
			if (!target.seccomp().equals("default")) { // the helper's default
				args.add("--seccomp");
				args.add(target.seccomp());
			}
			if (target.notifySocket() != null) { // the monitor answers the shell's sysinfo
				args.add("--notify");
				args.add(target.notifySocket().toString());
			}
		}
		request.env().forEach((k, v) -> {
			args.add("--env");
			args.add(k + "=" + v);
		});
		args.add("--term");
		args.add(request.term());
		args.add("--tty");
		args.add(ttyPath);
		args.add("--report");
		if (request.command().isEmpty()) {
			args.add("--login-shell");
		} else {
			args.add("--");
			args.addAll(request.command());
		}
		return args;
	}
}
