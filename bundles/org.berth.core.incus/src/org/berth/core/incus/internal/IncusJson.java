package org.berth.core.incus.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.berth.core.ContainerKind;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.IdMap;
import org.berth.core.Limits;
import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;
import org.berth.core.Usage;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Incus's JSON and Berth's records, both ways, without I/O: an instance (and its state) as a
 * {@link ContainerSnapshot}, a state as {@link Usage}, {@link Limits} as instance config, Incus's byte sizes, error
 * bodies, operations and lifecycle events. Tested on fixture text.
 */
public final class IncusJson {

	private IncusJson() {
	}

	/** The "metadata" of Incus's answer envelope, or JSON null. */
	public static JsonElement metadata(JsonObject envelope) {
		JsonElement m = envelope.get("metadata");
		return m == null ? com.google.gson.JsonNull.INSTANCE : m;
	}

	public static JsonObject parse(String text) {
		return JsonParser.parseString(text).getAsJsonObject();
	}

	/**
	 * The container an instance is: its spec from the instance's own config (limits, description; the template is
	 * its image's {@code image.os}), its state from {@code status}, and, when {@code state} (the state endpoint's
	 * metadata) is given, its init's PID and start time.
	 */
	public static ContainerSnapshot snapshot(JsonObject instance, JsonObject state) {
		String name = string(instance, "name");
		JsonObject config = object(instance, "config");
		String os = string(config, "image.os");
		ContainerSpec.Builder b = ContainerSpec.builder(name).kind(ContainerKind.SYSTEM)
				.template(os == null || os.isBlank() ? "incus" : os.toLowerCase(Locale.ROOT))
				.limits(limits(config)).description(string(instance, "description"));
		identity(instance.has("expanded_config") ? object(instance, "expanded_config") : config, config, b);
		ContainerSpec spec = b.build();
		ContainerState s = state(string(state != null ? state : instance, "status"));
		long pid = 0;
		Instant started = null;
		if (state != null && s.isActive()) {
			pid = state.has("pid") ? state.get("pid").getAsLong() : 0;
			started = instant(string(state, "started_at"));
		}
		if (s.isActive() && started == null) {
			started = instant(string(instance, "last_used_at"));
		}
		return new ContainerSnapshot(spec, s, s.isActive() ? pid : 0, s.isActive() ? started : null, null, Map.of());
	}

	/**
	 * What Incus's configuration says of an instance's user namespace, as Berth's spec says it: none of its own (the
	 * host's) when {@code security.privileged} is true, else a new one with the id maps Incus gave it
	 * ({@code volatile.idmap.current}, or {@code volatile.idmap.next} before its first start). Incus gives every
	 * container new mount, UTS, IPC, PID, network and cgroup namespaces and no time namespace: Berth's defaults.
	 */
	static void identity(JsonObject expanded, JsonObject config, ContainerSpec.Builder b) {
		if ("true".equalsIgnoreCase(string(expanded, "security.privileged"))) {
			b.namespace(NamespaceSpec.host(NamespaceType.USER));
			return;
		}
		String maps = string(config, "volatile.idmap.current");
		if (maps == null || maps.isBlank() || maps.equals("[]")) {
			maps = string(config, "volatile.idmap.next");
		}
		if (maps == null || maps.isBlank()) {
			return;
		}
		try {
			for (JsonElement e : com.google.gson.JsonParser.parseString(maps).getAsJsonArray()) {
				JsonObject m = e.getAsJsonObject();
				IdMap map = new IdMap(m.get("Nsid").getAsLong(), m.get("Hostid").getAsLong(), m.get("Maprange")
						.getAsLong());
				if (m.has("Isuid") && m.get("Isuid").getAsBoolean()) {
					b.uidMap(map);
				}
				if (m.has("Isgid") && m.get("Isgid").getAsBoolean()) {
					b.gidMap(map);
				}
			}
		} catch (RuntimeException e) {
			// a map of another form: shown without maps rather than not at all
		}
	}

	/** Incus's status word ("Running", "Stopped", "Frozen", ...) as a state; an unknown or error state is STOPPED. */
	public static ContainerState state(String status) {
		return switch (status == null ? "" : status.toLowerCase(Locale.ROOT)) {
			case "running", "ready" -> ContainerState.RUNNING;
			case "frozen" -> ContainerState.FROZEN;
			case "starting" -> ContainerState.STARTING;
			case "stopping", "aborting" -> ContainerState.STOPPING;
			case "freezing" -> ContainerState.FREEZING;
			case "thawed" -> ContainerState.RUNNING;
			default -> ContainerState.STOPPED;
		};
	}

	/** The limits in an instance's config ({@code limits.memory}, {@code limits.cpu}, ...); null where unset. */
	public static Limits limits(JsonObject config) {
		Long memory = byteSize(string(config, "limits.memory"));
		Double cpus = null;
		String cpuset = null;
		String cpu = string(config, "limits.cpu");
		if (cpu != null && !cpu.isBlank()) {
			if (cpu.trim().matches("\\d+")) {
				cpus = Double.valueOf(cpu.trim());
			} else {
				cpuset = cpu.trim();
			}
		}
		String allowance = string(config, "limits.cpu.allowance");
		if (allowance != null) {
			Matcher m = Pattern.compile("\\s*(\\d+)ms/(\\d+)ms\\s*").matcher(allowance);
			if (m.matches() && Long.parseLong(m.group(2)) > 0) {
				cpus = Long.parseLong(m.group(1)) / (double) Long.parseLong(m.group(2));
			}
		}
		Long pids = null;
		String processes = string(config, "limits.processes");
		if (processes != null && processes.trim().matches("\\d+")) {
			pids = Long.valueOf(processes.trim());
		}
		return new Limits(memory, null, cpus, null, cpuset, pids);
	}

	/**
	 * Limits as instance config: {@code limits.memory} in bytes (in MiB or GiB when whole), a whole number of CPUs as
	 * {@code limits.cpu}, a fraction as a hard quota {@code limits.cpu.allowance} ("50ms/100ms"), a CPU set as
	 * {@code limits.cpu}, pids as {@code limits.processes}. An unset limit is "" (which removes it in a PATCH).
	 *
	 * @throws UnsupportedOperationException for what Incus has no such limit for (swap, CPU weight)
	 */
	public static Map<String, String> config(Limits limits) {
		if (limits.memorySwapBytes() != null) {
			throw new UnsupportedOperationException("Incus has no limit of memory and swap together; set"
					+ " limits.memory.swap on the instance instead");
		}
		if (limits.cpuWeight() != null) {
			throw new UnsupportedOperationException("Incus has no CPU weight in Berth's sense (1..10000); use"
					+ " limits.cpu.priority on the instance instead");
		}
		if (limits.cpus() != null && limits.cpuset() != null) {
			throw new UnsupportedOperationException("Incus takes either a number of CPUs or a set of CPUs"
					+ " (limits.cpu), not both");
		}
		Map<String, String> c = new LinkedHashMap<>();
		c.put("limits.memory", limits.memoryBytes() == null ? "" : formatBytes(limits.memoryBytes()));
		String cpu = "";
		String allowance = "";
		if (limits.cpuset() != null) {
			cpu = limits.cpuset();
		} else if (limits.cpus() != null) {
			double n = limits.cpus();
			if (n == Math.rint(n)) {
				cpu = Long.toString((long) n);
			} else {
				allowance = Math.max(1, Math.round(n * 100)) + "ms/100ms";
			}
		}
		c.put("limits.cpu", cpu);
		c.put("limits.cpu.allowance", allowance);
		c.put("limits.processes", limits.pids() == null ? "" : Long.toString(limits.pids()));
		return c;
	}

	/** Bytes as Incus writes them: "64MiB", "2GiB", else the number of bytes followed by "B". */
	public static String formatBytes(long bytes) {
		if (bytes > 0 && bytes % (1L << 30) == 0) {
			return (bytes >> 30) + "GiB";
		}
		if (bytes > 0 && bytes % (1L << 20) == 0) {
			return (bytes >> 20) + "MiB";
		}
		return bytes + "B";
	}

	private static final Pattern SIZE = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*([kKMGTPE]i?B|B|)\\s*");

	/**
	 * An Incus byte size ("64MiB", "1GB", "512", "1.5GiB") in bytes; null for nothing, a percentage or what is not a
	 * size.
	 */
	public static Long byteSize(String text) {
		if (text == null) {
			return null;
		}
		Matcher m = SIZE.matcher(text);
		if (!m.matches()) {
			return null;
		}
		double n = Double.parseDouble(m.group(1));
		String unit = m.group(2);
		long factor = switch (unit) {
			case "", "B" -> 1L;
			case "kB", "KB" -> 1000L;
			case "MB" -> 1000_000L;
			case "GB" -> 1000_000_000L;
			case "TB" -> 1000_000_000_000L;
			case "PB" -> 1000_000_000_000_000L;
			case "EB" -> 1000_000_000_000_000_000L;
			case "KiB", "kiB" -> 1L << 10;
			case "MiB" -> 1L << 20;
			case "GiB" -> 1L << 30;
			case "TiB" -> 1L << 40;
			case "PiB" -> 1L << 50;
			case "EiB" -> 1L << 60;
			default -> -1L;
		};
		return factor < 0 ? null : Math.round(n * factor);
	}

	/**
	 * A sample from the state endpoint's metadata: CPU time, memory (and its peak), processes, the bytes through the
	 * instance's interfaces other than lo (-1 when it has none), with the limits from {@code limits}. Incus does not
	 * report OOM kills, pids-limit hits, block I/O or throttling there: those are 0.
	 */
	public static Usage usage(JsonObject state, Limits limits, Instant at) {
		JsonObject cpu = object(state, "cpu");
		JsonObject memory = object(state, "memory");
		long rx = 0;
		long tx = 0;
		boolean ownNetwork = false;
		JsonObject network = object(state, "network");
		for (Map.Entry<String, JsonElement> e : network.entrySet()) {
			if (e.getKey().equals("lo") || !e.getValue().isJsonObject()) {
				continue;
			}
			JsonObject counters = object(e.getValue().getAsJsonObject(), "counters");
			rx += number(counters, "bytes_received");
			tx += number(counters, "bytes_sent");
			ownNetwork = true;
		}
		long memLimit = limits.memoryBytes() == null ? -1 : limits.memoryBytes();
		long pidsLimit = limits.pids() == null ? -1 : limits.pids();
		return new Usage(at, number(cpu, "usage"), number(memory, "usage"), number(memory, "usage_peak"), memLimit,
				number(state, "processes"), pidsLimit, 0, 0, ownNetwork ? rx : -1, ownNetwork ? tx : -1, 0, 0, 0, 0);
	}

	/**
	 * What a lifecycle event is about: the instance's name (from {@code metadata.name} or the source
	 * {@code /1.0/instances/NAME[/...]}), or null when it is not about an instance.
	 */
	public static String eventInstance(JsonObject event) {
		if (!"lifecycle".equals(string(event, "type"))) {
			return null;
		}
		JsonObject m = object(event, "metadata");
		String source = string(m, "source");
		String prefix = "/1.0/instances/";
		if (source == null || !source.startsWith(prefix)) {
			return null;
		}
		String rest = source.substring(prefix.length());
		int end = rest.length();
		for (char c : new char[]{'/', '?'}) {
			int i = rest.indexOf(c);
			if (i >= 0 && i < end) {
				end = i;
			}
		}
		String name = URLDecoder.decode(rest.substring(0, end), StandardCharsets.UTF_8);
		return name.isEmpty() ? null : name;
	}

	/** The action of a lifecycle event ("instance-started"), or null. */
	public static String eventAction(JsonObject event) {
		return string(object(event, "metadata"), "action");
	}

	/** An operation's id from its path ("/1.0/operations/ID") or an async answer's metadata. */
	public static String operationId(JsonObject envelope) {
		String path = string(envelope, "operation");
		if (path != null && !path.isEmpty()) {
			return path.substring(path.lastIndexOf('/') + 1);
		}
		JsonElement m = metadata(envelope);
		return m.isJsonObject() ? string(m.getAsJsonObject(), "id") : null;
	}

	/** Incus's sentence in an error body, or null when {@code text} is not one. */
	public static String errorSentence(String text) {
		try {
			JsonObject o = parse(text);
			String e = string(o, "error");
			return e == null || e.isBlank() ? null : e;
		} catch (RuntimeException e) {
			return null;
		}
	}

	/**
	 * Whether {@code failure} is Incus's answer to a wait on an operation that still runs when the wait's time is up
	 * (a 500 "context deadline exceeded"), not a failed operation.
	 */
	public static boolean waitTimedOut(Throwable failure) {
		return failure instanceof org.berth.core.incus.IncusException e && e.status() == 500 && e.getMessage() != null
				&& e.getMessage().contains("context deadline exceeded");
	}

	public static JsonObject object(JsonObject o, String key) {
		JsonElement e = o == null ? null : o.get(key);
		return e != null && e.isJsonObject() ? e.getAsJsonObject() : new JsonObject();
	}

	public static String string(JsonObject o, String key) {
		JsonElement e = o == null ? null : o.get(key);
		return e == null || e.isJsonNull() || !e.isJsonPrimitive() ? null : e.getAsString();
	}

	static long number(JsonObject o, String key) {
		JsonElement e = o == null ? null : o.get(key);
		try {
			return e == null || e.isJsonNull() ? 0 : e.getAsLong();
		} catch (RuntimeException x) {
			return 0;
		}
	}

	static Instant instant(String text) {
		if (text == null || text.isBlank() || text.startsWith("0001-01-01")) {
			return null;
		}
		try {
			return OffsetDateTime.parse(text).toInstant();
		} catch (DateTimeParseException e) {
			return null;
		}
	}
}
