package org.berth.core.linux.internal.checkpoint;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.berth.core.ContainerSpec;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;

/**
 * Why a container cannot be checkpointed, said before CRIU is asked, so that the container keeps running and the user
 * reads the obstacle by its name. Pure: the caller reads the processes.
 */
public final class Obstacles {

	private Obstacles() {
	}

	/**
	 * What in the namespaces makes a checkpoint impossible: a mount or pid namespace that is not its own (CRIU restores
	 * the processes, their pids and their mounts in new ones), or a namespace shared with another container, either
	 * way (CRIU dumps one container at a time).
	 *
	 * @param running the specs of the other running containers
	 */
	public static Optional<String> ofNamespaces(ContainerSpec spec, Collection<ContainerSpec> running) {
		String name = spec.name();
		for (NamespaceSpec ns : spec.namespaces().values()) {
			if (ns.mode() == NamespaceMode.SHARE) {
				return Optional.of("\"" + name + "\" shares its " + ns.type().procName() + " namespace with \""
						+ ns.shareWith() + "\": a checkpoint holds one container whose namespaces are its own or the"
						+ " host's");
			}
		}
		for (NamespaceType type : List.of(NamespaceType.MNT, NamespaceType.PID)) {
			if (spec.mode(type) != NamespaceMode.NEW) {
				return Optional.of("\"" + name + "\" has no " + type.procName() + " namespace of its own (it is "
						+ spec.mode(type).name().toLowerCase(java.util.Locale.ROOT) + "): a restore makes its processes"
						+ " and mounts again in new ones");
			}
		}
		for (ContainerSpec other : running) {
			if (other.name().equals(name)) {
				continue;
			}
			for (NamespaceSpec ns : other.namespaces().values()) {
				if (ns.mode() == NamespaceMode.SHARE && name.equals(ns.shareWith())) {
					return Optional.of("\"" + other.name() + "\" runs in the " + ns.type().procName()
							+ " namespace of \"" + name + "\": stop \"" + other.name() + "\" first");
				}
			}
		}
		return Optional.empty();
	}

	/**
	 * The processes of the container that are not init's descendants: a terminal, a {@code berth exec} or a debug
	 * shell of Berth's, started from outside. CRIU dumps init's tree, and such a process holds the host's terminal or
	 * pipes.
	 *
	 * @param parents  every process of the container's cgroup and its parent
	 * @param commands their command names, for the sentence
	 */
	public static Optional<String> ofProcesses(long initPid, Map<Long, Long> parents, Map<Long, String> commands) {
		// Berth's own helper (the parent of an exec's command) says less than the command it runs: named last
		List<Long> order = parents.keySet().stream().sorted(java.util.Comparator
				.comparing((Long pid) -> commands.getOrDefault(pid, "").startsWith("berth-helper"))
				.thenComparing(pid -> pid))
				.toList();
		for (Long pid : order) {
			if (!descends(pid, initPid, parents)) {
				String command = commands.getOrDefault(pid, "?");
				return Optional.of("process " + pid + " (" + command + ") runs in it but was started from outside"
						+ " (a terminal, berth exec or a debug shell): end it, then checkpoint again");
			}
		}
		return Optional.empty();
	}

	private static boolean descends(long pid, long initPid, Map<Long, Long> parents) {
		long p = pid;
		for (int hops = 0; hops <= parents.size(); hops++) {
			if (p == initPid) {
				return true;
			}
			Long up = parents.get(p);
			if (up == null) {
				return false;
			}
			p = up;
		}
		return false;
	}

	/**
	 * What in the container's mounts makes a restore impossible, so that the checkpoint is refused while the container
	 * still runs: a cgroup file system mounted inside a container with a user namespace of its own (systemd mounts
	 * them): CRIU, which leaves the cgroups to Berth, mounts it again outside the container's cgroup namespace, which
	 * the kernel refuses inside a user namespace (measured: "Unable to mount cgroup2 …: Operation not permitted"). A
	 * privileged container's own cgroup2 on /sys/fs/cgroup, which the helper mounts, restores (measured).
	 *
	 * @param mountinfo the lines of init's {@code /proc/PID/mountinfo}
	 */
	public static Optional<String> ofMounts(List<String> mountinfo, boolean ownUserNamespace) {
		if (!ownUserNamespace) {
			return Optional.empty();
		}
		for (String line : mountinfo) {
			int dash = line.indexOf(" - ");
			String[] before = line.split(" ");
			if (dash < 0 || before.length < 5) {
				continue;
			}
			String type = line.substring(dash + 3).split(" ")[0];
			if (type.equals("cgroup") || type.equals("cgroup2")) {
				return Optional.of("a cgroup file system is mounted in it (" + type + " on " + before[4] + "; systemd"
						+ " does that), which a restore cannot mount again inside its user namespace: stop it instead");
			}
		}
		return Optional.empty();
	}

	/**
	 * Groups the container's processes made below its cgroup (systemd's init.scope, system.slice, …): a restore makes
	 * the container's group again, not these, and systemd watches their files (measured, privileged: "fsnotify: Unable
	 * to open /sys/fs/cgroup/init.scope/cgroup.events").
	 *
	 * @param children the names of the folders below the container's group, in any hierarchy
	 */
	public static Optional<String> ofSubgroups(Collection<String> children) {
		if (children.isEmpty()) {
			return Optional.empty();
		}
		List<String> some = children.stream().sorted().distinct().limit(3).toList();
		return Optional.of("its processes made cgroups of their own (" + String.join(", ", some)
				+ (children.stream().distinct().count() > some.size() ? ", …" : "") + "; systemd does that), which a"
				+ " restore does not make again: stop it instead");
	}
}
