package org.berth.core.wire;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.berth.core.ContainerKind;
import org.berth.core.ContainerSpec;
import org.berth.core.IdMap;
import org.berth.core.Limits;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;
import org.berth.core.NetworkMode;
import org.berth.core.NetworkSpec;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;

/**
 * A {@link ContainerSpec} as the JSON of {@code config.json}, field by field: the record components' names, enums by
 * name, nulls left out (the format Gson's reflective binding wrote before, which files on disk keep). By hand rather
 * than by reflection: Gson's first reflective use cost about 25 ms of every {@code berth} command (bench/ section
 * cli), and a value that does not fit is named here instead of turning into a null.
 */
public final class SpecJson {

	private SpecJson() {
	}

	public static JsonObject toJson(ContainerSpec spec) {
		JsonObject o = new JsonObject();
		o.addProperty("name", spec.name());
		o.addProperty("kind", spec.kind().name());
		o.addProperty("template", spec.template());
		o.addProperty("rootfs", spec.rootfs());
		if (spec.init() != null) {
			o.add("init", strings(spec.init()));
		}
		JsonObject namespaces = new JsonObject();
		spec.namespaces().forEach((type, ns) -> {
			JsonObject n = new JsonObject();
			n.addProperty("type", ns.type().name());
			n.addProperty("mode", ns.mode().name());
			n.addProperty("shareWith", ns.shareWith());
			namespaces.add(type.name(), withoutNulls(n));
		});
		o.add("namespaces", namespaces);
		o.add("uidMaps", idMaps(spec.uidMaps()));
		o.add("gidMaps", idMaps(spec.gidMaps()));
		o.addProperty("monotonicOffsetSeconds", spec.monotonicOffsetSeconds());
		o.addProperty("boottimeOffsetSeconds", spec.boottimeOffsetSeconds());
		Limits l = spec.limits();
		JsonObject limits = new JsonObject();
		limits.addProperty("memoryBytes", l.memoryBytes());
		limits.addProperty("memorySwapBytes", l.memorySwapBytes());
		limits.addProperty("cpus", l.cpus());
		limits.addProperty("cpuWeight", l.cpuWeight());
		limits.addProperty("cpuset", l.cpuset());
		limits.addProperty("pids", l.pids());
		o.add("limits", withoutNulls(limits));
		JsonObject network = new JsonObject();
		network.addProperty("mode", spec.network().mode().name());
		network.addProperty("bridge", spec.network().bridge());
		network.addProperty("address", spec.network().address());
		o.add("network", withoutNulls(network));
		o.add("dropCapabilities", strings(spec.dropCapabilities()));
		o.addProperty("haltSignal", spec.haltSignal());
		o.addProperty("autostart", spec.autostart());
		o.addProperty("seccomp", spec.seccomp());
		o.addProperty("description", spec.description());
		o.add("tags", strings(spec.tags()));
		o.addProperty("bootOrder", spec.bootOrder());
		o.addProperty("bootDelaySeconds", spec.bootDelaySeconds());
		return withoutNulls(o);
	}

	/**
	 * The spec in {@code o}; fields an older file lacks get their defaults.
	 *
	 * @throws JsonParseException with what does not fit, e.g. {@code kind: "VM" is not one of SYSTEM, APPLICATION}
	 */
	public static ContainerSpec fromJson(JsonObject o) {
		String name = string(o, "name");
		if (name == null) {
			throw new JsonParseException("no container spec in it");
		}
		try {
			Map<NamespaceType, NamespaceSpec> namespaces = new EnumMap<>(NamespaceType.class);
			JsonObject ns = object(o, "namespaces");
			if (ns != null) {
				for (Map.Entry<String, JsonElement> e : ns.entrySet()) {
					NamespaceType key = constant(NamespaceType.class, "namespaces", e.getKey());
					JsonObject n = asObject("namespaces." + e.getKey(), e.getValue());
					NamespaceType type = constant(NamespaceType.class, "type", string(n, "type"));
					namespaces.put(key, new NamespaceSpec(type == null ? key : type,
							constant(NamespaceMode.class, "mode", string(n, "mode")), string(n, "shareWith")));
				}
			}
			JsonObject l = object(o, "limits");
			Limits limits;
			try {
				limits = l == null ? null
						: new Limits(number(l, "memoryBytes", Long.class), number(l, "memorySwapBytes", Long.class),
								number(l, "cpus", Double.class), number(l, "cpuWeight", Integer.class),
								string(l, "cpuset"), number(l, "pids", Long.class));
			} catch (JsonParseException e) {
				throw new JsonParseException("limits." + e.getMessage());
			}
			JsonObject n = object(o, "network");
			NetworkSpec network = n == null ? null
					: new NetworkSpec(constant(NetworkMode.class, "network.mode", string(n, "mode")),
							string(n, "bridge"), string(n, "address"));
			List<String> drop = strings(o, "dropCapabilities");
			Long monotonic = number(o, "monotonicOffsetSeconds", Long.class);
			Long boottime = number(o, "boottimeOffsetSeconds", Long.class);
			JsonElement autostart = o.get("autostart");
			Integer bootOrder = number(o, "bootOrder", Integer.class);
			Integer bootDelay = number(o, "bootDelaySeconds", Integer.class);
			ContainerSpec spec = new ContainerSpec(name, constant(ContainerKind.class, "kind", string(o, "kind")),
					string(o, "template"), string(o, "rootfs"), strings(o, "init"), namespaces, idMaps(o, "uidMaps"),
					idMaps(o, "gidMaps"), monotonic == null ? 0 : monotonic, boottime == null ? 0 : boottime, limits,
					network, drop == null ? null : new LinkedHashSet<>(drop), string(o, "haltSignal"),
					autostart != null && !autostart.isJsonNull() && bool("autostart", autostart),
					string(o, "seccomp"), string(o, "description"), strings(o, "tags"),
					bootOrder == null ? 0 : bootOrder, bootDelay == null ? 0 : bootDelay);
			// through the builder as well: it settles namespaces that follow the network mode
			return spec.toBuilder().build();
		} catch (IllegalArgumentException | NullPointerException e) {
			throw new JsonParseException(e.getMessage(), e);
		}
	}

	// ---- writing ---------------------------------------------------------------------------------------------

	private static JsonArray strings(Iterable<String> values) {
		JsonArray a = new JsonArray();
		values.forEach(a::add);
		return a;
	}

	private static JsonArray idMaps(List<IdMap> maps) {
		JsonArray a = new JsonArray();
		for (IdMap m : maps) {
			JsonObject o = new JsonObject();
			o.addProperty("insideId", m.insideId());
			o.addProperty("outsideId", m.outsideId());
			o.addProperty("count", m.count());
			a.add(o);
		}
		return a;
	}

	/** addProperty(name, null) stores a JSON null; the files never held them. */
	private static JsonObject withoutNulls(JsonObject o) {
		o.entrySet().removeIf(e -> e.getValue().isJsonNull());
		return o;
	}

	// ---- reading: each says which field is wrong -------------------------------------------------------------

	private static JsonElement field(JsonObject o, String name) {
		JsonElement e = o.get(name);
		return e == null || e.isJsonNull() ? null : e;
	}

	private static String string(JsonObject o, String name) {
		JsonElement e = field(o, name);
		if (e == null) {
			return null;
		}
		if (!e.isJsonPrimitive()) {
			throw new JsonParseException(name + ": " + e + " is not a string");
		}
		return e.getAsString();
	}

	private static JsonObject object(JsonObject o, String name) {
		JsonElement e = field(o, name);
		return e == null ? null : asObject(name, e);
	}

	private static JsonObject asObject(String name, JsonElement e) {
		if (!e.isJsonObject()) {
			throw new JsonParseException(name + ": " + e + " is not an object");
		}
		return e.getAsJsonObject();
	}

	private static <T extends Number> T number(JsonObject o, String name, Class<T> type) {
		JsonElement e = field(o, name);
		if (e == null) {
			return null;
		}
		try {
			if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
				throw new NumberFormatException();
			}
			// not getAsBigDecimal: BigDecimal's first use costs more than all of this (see Sizes)
			String text = e.getAsString();
			Object value = type == Double.class ? (Object) Double.parseDouble(text)
					: type == Integer.class ? (Object) Integer.parseInt(text) : (Object) Long.parseLong(text);
			return type.cast(value);
		} catch (NumberFormatException x) {
			throw new JsonParseException(name + ": " + e + " is not " + (type == Double.class ? "a number"
					: "a whole number"));
		}
	}

	private static boolean bool(String name, JsonElement e) {
		if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
			throw new JsonParseException(name + ": " + e + " is not true or false");
		}
		return e.getAsBoolean();
	}

	/** The list in field {@code name}, or null when there is none. */
	private static JsonArray array(JsonObject o, String name) {
		JsonElement e = field(o, name);
		if (e != null && !e.isJsonArray()) {
			throw new JsonParseException(name + ": " + e + " is not a list");
		}
		return e == null ? null : e.getAsJsonArray();
	}

	private static List<String> strings(JsonObject o, String name) {
		JsonArray a = array(o, name);
		if (a == null) {
			return null;
		}
		List<String> values = new ArrayList<>();
		for (JsonElement v : a) {
			if (v.isJsonNull() || !v.isJsonPrimitive()) {
				throw new JsonParseException(name + ": " + v + " is not a string");
			}
			values.add(v.getAsString());
		}
		return values;
	}

	private static List<IdMap> idMaps(JsonObject o, String name) {
		JsonArray a = array(o, name);
		if (a == null) {
			return null;
		}
		List<IdMap> maps = new ArrayList<>();
		for (JsonElement v : a) {
			JsonObject m = asObject(name, v);
			Long inside = number(m, "insideId", Long.class);
			Long outside = number(m, "outsideId", Long.class);
			Long count = number(m, "count", Long.class);
			maps.add(new IdMap(inside == null ? 0 : inside, outside == null ? 0 : outside, count == null ? 0 : count));
		}
		return maps;
	}

	private static <E extends Enum<E>> E constant(Class<E> type, String name, String value) {
		if (value == null) {
			return null;
		}
		try {
			return Enum.valueOf(type, value);
		} catch (IllegalArgumentException e) {
			List<String> names = new ArrayList<>();
			for (E c : type.getEnumConstants()) {
				names.add(c.name());
			}
			throw new JsonParseException(name + ": \"" + value + "\" is not one of " + String.join(", ", names));
		}
	}
}
