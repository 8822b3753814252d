package org.berth.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.CompletableFuture;

import org.berth.core.BerthException;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.linux.LocalEngine;

import picocli.CommandLine.Parameters;

/**
 * A command that acts on one or more containers and reports on each: "c1: stopped" on stdout, or the failure on
 * stderr. It fails (exit 1) when any of them failed.
 */
abstract class ContainerActionCommand extends BaseCommand {

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "The containers.")
    List<String> names;

    ContainerActionCommand(Context ctx) {
        super(ctx);
    }

    /** Starts the operation on one container; the future gives what to report ("stopped"). */
    abstract CompletableFuture<String> act(LocalEngine engine, String name);

    /**
     * Whether to act on the containers one after the other in the order given (start: a container that shares a
     * namespace needs the other one running), instead of all at once.
     */
    boolean inOrder() {
        return false;
    }

    /** The order to act in when {@link #inOrder()}: the one given, unless a subclass knows better. */
    List<String> ordered(LocalEngine engine, List<String> targets) {
        return targets;
    }

    /** The specs of an engine's containers, for {@link ShareOrder}. */
    static Function<String, Optional<ContainerSpec>> specs(LocalEngine engine) {
        return name -> engine.get(name).map(ContainerSnapshot::spec);
    }

    /**
     * Whether the operation needs only the named containers loaded (stop, kill, freeze, thaw), not the others on the
     * host (start looks at the containers it shares with; see {@link Context#engineFor}).
     */
    boolean needsOnlyItsContainers() {
        return false;
    }

    /** The sentence for a failure; a subclass may add a hint. */
    String describe(Throwable cause) {
        return Errors.describe(cause);
    }

    @Override
    public Integer call() {
        List<String> targets = new ArrayList<>(new LinkedHashSet<>(names));
        LocalEngine engine = needsOnlyItsContainers() ? ctx.engineFor(targets) : ctx.engine();
        boolean failed = false;
        if (inOrder()) {
            for (String name : ordered(engine, targets)) {
                failed |= !report(name, begin(engine, name));
            }
        } else {
            List<CompletableFuture<String>> futures = new ArrayList<>();
            for (String name : targets) {
                futures.add(begin(engine, name));
            }
            for (int i = 0; i < targets.size(); i++) {
                failed |= !report(targets.get(i), futures.get(i));
            }
        }
        return failed ? Context.FAILURE : 0;
    }

    private CompletableFuture<String> begin(LocalEngine engine, String name) {
        try {
            return act(engine, name);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private boolean report(String name, CompletableFuture<String> future) {
        try {
            String outcome = Context.await(future);
            ctx.out.println(name + ": " + outcome);
            return true;
        } catch (BerthException | RuntimeException e) {
            ctx.error(name, describe(Context.unwrap(e)), e);
            return false;
        }
    }
}
