package org.berth.core.linux.internal.terminal;

import java.nio.file.Path;
import java.util.List;

/**
 * What a terminal session needs to know of a container, handed over by the engine (which owns the container's
 * state): where its init runs, its cgroups and dropped capabilities, and its console.
 *
 * @param name         the container
 * @param helper       the native helper
 * @param initPid      host PID of its init; 0 when it is not running (only a console can then be opened)
 * @param monitorPid   host PID of its monitor; 0 when it is not running
 * @param cgroupProcs  the {@code cgroup.procs} files a shell joins
 * @param dropCaps     the capabilities the container's processes do not have
 * @param consoleLog   the console log the monitor writes ({@code /run/berth/NAME/console.log})
 * @param seccomp      the container's seccomp profile ({@code default}, {@code unconfined} or a file), which a
 *                     shell in the container gets too
 */
public record TerminalTarget(String name, Path helper, long initPid, long monitorPid, List<Path> cgroupProcs,
		List<String> dropCaps, Path consoleLog, String seccomp) {

	public TerminalTarget {
		cgroupProcs = List.copyOf(cgroupProcs);
		dropCaps = List.copyOf(dropCaps);
		seccomp = seccomp == null ? "default" : seccomp;
	}

	/** A target with the default seccomp profile. */
	public TerminalTarget(String name, Path helper, long initPid, long monitorPid, List<Path> cgroupProcs,
			List<String> dropCaps, Path consoleLog) {
		this(name, helper, initPid, monitorPid, cgroupProcs, dropCaps, consoleLog, null);
	}

	/** A target that is not running: only its console history can be read. */
	public static TerminalTarget stopped(String name, Path consoleLog) {
		return new TerminalTarget(name, null, 0, 0, List.of(), List.of(), consoleLog);
	}

	public boolean isRunning() {
		return initPid > 0;
	}

	/** The monitor's socket that takes a shell's sysinfo listener (beside the console log); null when none. */
	public Path notifySocket() {
		return consoleLog == null ? null : consoleLog.resolveSibling("notify.sock");
	}
}
