package org.berth.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceType;
import org.berth.core.Sizes;
import org.berth.core.linux.LocalEngine;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", aliases = "ls", description = "List the containers: state, kind, PID of init, uptime and"
		+ " memory in use.")
final class ListCommand extends BaseCommand {

	@Option(names = "--json", description = "Write JSON: an array of objects with the fields name, state, kind,"
			+ " template, rootfs, pid, startedAt, uptimeSeconds, lastExit, namespaces, network, address,"
			+ " memoryBytes, memoryLimitBytes, privileged and idmap {uid, gid, size} (null when not known or not set).")
	boolean json;

	/**
	 * One container in {@code list --json}. The field names are an interface: add fields, never rename them.
	 *
	 * @param state         lower case: stopped, starting, running, stopping, freezing, frozen, thawing, aborting
	 * @param pid           the host PID of init; null when not running
	 * @param namespaces    the configured choice per namespace type ("new", "host", "share:c1")
	 * @param memoryBytes   memory in use; null when not running
	 * @param privileged    whether root inside is root on the host (the host's user namespace, or a privileged
	 *                      container's)
	 * @param idmap         where the container's ids 0..size-1 are on the host (its own block, or that of the
	 *                      container whose user namespace it shares); null when privileged or mapped otherwise
	 */
	record Entry(String name, String state, String kind, String template, String rootfs, Long pid, String startedAt,
			Long uptimeSeconds, String lastExit, Map<String, String> namespaces, String network, String address,
			Long memoryBytes, Long memoryLimitBytes, boolean privileged, IdBlock idmap) {
	}

	/** The first host uid and gid of a container's ids, and how many. */
	record IdBlock(long uid, long gid, long size) {
	}

	ListCommand(Context ctx) {
		super(ctx);
	}

	@Override
	public Integer call() {
		LocalEngine engine = ctx.engine();
		List<ContainerSnapshot> all = engine.list();
		Map<String, CompletableFuture<Long>> memory = new HashMap<>();
		for (ContainerSnapshot s : all) {
			if (s.isActive()) {
				memory.put(s.name(), memoryInUse(engine, s.name()));
			}
		}
		Instant now = Instant.now();
		List<Entry> entries = new ArrayList<>();
		for (ContainerSnapshot s : all) {
			CompletableFuture<Long> f = memory.get(s.name());
			entries.add(entry(s, userSpec(s.spec(), all), f == null ? null : f.join(), now));
		}
		if (json) {
			Json.print(ctx.out, entries);
			return 0;
		}
		Table table = new Table("NAME", "STATE", "KIND", "PID", "UPTIME", "MEMORY");
		for (Entry e : entries) {
			table.row(e.name(), e.state(), e.privileged() ? e.kind() + " (privileged)" : e.kind(),
					e.pid() == null ? "-" : e.pid().toString(),
					e.uptimeSeconds() == null ? "-" : Formats.duration(e.uptimeSeconds()), memory(e));
		}
		table.print(ctx.out);
		return 0;
	}

	/** The memory a running container uses, or null when it cannot be had (it may just have stopped). */
	private static CompletableFuture<Long> memoryInUse(LocalEngine engine, String name) {
		try {
			return engine.memoryInUse(name).exceptionally(t -> null);
		} catch (RuntimeException e) {
			return CompletableFuture.completedFuture(null);
		}
	}

	/**
	 * The spec whose user namespace the container has: its own, or, when it shares another's, that container's
	 * (followed while they share further; its own when the other is gone).
	 */
	static ContainerSpec userSpec(ContainerSpec spec, List<ContainerSnapshot> all) {
		ContainerSpec at = spec;
		for (int hops = 0; hops < all.size() && at.mode(NamespaceType.USER) == NamespaceMode.SHARE; hops++) {
			String other = at.namespace(NamespaceType.USER).shareWith();
			ContainerSpec next = all.stream().filter(o -> o.name().equals(other)).map(ContainerSnapshot::spec)
					.findFirst()
					.orElse(null);
			if (next == null) {
				return spec;
			}
			at = next;
		}
		return at;
	}

	static Entry entry(ContainerSnapshot s, ContainerSpec userSpec, Long memoryBytes, Instant now) {
		ContainerSpec spec = s.spec();
		Map<String, String> namespaces = new LinkedHashMap<>();
		for (NamespaceType t : NamespaceType.values()) {
			namespaces.put(t.procName(), Formats.choice(spec.namespace(t)));
		}
		IdBlock idmap = null;
		if (userSpec.mode(NamespaceType.USER) == NamespaceMode.NEW && userSpec.uidMaps().size() == 1
				&& userSpec.gidMaps().size() == 1 && userSpec.uidMaps().get(0).insideId() == 0
				&& userSpec.gidMaps().get(0).insideId() == 0) {
			idmap = new IdBlock(userSpec.uidMaps().get(0).outsideId(), userSpec.gidMaps().get(0).outsideId(),
					Math.min(userSpec.uidMaps().get(0).count(), userSpec.gidMaps().get(0).count()));
		}
		return new Entry(s.name(), s.state().cli(), spec.kind().cli(), spec.template(), spec.rootfs(), Formats.pid(s),
				s.isActive() && s.startedAt() != null ? s.startedAt().toString() : null,
				Formats.uptimeSeconds(s, now), s.lastExit(), namespaces, spec.network().mode().cli(),
				spec.network().address(), memoryBytes, spec.limits().memoryBytes(), userSpec.isPrivileged(), idmap);
	}

	private static String memory(Entry e) {
		if (e.memoryBytes() == null) {
			return "-";
		}
		String used = Sizes.formatBytes(e.memoryBytes());
		return e.memoryLimitBytes() == null ? used : used + " / " + Sizes.formatBytes(e.memoryLimitBytes());
	}
}
