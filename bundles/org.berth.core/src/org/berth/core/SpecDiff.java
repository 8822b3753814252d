package org.berth.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** The differences between two specs, field by field, as a person reads them. Pure. */
public final class SpecDiff {

	/**
	 * One field that differs.
	 *
	 * @param field the field, as the command line names it ("memory", "ns.net", "network")
	 * @param a     its value on the first side ("" when not set)
	 * @param b     its value on the second side
	 */
	public record Change(String field, String a, String b) {
	}

	private SpecDiff() {
	}

	/**
	 * The fields of {@code a} and {@code b} that differ, in a fixed order; the name is not compared, nor the blocks of
	 * host ids the engine gave each of two containers (one map of 0..65535 for uids and gids: {@link
	 * CommandLines#isAllocatedBlock}), which always differ and are not a choice of the user's.
	 */
	public static List<Change> compare(ContainerSpec a, ContainerSpec b) {
		Map<String, String> left = fields(a);
		Map<String, String> right = fields(b);
		if (CommandLines.isAllocatedBlock(a) && CommandLines.isAllocatedBlock(b)) {
			for (String ids : List.of("uidmap", "gidmap")) {
				left.remove(ids);
				right.remove(ids);
			}
		}
		List<Change> changes = new ArrayList<>();
		left.forEach((field, value) -> {
			String other = right.get(field);
			if (!Objects.equals(value, other)) {
				changes.add(new Change(field, value, other));
			}
		});
		return changes;
	}

	/** Every compared field of {@code spec} with its value as text, "" when not set. */
	static Map<String, String> fields(ContainerSpec spec) {
		Map<String, String> f = new LinkedHashMap<>();
		f.put("kind", spec.kind().name().toLowerCase(java.util.Locale.ROOT));
		f.put("template", text(spec.template()));
		f.put("rootfs", text(spec.rootfs()));
		f.put("init", spec.init() == null ? "" : String.join(" ", spec.init()));
		for (NamespaceType t : NamespaceType.values()) {
			NamespaceSpec ns = spec.namespace(t);
			f.put("ns." + t.procName(), ns.mode() == NamespaceMode.SHARE ? "share:" + ns.shareWith() : ns.mode().cli());
		}
		f.put("uidmap", maps(spec.uidMaps()));
		f.put("gidmap", maps(spec.gidMaps()));
		f.put("monotonic-offset", Long.toString(spec.monotonicOffsetSeconds()));
		f.put("boottime-offset", Long.toString(spec.boottimeOffsetSeconds()));
		Limits l = spec.limits();
		f.put("memory", l.memoryBytes() == null ? "" : Sizes.formatBytes(l.memoryBytes()));
		f.put("memory-swap", l.memorySwapBytes() == null ? "" : Sizes.formatBytes(l.memorySwapBytes()));
		f.put("cpus", l.cpus() == null ? "" : l.cpus().toString());
		f.put("cpu-weight", l.cpuWeight() == null ? "" : l.cpuWeight().toString());
		f.put("cpuset", text(l.cpuset()));
		f.put("pids", l.pids() == null ? "" : l.pids().toString());
		NetworkSpec n = spec.network();
		f.put("network", n.mode().name().toLowerCase(java.util.Locale.ROOT));
		f.put("bridge", text(n.bridge()));
		f.put("address", text(n.address()));
		f.put("cap-drop", String.join(",", spec.dropCapabilities()));
		f.put("halt-signal", text(spec.haltSignal()));
		f.put("autostart", Boolean.toString(spec.autostart()));
		f.put("description", spec.description());
		f.put("tags", String.join(",", spec.tags()));
		f.put("boot-order", Integer.toString(spec.bootOrder()));
		f.put("boot-delay", Integer.toString(spec.bootDelaySeconds()));
		return f;
	}

	private static String maps(List<IdMap> maps) {
		return maps.stream().map(m -> m.insideId() + " " + m.outsideId() + " " + m.count())
				.collect(Collectors.joining(", "));
	}

	private static String text(String s) {
		return s == null ? "" : s;
	}
}
