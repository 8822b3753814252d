package org.berth.core;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@code berth create} command line of a spec, and back. Pure. Shown by the UI ("equivalent command") and used
 * by the CLI, so both agree on one syntax:
 *
 * <pre>
 * berth create NAME [--kind application] [--template T] [--rootfs DIR]
 *     [--ns TYPE=new|host|share:OTHER]... [--uidmap IN:OUT:COUNT]... [--gidmap IN:OUT:COUNT]...
 *     [--monotonic-offset SECONDS] [--boottime-offset SECONDS]
 *     [--memory SIZE] [--memory-swap SIZE] [--cpus N] [--cpu-weight N] [--cpuset LIST] [--pids N]
 *     [--network none|host|veth] [--bridge NAME] [--address CIDR]
 *     [--cap-drop CAP]... [--cap-keep CAP]... [--halt-signal SIG] [--autostart] [-- INIT [ARG]...]
 * </pre>
 *
 * Options may also be written {@code --memory=256M}. {@code --cap-drop} drops a capability besides the default ones,
 * {@code --cap-keep} keeps one of the defaults. {@code --bridge} or {@code --address} without {@code --network}
 * means {@code --network veth}. Only options that differ from the defaults are written, except {@code --template}.
 */
public final class CommandLines {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private static final Set<String> OPTIONS = Set.of("--kind", "--template", "--rootfs", "--ns", "--uidmap",
            "--gidmap", "--monotonic-offset", "--boottime-offset", "--memory", "--memory-swap", "--cpus",
            "--cpu-weight", "--cpuset", "--pids", "--network", "--bridge", "--address", "--cap-drop", "--cap-keep",
            "--halt-signal");

    private CommandLines() {
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
        for (NamespaceSpec ns : spec.nonDefaultNamespaces()) {
            add(cmd, "--ns", ns.toCli());
        }
        spec.uidMaps().forEach(m -> add(cmd, "--uidmap", m.toCli()));
        spec.gidMaps().forEach(m -> add(cmd, "--gidmap", m.toCli()));
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
        if (spec.autostart()) {
            cmd.add("--autostart");
        }
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

    /**
     * Parses a whole command as {@link #createCommand} writes it, starting with "berth", "create".
     *
     * @throws IllegalArgumentException with a sentence when it is not such a command
     */
    public static ContainerSpec parseCreateCommand(List<String> command) {
        if (command.size() < 2 || !command.get(0).equals("berth") || !command.get(1).equals("create")) {
            throw new IllegalArgumentException(Text.quote(String.join(" ", command))
                    + " is not a berth create command; it starts with berth create NAME");
        }
        return parseCreateArguments(command.subList(2, command.size()));
    }

    /**
     * Parses the arguments after {@code berth create} into a spec. The spec is not validated: run
     * {@link SpecValidator} on it.
     *
     * @throws IllegalArgumentException with a sentence naming the bad argument
     */
    public static ContainerSpec parseCreateArguments(List<String> args) {
        String name = null;
        ContainerSpec.Builder b = ContainerSpec.builder("");
        EnumMap<NamespaceType, NamespaceSpec> seen = new EnumMap<>(NamespaceType.class);
        Limits limits = Limits.NONE;
        NetworkMode networkMode = null;
        String bridge = null;
        String address = null;
        Set<String> caps = new TreeSet<>(ContainerSpec.DEFAULT_DROPPED_CAPABILITIES);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("-- must be followed by the init command, e.g. -- /sbin/init");
                }
                b.init(args.subList(i + 1, args.size()));
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                if (name != null) {
                    throw new IllegalArgumentException("unexpected argument " + Text.quote(arg)
                            + "; put the init command after --, e.g. berth create " + name + " -- /sbin/init");
                }
                name = arg;
                continue;
            }
            String option = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                option = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (option.equals("--autostart")) {
                if (value != null) {
                    throw new IllegalArgumentException("--autostart takes no value");
                }
                b.autostart(true);
                continue;
            }
            if (!OPTIONS.contains(option)) {
                throw new IllegalArgumentException("unknown option " + Text.quote(option) + " for berth create");
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("option " + option + " needs a value");
                }
                value = args.get(++i);
            }
            switch (option) {
                case "--kind" -> b.kind(ContainerKind.parse(value));
                case "--template" -> b.template(value);
                case "--rootfs" -> b.rootfs(value);
                case "--ns" -> {
                    NamespaceSpec ns = NamespaceSpec.parse(value);
                    NamespaceSpec before = seen.put(ns.type(), ns);
                    if (before != null) {
                        throw new IllegalArgumentException("--ns " + ns.type().procName() + " is given twice ("
                                + before.toCli() + " and " + ns.toCli() + "); give it once");
                    }
                    b.namespace(ns);
                }
                case "--uidmap" -> b.uidMap(IdMap.parse(value));
                case "--gidmap" -> b.gidMap(IdMap.parse(value));
                case "--monotonic-offset" -> b.monotonicOffsetSeconds(parseLong(option, value));
                case "--boottime-offset" -> b.boottimeOffsetSeconds(parseLong(option, value));
                case "--memory" -> limits = limits.withMemoryBytes(Sizes.parseBytes(value));
                case "--memory-swap" -> limits = limits.withMemorySwapBytes(Sizes.parseBytes(value));
                case "--cpus" -> limits = limits.withCpus(Sizes.parseCpus(value));
                case "--cpu-weight" -> limits = limits.withCpuWeight(Math.toIntExact(clampInt(option, value)));
                case "--cpuset" -> limits = limits.withCpuset(value);
                case "--pids" -> limits = limits.withPids(parseLong(option, value));
                case "--network" -> networkMode = NetworkMode.parse(value);
                case "--bridge" -> bridge = value;
                case "--address" -> address = value;
                case "--cap-drop" -> caps.add(Capability.normalize(value));
                case "--cap-keep" -> caps.remove(Capability.normalize(value));
                case "--halt-signal" -> b.haltSignal(value);
                default -> throw new IllegalStateException(option);
            }
        }
        if (name == null) {
            throw new IllegalArgumentException("berth create needs a container name, e.g. berth create c1");
        }
        if (bridge != null || address != null) {
            if (networkMode == null) {
                networkMode = NetworkMode.VETH;
            } else if (networkMode != NetworkMode.VETH) {
                throw new IllegalArgumentException("--bridge and --address need --network veth, not --network "
                        + networkMode.cli());
            }
        }
        NetworkSpec network = networkMode == null ? NetworkSpec.NONE : new NetworkSpec(networkMode, bridge, address);
        return b.name(name).limits(limits).network(network).dropCapabilities(caps).build();
    }

    private static long parseLong(String option, String value) {
        if (!value.trim().matches("-?[0-9]{1,18}")) {
            throw new IllegalArgumentException(option + " needs a whole number, not " + Text.quote(value));
        }
        return Long.parseLong(value.trim());
    }

    private static long clampInt(String option, String value) {
        long v = parseLong(option, value);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option + " " + value + " is far out of range");
        }
        return v;
    }
}
