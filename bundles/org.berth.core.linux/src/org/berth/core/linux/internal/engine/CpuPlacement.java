package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.berth.core.ContainerSnapshot;
import org.berth.core.Limits;
import org.berth.core.linux.internal.metrics.OnlineCpus;

/**
 * Where a container with a whole number of CPUs runs: as Incus does for {@code limits.cpu=N}, {@code --cpus N}
 * (N a whole number below the host's CPU count, no {@code --cpuset} given) pins the container to N CPUs, the ones
 * fewest other pinned containers run on, besides the quota of N CPUs' time. So {@code nproc}, the Go runtime and
 * everything else that asks sched_getaffinity sees N CPUs, as on a machine with N. A fraction ({@code --cpus 1.5})
 * is a quota only. Pure but for {@link #pinnedOf(long)}, which reads {@code /proc/PID/status}.
 */
final class CpuPlacement {

	private CpuPlacement() {
	}

	/**
	 * The cpuset for {@code limits}, or empty when it is not pinned by the engine (a cpuset given, no or a fractional
	 * CPU count, or as many CPUs as the host has).
	 *
	 * @param online the host's online CPUs
	 * @param load   how many other containers are pinned to each CPU
	 */
	static Optional<String> pin(Limits limits, List<Integer> online, Map<Integer, Integer> load) {
		Double cpus = limits.cpus();
		if (limits.cpuset() != null || cpus == null || cpus < 1 || cpus != Math.floor(cpus)
				|| cpus >= online.size()) {
			return Optional.empty();
		}
		List<Integer> chosen = online.stream()
				.sorted(Comparator.<Integer>comparingInt(c -> load.getOrDefault(c, 0)).thenComparing(c -> c))
				.limit(cpus.longValue()).sorted().toList();
		return Optional.of(format(chosen));
	}

	/** The limits a start or a live change writes: {@code limits} with the engine's pin when there is one. */
	static Limits effective(Limits limits, List<Integer> online, Map<Integer, Integer> load) {
		return pin(limits, online, load).map(limits::withCpuset).orElse(limits);
	}

	/**
	 * The limits to write for {@code name} now: its own, with the engine's pin chosen beside the containers that run
	 * (their init's allowed CPUs, read from /proc: the kernel's word, nothing kept on the side).
	 */
	static Limits placed(String name, Limits limits, Collection<ContainerSnapshot> all, EngineContext ctx) {
		List<Integer> online;
		try {
			online = parse(Files.readString(OnlineCpus.FILE));
		} catch (IOException e) {
			return limits;
		}
		if (pin(limits, online, Map.of()).isEmpty()) {
			return limits;
		}
		Map<Integer, Integer> load = new HashMap<>();
		for (ContainerSnapshot other : all) {
			if (other.name().equals(name) || !other.isActive()) {
				continue;
			}
			ctx.runDir(other.name()).readState().ifPresent(state -> {
				List<Integer> allowed = pinnedOf(state.initPid());
				if (!allowed.isEmpty() && allowed.size() < online.size()) {
					allowed.forEach(c -> load.merge(c, 1, Integer::sum));
				}
			});
		}
		return effective(limits, online, load);
	}

	/** A CPU list such as {@code 0-2,5} as numbers; malformed parts are skipped. */
	static List<Integer> parse(String list) {
		TreeSet<Integer> cpus = new TreeSet<>();
		for (String part : list.trim().split(",")) {
			try {
				int dash = part.indexOf('-');
				int from = Integer.parseInt(dash < 0 ? part.trim() : part.substring(0, dash).trim());
				int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1).trim());
				for (int c = from; c <= to && c - from < 4096; c++) {
					cpus.add(c);
				}
			} catch (NumberFormatException e) {
				// not a CPU number: nothing of it
			}
		}
		return List.copyOf(cpus);
	}

	/** Numbers as the kernel writes a CPU list: ranges where they run on ({@code 0-2,5}). */
	static String format(List<Integer> cpus) {
		List<String> parts = new ArrayList<>();
		int i = 0;
		while (i < cpus.size()) {
			int j = i;
			while (j + 1 < cpus.size() && cpus.get(j + 1) == cpus.get(j) + 1) {
				j++;
			}
			parts.add(i == j ? Integer.toString(cpus.get(i)) : cpus.get(i) + "-" + cpus.get(j));
			i = j + 1;
		}
		return String.join(",", parts);
	}

	/** The CPUs a process may run on ({@code Cpus_allowed_list} of {@code /proc/PID/status}); empty if unknown. */
	static List<Integer> pinnedOf(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
				if (line.startsWith("Cpus_allowed_list:")) {
					return parse(line.substring("Cpus_allowed_list:".length()));
				}
			}
		} catch (IOException | RuntimeException e) {
			// ended meanwhile: it pins nothing
		}
		return List.of();
	}
}
