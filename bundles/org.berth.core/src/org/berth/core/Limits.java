package org.berth.core;

/**
 * Resource limits of a container (cgroup). Each {@code null} means unlimited / not set. The record holds whatever was
 * entered; {@link SpecValidator} says what is out of range.
 *
 * @param memoryBytes     memory limit ({@code memory.max})
 * @param memorySwapBytes memory plus swap together (as {@code docker --memory-swap}); at least {@code memoryBytes}
 * @param cpus            CPU quota in CPUs, e.g. 0.5 = half a CPU ({@code cpu.max})
 * @param cpuWeight       relative CPU weight 1..10000, 100 being the kernel's default ({@code cpu.weight})
 * @param cpuset          the CPUs the container may run on, e.g. "0-1,3" ({@code cpuset.cpus})
 * @param pids            the most processes and threads the container may have ({@code pids.max})
 */
public record Limits(Long memoryBytes, Long memorySwapBytes, Double cpus, Integer cpuWeight, String cpuset,
		Long pids) {

	/** No limits at all. */
	public static final Limits NONE = new Limits(null, null, null, null, null, null);

	public Limits {
		cpuset = Text.trimToNull(cpuset);
	}

	/** Whether no limit is set. */
	public boolean isUnlimited() {
		return equals(NONE);
	}

	public Limits withMemoryBytes(Long value) {
		return new Limits(value, memorySwapBytes, cpus, cpuWeight, cpuset, pids);
	}

	public Limits withMemorySwapBytes(Long value) {
		return new Limits(memoryBytes, value, cpus, cpuWeight, cpuset, pids);
	}

	public Limits withCpus(Double value) {
		return new Limits(memoryBytes, memorySwapBytes, value, cpuWeight, cpuset, pids);
	}

	public Limits withCpuWeight(Integer value) {
		return new Limits(memoryBytes, memorySwapBytes, cpus, value, cpuset, pids);
	}

	public Limits withCpuset(String value) {
		return new Limits(memoryBytes, memorySwapBytes, cpus, cpuWeight, value, pids);
	}

	public Limits withPids(Long value) {
		return new Limits(memoryBytes, memorySwapBytes, cpus, cpuWeight, cpuset, value);
	}
}
