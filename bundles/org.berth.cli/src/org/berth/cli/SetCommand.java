package org.berth.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.berth.core.BerthException;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.IdMap;
import org.berth.core.Limits;
import org.berth.core.NamespaceSpec;
import org.berth.core.NetworkMode;
import org.berth.core.NetworkSpec;
import org.berth.core.NoSuchContainerException;
import org.berth.core.Problem;
import org.berth.core.SpecValidator;
import org.berth.core.linux.LocalEngine;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth set NAME --memory 512M --ns net=new ...}: changes only what is given, keeping the rest of the
 * container's spec. Limits reach a running or frozen container at once ({@code setLimits}), a stopped one from its
 * next start; namespaces, id maps and the network are saved and apply from the next start ({@code update}), as in
 * the console's editor. Only new errors refuse the change: a problem the spec already had does not block a limit.
 */
@Command(name = "set", sortOptions = false, description = "Change the limits of a container (at once when it runs,"
        + " else from its next start), its namespaces or its network (from its next start). Only what is given"
        + " changes; \"none\" lifts a limit.",
        footer = {"", "Examples:", "  berth set c1 --memory 512M --cpus none",
                "  berth set c1 --ns net=new --network veth --address 10.88.0.7/24"})
final class SetCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The container.")
    String name;

    @Option(names = "--memory", paramLabel = "SIZE|none", converter = Converters.MemoryChange.class,
            description = "Memory limit, e.g. 512M.")
    Converters.Change<Long> memory;

    @Option(names = "--memory-swap", paramLabel = "SIZE|none", converter = Converters.MemoryChange.class,
            description = "Memory and swap together.")
    Converters.Change<Long> memorySwap;

    @Option(names = "--cpus", paramLabel = "N|none", converter = Converters.CpusChange.class,
            description = "CPU quota in CPUs, e.g. 0.5.")
    Converters.Change<Double> cpus;

    @Option(names = "--cpu-weight", paramLabel = "N|none", converter = Converters.WeightChange.class,
            description = "Relative CPU weight, 1 to 10000.")
    Converters.Change<Integer> cpuWeight;

    @Option(names = "--cpuset", paramLabel = "LIST|none", converter = Converters.CpusetChange.class,
            description = "The CPUs it may run on, e.g. 0-1,3.")
    Converters.Change<String> cpuset;

    @Option(names = "--pids", paramLabel = "N|none", converter = Converters.LimitChange.class,
            description = "The most processes and threads.")
    Converters.Change<Long> pids;

    @Option(names = "--ns", paramLabel = "TYPE=new|host|share:OTHER", converter = Converters.Namespace.class,
            description = "The choice for one namespace (mnt, uts, ipc, pid, net, user, cgroup, time); repeatable.")
    List<NamespaceSpec> namespaces = new ArrayList<>();

    @Option(names = "--uidmap", paramLabel = "\"IN OUT COUNT\"", converter = Converters.IdMaps.class,
            description = "The uid map of a new user namespace (all of it); repeatable.")
    List<IdMap> uidMaps = new ArrayList<>();

    @Option(names = "--gidmap", paramLabel = "\"IN OUT COUNT\"", converter = Converters.IdMaps.class,
            description = "The gid map of a new user namespace (all of it); repeatable.")
    List<IdMap> gidMaps = new ArrayList<>();

    @Option(names = {"--network", "--net"}, paramLabel = "none|host|veth", converter = Converters.Network.class,
            description = "No network, the host's, or a veth on a bridge.")
    NetworkMode network;

    @Option(names = "--bridge", paramLabel = "NAME", description = "The bridge of a veth network.")
    String bridge;

    @Option(names = "--address", paramLabel = "CIDR", description = "The address of a veth network, e.g."
            + " 10.88.0.5/24.")
    String address;

    SetCommand(Context ctx) {
        super(ctx);
    }

    @Override
    public Integer call() throws BerthException {
        boolean limitsGiven = memory != null || memorySwap != null || cpus != null || cpuWeight != null
                || cpuset != null || pids != null;
        NetworkSpec net;
        try {
            SpecChoices.oncePerType(namespaces);
            net = SpecChoices.network(network, bridge, address);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        boolean specGiven = !namespaces.isEmpty() || !uidMaps.isEmpty() || !gidMaps.isEmpty() || net != null;
        if (!limitsGiven && !specGiven) {
            throw usage("say what to change, e.g. berth set " + name + " --memory 512M, or --ns net=new");
        }
        LocalEngine engine = ctx.engine();
        ContainerSnapshot s = engine.get(name).orElseThrow(() -> new NoSuchContainerException("set", name));
        Limits limits = changed(s.spec().limits());
        ContainerSpec.Builder b = s.spec().toBuilder();
        namespaces.forEach(b::namespace);
        if (!uidMaps.isEmpty()) {
            b.uidMaps(uidMaps);
        }
        if (!gidMaps.isEmpty()) {
            b.gidMaps(gidMaps);
        }
        if (net != null) {
            b.network(net);
        }
        ContainerSpec wanted = b.build().withLimits(limits);
        // only what this change breaks: a problem the spec had already does not block it
        Set<String> had = new HashSet<>(SpecValidator.errors(SpecValidator.validate(s.spec(),
                engine.validationContext())).stream().map(Problem::message).toList());
        List<Problem> errors = SpecValidator.errors(SpecValidator.validate(wanted, engine.validationContext()))
                .stream().filter(p -> !had.contains(p.message())).toList();
        if (!errors.isEmpty()) {
            errors.forEach(p -> ctx.error(p.message()));
            return Context.FAILURE;
        }
        boolean live = s.isActive();
        ContainerSnapshot after = live && limitsGiven ? Context.await(engine.setLimits(name, limits)) : s;
        if (specGiven || !live) {
            after = Context.await(engine.update(wanted)); // the limits too, for a stopped container
        }
        if (limitsGiven) {
            ctx.out.println(name + ": " + Formats.limits(after.spec().limits())
                    + (live ? "" : " (from its next start)"));
        }
        if (specGiven) {
            ctx.out.println(name + ": " + choices(after.spec()) + " (from its next start)");
        }
        return 0;
    }

    /** The namespaces and the network that were given, as they are now in the spec: "net=new, network veth". */
    private String choices(ContainerSpec spec) {
        List<String> parts = new ArrayList<>();
        for (NamespaceSpec ns : namespaces) {
            parts.add(spec.namespace(ns.type()).toCli());
        }
        if (!uidMaps.isEmpty()) {
            parts.add("uid map " + String.join(", ", spec.uidMaps().stream().map(IdMap::toCli).toList()));
        }
        if (!gidMaps.isEmpty()) {
            parts.add("gid map " + String.join(", ", spec.gidMaps().stream().map(IdMap::toCli).toList()));
        }
        NetworkSpec n = spec.network();
        if (network != null || bridge != null || address != null) {
            parts.add("network " + n.mode().cli() + (n.bridge() == null ? "" : " on " + n.bridge())
                    + (n.address() == null ? "" : " " + n.address()));
        }
        return String.join(", ", parts);
    }

    /** {@code old} with only the given limits replaced. */
    Limits changed(Limits old) {
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
