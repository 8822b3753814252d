package org.berth.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@code berth create} command line of a spec. Pure. Shown by the console ("equivalent command") and printed by
 * {@code berth config}; the CLI's {@code berth create} is the one parser of it, and its tests check that what this
 * writes creates the same spec again. The syntax:
 *
 * <pre>
 * berth create NAME [--kind application] [--template T] [--rootfs DIR]
 *     [--privileged] [--ns TYPE=new|host|share:OTHER]... [--uidmap IN:OUT:COUNT]... [--gidmap IN:OUT:COUNT]...
 *     [--monotonic-offset SECONDS] [--boottime-offset SECONDS]
 *     [--memory SIZE] [--memory-swap SIZE] [--cpus N] [--cpu-weight N] [--cpuset LIST] [--pids N]
 *     [--network none|host|veth] [--bridge NAME] [--address CIDR]
 *     [--cap-drop CAP]... [--cap-keep CAP]... [--halt-signal SIG] [--seccomp default|unconfined|FILE]
 *     [--autostart] [--boot-order N] [--boot-delay SEC] [-- INIT [ARG]...]
 * </pre>
 *
 * Options may also be written {@code --memory=256M}. {@code --cap-drop} drops a capability besides the default ones,
 * {@code --cap-keep} keeps one of the defaults. {@code --bridge} or {@code --address} without {@code --network}
 * means {@code --network veth}. {@code --privileged} is {@code --ns user=host}. Only options that differ from the
 * defaults are written, except {@code --template}; the block of host ids the engine gave a container (one map
 * {@code 0:BASE:65536} for uids and gids) is left out, as a new container gets a block of its own.
 */
public final class CommandLines {

	/** The size of the block of ids the engine gives a container with a user namespace of its own. */
	public static final long ID_BLOCK = 65536;

	private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

	private CommandLines() {
	}

	/** Whether the spec's id maps are the one block the engine allocates (0 → BASE, 65536 ids, uids as gids). */
	static boolean isAllocatedBlock(ContainerSpec spec) {
		return spec.idBlock().filter(m -> m.count() == ID_BLOCK).isPresent();
	}

	/**
	 * The {@code berth create} argument list for {@code spec}, e.g.
	 * {@code [berth, create, c1, --template, busybox, --ns, net=host, --memory, 256M, --cpus, 0.5]}.
	 */
	public static List<String> createCommand(ContainerSpec spec) {
		List<String> cmd = new ArrayList<>(List.of("berth", "create", spec.name()));
		if (spec.kind() != ContainerKind.SYSTEM) {
			add(cmd, "--kind", spec.kind().cli());
		}
		if (spec.template() != null) {
			add(cmd, "--template", spec.template());
		}
		if (spec.rootfs() != null) {
			add(cmd, "--rootfs", spec.rootfs());
		}
		if (spec.isPrivileged()) {
			cmd.add("--privileged");
		}
		for (NamespaceSpec ns : spec.nonDefaultNamespaces()) {
			if (!(ns.type() == NamespaceType.USER && spec.isPrivileged())) {
				add(cmd, "--ns", ns.toCli());
			}
		}
		if (!isAllocatedBlock(spec)) { // a new container gets a block of its own, not this one's
			spec.uidMaps().forEach(m -> add(cmd, "--uidmap", m.toCli()));
			spec.gidMaps().forEach(m -> add(cmd, "--gidmap", m.toCli()));
		}
		if (spec.monotonicOffsetSeconds() != 0) {
			add(cmd, "--monotonic-offset", Long.toString(spec.monotonicOffsetSeconds()));
		}
		if (spec.boottimeOffsetSeconds() != 0) {
			add(cmd, "--boottime-offset", Long.toString(spec.boottimeOffsetSeconds()));
		}
		Limits l = spec.limits();
		if (l.memoryBytes() != null) {
			add(cmd, "--memory", Sizes.formatExact(l.memoryBytes()));
		}
		if (l.memorySwapBytes() != null) {
			add(cmd, "--memory-swap", Sizes.formatExact(l.memorySwapBytes()));
		}
		if (l.cpus() != null) {
			add(cmd, "--cpus", Sizes.formatCpus(l.cpus()));
		}
		if (l.cpuWeight() != null) {
			add(cmd, "--cpu-weight", Integer.toString(l.cpuWeight()));
		}
		if (l.cpuset() != null) {
			add(cmd, "--cpuset", l.cpuset());
		}
		if (l.pids() != null) {
			add(cmd, "--pids", Long.toString(l.pids()));
		}
		NetworkSpec net = spec.network();
		if (net.mode() != NetworkMode.NONE) {
			add(cmd, "--network", net.mode().cli());
		}
		if (net.bridge() != null) {
			add(cmd, "--bridge", net.bridge());
		}
		if (net.address() != null) {
			add(cmd, "--address", net.address());
		}
		Set<String> dropped = new TreeSet<>(spec.dropCapabilities());
		dropped.removeAll(ContainerSpec.DEFAULT_DROPPED_CAPABILITIES);
		dropped.forEach(c -> add(cmd, "--cap-drop", c));
		Set<String> kept = new TreeSet<>(ContainerSpec.DEFAULT_DROPPED_CAPABILITIES);
		kept.removeAll(spec.dropCapabilities());
		kept.forEach(c -> add(cmd, "--cap-keep", c));
		if (!spec.haltSignal().equals(ContainerSpec.DEFAULT_HALT_SIGNAL)) {
			add(cmd, "--halt-signal", spec.haltSignal());
		}
		if (!spec.seccomp().equals(ContainerSpec.SECCOMP_DEFAULT)) {
			add(cmd, "--seccomp", spec.seccomp());
		}
		if (spec.autostart()) {
			cmd.add("--autostart");
		}
		if (spec.bootOrder() != 0) {
			cmd.add("--boot-order=" + spec.bootOrder()); // one word: "-5" alone would read as an option
		}
		if (spec.bootDelaySeconds() != 0) {
			add(cmd, "--boot-delay", Integer.toString(spec.bootDelaySeconds()));
		}
		if (!spec.description().isEmpty()) {
			add(cmd, "--description", spec.description());
		}
		spec.tags().forEach(t -> add(cmd, "--tag", t));
		if (spec.init() != null) {
			cmd.add("--");
			cmd.addAll(spec.init());
		}
		return List.copyOf(cmd);
	}

	/** {@link #createCommand} as one line for a POSIX shell. */
	public static String createCommandLine(ContainerSpec spec) {
		return shellQuote(createCommand(spec));
	}

	private static void add(List<String> cmd, String option, String value) {
		cmd.add(option);
		cmd.add(value);
	}

	/**
	 * Joins arguments into one line a POSIX shell splits back into the same arguments: plain words stay as they
	 * are, others get single quotes ({@code it's} → {@code 'it'\''s'}), the empty string becomes {@code ''}.
	 */
	public static String shellQuote(List<String> args) {
		StringBuilder b = new StringBuilder();
		for (String a : args) {
			if (!b.isEmpty()) {
				b.append(' ');
			}
			if (SAFE.matcher(a).matches()) {
				b.append(a);
			} else {
				b.append('\'').append(a.replace("'", "'\\''")).append('\'');
			}
		}
		return b.toString();
	}
}
