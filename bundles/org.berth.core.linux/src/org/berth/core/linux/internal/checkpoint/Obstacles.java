package org.berth.core.linux.internal.checkpoint;

import java.nio.file.Path;
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
	 * The folder CRIU freezes the container with: the v1 freezer's, else the cgroup2 folder of the group (which has
	 * {@code cgroup.freeze}), else null (CRIU then stops the processes one by one).
	 */
	public static Path freezer(List<Path> procsFiles, Optional<Path> cgroup2Dir) {
		for (Path procs : procsFiles) {
			Path dir = procs.getParent();
			for (Path p = dir; p != null; p = p.getParent()) {
				if (p.getFileName() != null && p.getFileName().toString().equals("freezer")) {
					return dir;
				}
			}
		}
		return cgroup2Dir.orElse(null);
	}
}
