package org.berth.cli;

import java.util.concurrent.CompletableFuture;

import org.berth.core.linux.LocalEngine;

import picocli.CommandLine.Command;

@Command(name = "thaw", description = "Thaw frozen containers.")
final class ThawCommand extends ContainerActionCommand {

    ThawCommand(Context ctx) {
        super(ctx);
    }

    @Override
    boolean needsOnlyItsContainers() {
        return true;
    }

    @Override
    CompletableFuture<String> act(LocalEngine e, String name) {
        return e.thaw(name).thenApply(Formats::state);
    }
}
