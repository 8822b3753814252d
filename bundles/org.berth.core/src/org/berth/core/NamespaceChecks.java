package org.berth.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.berth.core.SpecValidator.ValidationContext;

/**
 * The checks of {@link SpecValidator} about namespaces: shares (the other container exists, no cycle), user namespace
 * and id maps, pid, mnt, uts and time. Each returns its sentences; {@link SpecValidator#validate} runs them in order.
 */
final class NamespaceChecks {

	private NamespaceChecks() {
	}

	static List<Problem> checkShares(ContainerSpec spec, ValidationContext ctx) {
		List<Problem> out = new ArrayList<>();
		for (NamespaceSpec ns : spec.namespaces().values()) {
			if (ns.mode() != NamespaceMode.SHARE) {
				continue;
			}
			String field = SpecValidator.field(ns.type());
			String other = ns.shareWith();
			if (other.equals(spec.name())) {
				out.add(Problem.error(field, ns.toCli() + " names the container itself; share with another container"
						+ " or use " + ns.type().procName() + "=new"));
			} else if (!ctx.exists(other)) {
				out.add(Problem.error(field, ns.toCli() + ": there is no container named " + Text.quote(other)));
			} else if (!ctx.isRunning(other)) {
				out.add(Problem.warning(field, ns.toCli() + ": " + Text.quote(other) + " is not running; it must be"
						+ " running when " + Text.quote(spec.name()) + " starts, to join its "
						+ ns.type().procName() + " namespace"));
			}
		}
		return out;
	}

	/** How a share-cycle sentence ends; {@link #isShareCycle(Problem)} recognises it. */
	private static final String CYCLE_END = ": a share cycle, ";

	/**
	 * A share cycle: the container joins a namespace of another that (directly or through others) joins one of
	 * its own. Whichever starts first finds the other not running, and neither may be destroyed while the other
	 * uses its namespace. The other containers' specs come from {@link ValidationContext#specOf}; {@code spec}
	 * stands in for a defined container of its name.
	 */
	static List<Problem> checkShareCycle(ContainerSpec spec, ValidationContext ctx) {
		for (NamespaceSpec first : spec.namespaces().values()) {
			if (first.mode() != NamespaceMode.SHARE || first.shareWith().equals(spec.name())) {
				continue;
			}
			List<NamespaceSpec> path = new ArrayList<>();
			path.add(first);
			if (cycleBack(spec, first.shareWith(), ctx, path, new LinkedHashSet<>(List.of(spec.name())))) {
				return List.of(Problem.error(SpecValidator.field(first.type()), cycleSentence(spec.name(), path)));
			}
		}
		return List.of();
	}

	/** Whether a chain of shares leads from {@code at} back to {@code spec}; the chain is left in {@code path}. */
	private static boolean cycleBack(ContainerSpec spec, String at, ValidationContext ctx, List<NamespaceSpec> path,
			Set<String> seen) {
		if (at.equals(spec.name())) {
			return true;
		}
		if (!seen.add(at)) {
			return false;
		}
		Optional<ContainerSpec> other = ctx.specOf(at);
		if (other.isEmpty()) {
			return false;
		}
		for (NamespaceSpec ns : other.get().namespaces().values()) {
			if (ns.mode() != NamespaceMode.SHARE || ns.shareWith().equals(at)) {
				continue;
			}
			path.add(ns);
			if (cycleBack(spec, ns.shareWith(), ctx, path, seen)) {
				return true;
			}
			path.remove(path.size() - 1);
		}
		return false;
	}

	/** "a shares b's ipc while b shares a's uts: a share cycle, neither could start". */
	private static String cycleSentence(String name, List<NamespaceSpec> path) {
		List<String> links = new ArrayList<>();
		String sharer = name;
		for (NamespaceSpec ns : path) {
			links.add(sharer + " shares " + ns.shareWith() + "'s " + ns.type().procName());
			sharer = ns.shareWith();
		}
		String chain = links.size() == 2 ? links.get(0) + " while " + links.get(1) : Text.list(links, "and");
		return chain + CYCLE_END + (links.size() == 2 ? "neither" : "none of them") + " could start";
	}

	/** Whether the problem is a share cycle (the CLI refuses it as a usage error). */
	static boolean isShareCycle(Problem problem) {
		return problem.isError() && problem.message().contains(CYCLE_END);
	}

	static List<Problem> checkUserNamespace(ContainerSpec spec) {
		List<Problem> out = new ArrayList<>();
		NamespaceSpec user = spec.namespace(NamespaceType.USER);
		if (user.mode() == NamespaceMode.NEW) {
			// both empty: the engine allocates a block when the container is defined
			if (spec.uidMaps().isEmpty() && !spec.gidMaps().isEmpty()) {
				out.add(Problem.error("uidMaps", "with gid maps, user=new needs uid maps too: say which user IDs"
						+ " inside map to which outside, e.g. 0 1048576 65536 (or give neither, and Berth picks a block)"));
			}
			if (spec.gidMaps().isEmpty() && !spec.uidMaps().isEmpty()) {
				out.add(Problem.error("gidMaps", "with uid maps, user=new needs gid maps too: say which group IDs"
						+ " inside map to which outside, e.g. 0 1048576 65536 (or give neither, and Berth picks a block)"));
			}
		} else {
			if (user.mode() == NamespaceMode.HOST) {
				out.add(Problem.warning(SpecValidator.field(NamespaceType.USER), "\"" + spec.name()
						+ "\" is privileged:"
						+ " root inside it is root on the host (user=host); a user namespace of its own (new) makes its"
						+ " root nobody on the host"));
			}
			if (!spec.uidMaps().isEmpty() || !spec.gidMaps().isEmpty()) {
				out.add(Problem.warning(spec.uidMaps().isEmpty() ? "gidMaps" : "uidMaps",
						"id maps are only used with user=new; with " + user.toCli() + " they are ignored"));
			}
		}
		out.addAll(checkIdMaps("uid", "uidMaps", spec.uidMaps()));
		out.addAll(checkIdMaps("gid", "gidMaps", spec.gidMaps()));
		return out;
	}

	private static List<Problem> checkIdMaps(String kind, String field, List<IdMap> maps) {
		List<Problem> out = new ArrayList<>();
		if (maps.size() > SpecValidator.MAX_ID_MAP_LINES) {
			out.add(Problem.error(field, maps.size() + " " + kind + " maps are too many; Linux accepts at most "
					+ SpecValidator.MAX_ID_MAP_LINES));
		}
		for (int i = 0; i < maps.size(); i++) {
			for (int j = i + 1; j < maps.size(); j++) {
				IdMap a = maps.get(i);
				IdMap b = maps.get(j);
				if (a.overlapsInside(b)) {
					out.add(Problem.error(field, kind + " maps " + Text.quote(a.toString()) + " and "
							+ Text.quote(b.toString()) + " overlap inside the container; each ID may be mapped once"));
				} else if (a.overlapsOutside(b)) {
					out.add(Problem.error(field, kind + " maps " + Text.quote(a.toString()) + " and "
							+ Text.quote(b.toString()) + " overlap on the host; each host ID may be used once"));
				}
			}
		}
		return out;
	}

	static List<Problem> checkPidNamespace(ContainerSpec spec) {
		NamespaceSpec pid = spec.namespace(NamespaceType.PID);
		if (spec.kind() != ContainerKind.SYSTEM) {
			return List.of();
		}
		return switch (pid.mode()) {
			case SHARE -> List.of(Problem.error(SpecValidator.field(NamespaceType.PID), pid.toCli()
					+ " is not possible for the system container " + Text.quote(spec.name())
					+ ": its init expects to be PID 1 in a pid namespace of its own; use pid=new"
					+ " (sharing pids is for application containers)"));
			case HOST -> List.of(Problem.error(SpecValidator.field(NamespaceType.PID),
					"pid=host is not possible for the system"
							+ " container " + Text.quote(spec.name()) + ": its init expects to be PID 1 and would see"
							+ " all the host's processes; use pid=new"));
			case NEW -> List.of();
		};
	}

	static List<Problem> checkMountNamespace(ContainerSpec spec) {
		NamespaceSpec mnt = spec.namespace(NamespaceType.MNT);
		if (spec.kind() != ContainerKind.SYSTEM || mnt.mode() == NamespaceMode.NEW) {
			return List.of();
		}
		return List.of(Problem.error(SpecValidator.field(NamespaceType.MNT),
				mnt.toCli() + " is not possible for the system"
						+ " container " + Text.quote(spec.name()) + ": it needs a mount namespace of its own (mnt=new)"
						+ " to mount its root file system"));
	}

	static List<Problem> checkUtsNamespace(ContainerSpec spec) {
		if (spec.kind() != ContainerKind.SYSTEM || spec.mode(NamespaceType.UTS) != NamespaceMode.HOST) {
			return List.of();
		}
		return List.of(Problem.warning(SpecValidator.field(NamespaceType.UTS), "uts=host: the system container "
				+ Text.quote(spec.name()) + " uses the host's hostname, and its init will change the host's"
				+ " hostname; use uts=new to give it its own"));
	}

	static List<Problem> checkTimeOffsets(ContainerSpec spec) {
		long mono = spec.monotonicOffsetSeconds();
		long boot = spec.boottimeOffsetSeconds();
		if ((mono == 0 && boot == 0) || spec.mode(NamespaceType.TIME) == NamespaceMode.NEW) {
			return List.of();
		}
		List<String> offsets = new ArrayList<>();
		if (mono != 0) {
			offsets.add("monotonic " + mono + " s");
		}
		if (boot != 0) {
			offsets.add("boottime " + boot + " s");
		}
		return List.of(Problem.error(SpecValidator.field(NamespaceType.TIME),
				"the clock offsets (" + String.join(", ", offsets)
						+ ") need a time namespace of its own, but the container has "
						+ spec.namespace(NamespaceType.TIME).toCli() + "; set time=new or remove the offsets"));
	}
}
