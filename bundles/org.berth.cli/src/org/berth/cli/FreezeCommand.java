package org.berth.cli;

import java.util.concurrent.CompletableFuture;

import org.berth.core.linux.LocalEngine;

import picocli.CommandLine.Command;

@Command(name = "freeze", description = "Freeze all processes of the containers.")
final class FreezeCommand extends ContainerActionCommand {

    FreezeCommand(Context ctx) {
        super(ctx);
    }

    @Override
    boolean needsOnlyItsContainers() {
        return true;
    }

    @Override
    CompletableFuture<String> act(LocalEngine e, String name) {
        return e.freeze(name).thenApply(Formats::state);
    }
}
