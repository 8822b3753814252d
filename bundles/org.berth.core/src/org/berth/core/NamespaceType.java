package org.berth.core;

import java.util.Arrays;
import java.util.Locale;

/** The Linux namespaces a container can get a new copy of, keep from the host, or share with another container. */
public enum NamespaceType {
	MNT("mnt", "Mount", 0x00020000L,
			"mount points: the container sees its own file system tree and its mounts do not reach the host"),
	UTS("uts", "UTS (hostname)", 0x04000000L,
			"the hostname and NIS domain name"),
	IPC("ipc", "IPC", 0x08000000L,
			"System V IPC objects and POSIX message queues"),
	PID("pid", "PID", 0x20000000L,
			"process IDs: the container's init is PID 1 and sees only the container's processes"),
	NET("net", "Network", 0x40000000L,
			"network devices, addresses, routes, firewall rules and ports"),
	USER("user", "User", 0x10000000L,
			"user and group IDs: root inside can be an unprivileged user outside"),
	CGROUP("cgroup", "Cgroup", 0x02000000L,
			"the view of the cgroup tree: the container sees its own cgroup as the root"),
	TIME("time", "Time", 0x00000080L,
			"the monotonic and boot-time clocks (with offsets); not the wall clock");

	private final String procName;
	private final String displayName;
	private final long cloneFlag;
	private final String isolates;

	NamespaceType(String procName, String displayName, long cloneFlag, String isolates) {
		this.procName = procName;
		this.displayName = displayName;
		this.cloneFlag = cloneFlag;
		this.isolates = isolates;
	}

	/** The file name under {@code /proc/PID/ns/}, also the word used on the command line: "mnt", "uts", ..., "time". */
	public String procName() {
		return procName;
	}

	/** A short label for the UI, e.g. "Network". */
	public String displayName() {
		return displayName;
	}

	/** The {@code CLONE_NEW*} flag of this namespace (Linux), e.g. {@code CLONE_NEWNET = 0x40000000}. */
	public long cloneFlag() {
		return cloneFlag;
	}

	/** One line saying what this namespace isolates (shown in the wizard). */
	public String isolates() {
		return isolates;
	}

	/**
	 * Parses a namespace type: its {@link #procName()} in any case, or the aliases "mount" and "network".
	 *
	 * @throws IllegalArgumentException with a sentence naming the accepted words
	 */
	public static NamespaceType parse(String text) {
		String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
		for (NamespaceType type : values()) {
			if (type.procName.equals(t)) {
				return type;
			}
		}
		if (t.equals("mount")) {
			return MNT;
		}
		if (t.equals("network")) {
			return NET;
		}
		throw new IllegalArgumentException(Text.quote(text) + " is not a namespace type; use "
				+ Text.list(Arrays.stream(values()).map(NamespaceType::procName).toList(), "or"));
	}
}
