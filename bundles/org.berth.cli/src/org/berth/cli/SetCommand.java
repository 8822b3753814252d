package org.berth.cli;

import java.util.List;

import org.berth.core.BerthException;
import org.berth.core.ContainerSnapshot;
import org.berth.core.Limits;
import org.berth.core.NoSuchContainerException;
import org.berth.core.Problem;
import org.berth.core.SpecValidator;
import org.berth.core.linux.LocalEngine;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth set NAME --memory 512M ...}: changes only the limits given, keeping the others of the container's
 * spec. A running or frozen container gets them at once ({@code setLimits}), a stopped one from its next start
 * ({@code update}).
 */
@Command(name = "set", sortOptions = false, description = "Change the limits of a container: at once when it runs,"
        + " else from its next start. Only the limits given change; \"none\" lifts one.",
        footer = {"", "Example: berth set c1 --memory 512M --cpus none"})
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

    SetCommand(Context ctx) {
        super(ctx);
    }

    @Override
    public Integer call() throws BerthException {
        if (memory == null && memorySwap == null && cpus == null && cpuWeight == null && cpuset == null
                && pids == null) {
            throw usage("say which limits to change, e.g. berth set " + name + " --memory 512M");
        }
        LocalEngine engine = ctx.engine();
        ContainerSnapshot s = engine.get(name).orElseThrow(() -> new NoSuchContainerException("set", name));
        Limits limits = changed(s.spec().limits());
        List<Problem> errors = SpecValidator.errors(SpecValidator.validate(s.spec().withLimits(limits),
                engine.validationContext())).stream().filter(p -> p.field().startsWith("limits.")).toList();
        if (!errors.isEmpty()) {
            errors.forEach(p -> ctx.error(p.message()));
            return Context.FAILURE;
        }
        boolean live = s.isActive();
        ContainerSnapshot after = Context.await(live ? engine.setLimits(name, limits)
                : engine.update(s.spec().withLimits(limits)));
        ctx.out.println(name + ": " + Formats.limits(after.spec().limits()) + (live ? "" : " (from its next start)"));
        return 0;
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
