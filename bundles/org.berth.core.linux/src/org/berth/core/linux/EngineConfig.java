package org.berth.core.linux;

import java.nio.file.Path;

/**
 * Where the local engine keeps things and how it plumbs networks. {@link #defaults()} is what the console and
 * the CLI use; tests give their own roots, cgroup parent and bridge namespace so they never touch a user's
 * containers.
 *
 * @param configRoot   persistent configs and root file systems ({@code /var/lib/berth})
 * @param runRoot      runtime state on tmpfs ({@code /run/berth})
 * @param cgroupParent the cgroup under which every container gets its own ({@code berth})
 * @param helper       the native helper to run, or null for the one inside this bundle
 * @param busybox      the static busybox the busybox template copies ({@code /bin/busybox})
 * @param bridge       the bridge veth networks attach to ({@code berth0})
 * @param bridgeNetns  the named network namespace the bridge lives in, or null for the host's
 * @param subnet       the private IPv4 range containers' addresses come from ({@code 10.88.0.0/24})
 * @param lxcfs        where LXCFS is mounted ({@code /var/lib/lxcfs}), or null to never use it; while a
 *                     {@code fuse.lxcfs} file system is mounted there, containers read their memory, CPUs, uptime
 *                     and load from it
 */
public record EngineConfig(Path configRoot, Path runRoot, String cgroupParent, Path helper, Path busybox,
		String bridge, String bridgeNetns, String subnet, Path lxcfs) {

	/**
	 * "false" keeps the histories in memory only: for a short-lived process (a {@code berth stats} or {@code top}),
	 * which would otherwise write every history it read when it ends, over what the agent keeps writing.
	 */
	public static final String PERSIST_HISTORY = "berth.persistHistory";

	/** The engine's settings on a normal host. */
	public static EngineConfig defaults() {
		return new EngineConfig(Path.of("/var/lib/berth"), Path.of("/run/berth"), "berth", null,
				Path.of("/bin/busybox"),
				"berth0", null, "10.88.0.0/24", Path.of("/var/lib/lxcfs"));
	}

	/**
	 * {@link #defaults()}, with each part replaceable by a system property: {@code berth.configRoot},
	 * {@code berth.runRoot}, {@code berth.cgroupParent}, {@code berth.helper}, {@code berth.bridge},
	 * {@code berth.bridgeNetns}, {@code berth.subnet} (tests of the console use them to stay apart), {@code berth.lxcfs}
	 * (empty: no LXCFS).
	 */
	public static EngineConfig fromSystemProperties() {
		EngineConfig d = defaults();
		String helper = System.getProperty("berth.helper");
		String lxcfs = System.getProperty("berth.lxcfs", d.lxcfs().toString());
		return new EngineConfig(Path.of(System.getProperty("berth.configRoot", d.configRoot().toString())),
				Path.of(System.getProperty("berth.runRoot", d.runRoot().toString())),
				System.getProperty("berth.cgroupParent", d.cgroupParent()), helper == null ? null : Path.of(helper),
				d.busybox(), System.getProperty("berth.bridge", d.bridge()), System.getProperty("berth.bridgeNetns"),
				System.getProperty("berth.subnet", d.subnet()), lxcfs.isEmpty() ? null : Path.of(lxcfs));
	}

	public EngineConfig withRoots(Path config, Path run) {
		return new EngineConfig(config, run, cgroupParent, helper, busybox, bridge, bridgeNetns, subnet, lxcfs);
	}

	public EngineConfig withCgroupParent(String parent) {
		return new EngineConfig(configRoot, runRoot, parent, helper, busybox, bridge, bridgeNetns, subnet, lxcfs);
	}

	public EngineConfig withHelper(Path path) {
		return new EngineConfig(configRoot, runRoot, cgroupParent, path, busybox, bridge, bridgeNetns, subnet, lxcfs);
	}

	public EngineConfig withNetwork(String bridgeName, String netns, String range) {
		return new EngineConfig(configRoot, runRoot, cgroupParent, helper, busybox, bridgeName, netns, range, lxcfs);
	}

	/** The same with LXCFS looked for at {@code mountPoint}, or never used when it is null. */
	public EngineConfig withLxcfs(Path mountPoint) {
		return new EngineConfig(configRoot, runRoot, cgroupParent, helper, busybox, bridge, bridgeNetns, subnet,
				mountPoint);
	}
}
