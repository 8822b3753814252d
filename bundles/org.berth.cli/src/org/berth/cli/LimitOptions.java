package org.berth.cli;

import org.berth.core.Limits;

import picocli.CommandLine.Option;

/**
 * The limit options of create and set: {@code --memory}, {@code --memory-swap}, {@code --cpus}, {@code --cpu-weight},
 * {@code --cpuset} and {@code --pids}. "none" (or "max", "unlimited") lifts a limit; an option not given stays null,
 * so that set changes only what is given. The words are create's; set words some of them its own way (see
 * {@link SetCommand.Words}).
 */
final class LimitOptions {

	/** "|none" after a value's label where the command's resource bundle says so (set's), nothing elsewhere. */
	private static final String OR_NONE = "${bundle:or-none:-}";

	@Option(names = "--memory", paramLabel = "SIZE" + OR_NONE, converter = Converters.MemoryChange.class,
			description = "Memory limit, e.g. 256M or 1G.")
	Converters.Change<Long> memory;

	@Option(names = "--memory-swap", paramLabel = "SIZE" + OR_NONE, converter = Converters.MemoryChange.class,
			description = "Memory and swap together, at least --memory.")
	Converters.Change<Long> memorySwap;

	@Option(names = "--cpus", paramLabel = "N" + OR_NONE, converter = Converters.CpusChange.class,
			description = "CPU quota in CPUs, e.g. 0.5; a whole number N also pins it to N CPUs.")
	Converters.Change<Double> cpus;

	@Option(names = "--cpu-weight", paramLabel = "N" + OR_NONE, converter = Converters.WeightChange.class,
			description = "Relative CPU weight, 1 to 10000 (100 is the default).")
	Converters.Change<Integer> cpuWeight;

	@Option(names = "--cpuset", paramLabel = "LIST" + OR_NONE, converter = Converters.CpusetChange.class,
			description = "The CPUs it may run on, e.g. 0-1,3.")
	Converters.Change<String> cpuset;

	@Option(names = "--pids", paramLabel = "N" + OR_NONE, converter = Converters.LimitChange.class,
			description = "The most processes and threads.")
	Converters.Change<Long> pids;

	/** Whether any limit is given. */
	boolean given() {
		return memory != null || memorySwap != null || cpus != null || cpuWeight != null || cpuset != null
				|| pids != null;
	}

	/** {@code old} with only the given limits replaced. */
	Limits applyTo(Limits old) {
		Limits l = old;
		if (memory != null) {
			l = l.withMemoryBytes(memory.value());
		}
		if (memorySwap != null) {
			l = l.withMemorySwapBytes(memorySwap.value());
		}
		if (cpus != null) {
			l = l.withCpus(cpus.value());
		}
		if (cpuWeight != null) {
			l = l.withCpuWeight(cpuWeight.value());
		}
		if (cpuset != null) {
			l = l.withCpuset(cpuset.value());
		}
		if (pids != null) {
			l = l.withPids(pids.value());
		}
		return l;
	}
}
