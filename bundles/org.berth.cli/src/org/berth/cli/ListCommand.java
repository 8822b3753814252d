package org.berth.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.berth.core.ContainerSnapshot;
import org.berth.core.Sizes;
import org.berth.core.ContainerEngine;
import org.berth.core.wire.ListEntry;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", aliases = "ls", description = "List the containers: state, kind, PID of init, uptime and"
		+ " memory in use.")
final class ListCommand extends BaseCommand {

	@Option(names = "--tag", paramLabel = "TAG", description = "Only the containers with this tag; repeatable (all"
			+ " of them).")
	List<String> tags = new java.util.ArrayList<>();

	@Option(names = "--json", description = "Write JSON: an array of objects with the fields name, state, kind,"
			+ " template, rootfs, pid, startedAt, uptimeSeconds, lastExit, namespaces, network, address,"
			+ " memoryBytes, memoryLimitBytes, privileged, idmap {uid, gid, size} (null when not known or not set),"
			+ " description and tags.")
	boolean json;

	ListCommand(Context ctx) {
		super(ctx);
	}

	@Override
	public Integer call() {
		ContainerEngine engine = ctx.engine();
		List<ContainerSnapshot> all = engine.list();
		List<ContainerSnapshot> shown = tags.isEmpty() ? all
				: all.stream().filter(s -> s.spec().tags().containsAll(tags.stream()
						.map(t -> t.trim().toLowerCase(java.util.Locale.ROOT)).toList())).toList();
		// a normal user sees none of root's containers: say so, or an empty list would look like an empty host
		engine.limitations().stream().filter(l -> l.startsWith("Berth is not running as root"))
				.forEach(l -> ctx.err.println("berth: " + l));
		Map<String, CompletableFuture<Long>> memory = new HashMap<>();
		for (ContainerSnapshot s : shown) {
			if (s.isActive()) {
				memory.put(s.name(), memoryInUse(engine, s.name()));
			}
		}
		Instant now = Instant.now();
		List<ListEntry> entries = new ArrayList<>();
		for (ContainerSnapshot s : shown) {
			CompletableFuture<Long> f = memory.get(s.name());
			entries.add(ListEntry.of(s, all, f == null ? null : f.join(), now));
		}
		print(entries, json, ctx.out);
		return 0;
	}

	/** The entries as JSON or as the table; {@link QuickPath} prints the agent's with this too. */
	static void print(List<ListEntry> entries, boolean json, PrintStream out) {
		if (json) {
			Json.print(out, entries);
			return;
		}
		Table table = new Table("NAME", "STATE", "KIND", "PID", "UPTIME", "MEMORY");
		for (ListEntry e : entries) {
			table.row(e.name(), e.state(), e.privileged() ? e.kind() + " (privileged)" : e.kind(),
					e.pid() == null ? "-" : e.pid().toString(),
					e.uptimeSeconds() == null ? "-" : Formats.duration(e.uptimeSeconds()), memory(e));
		}
		table.print(out);
	}

	/** The memory a running container uses, or null when it cannot be had (it may just have stopped). */
	private static CompletableFuture<Long> memoryInUse(ContainerEngine engine, String name) {
		try {
			return engine.memoryInUse(name).exceptionally(t -> null);
		} catch (RuntimeException e) {
			return CompletableFuture.completedFuture(null);
		}
	}

	private static String memory(ListEntry e) {
		if (e.memoryBytes() == null) {
			return "-";
		}
		String used = Sizes.formatBytes(e.memoryBytes());
		return e.memoryLimitBytes() == null ? used : used + " / " + Sizes.formatBytes(e.memoryLimitBytes());
	}
}
