package org.berth.cli;

import java.util.concurrent.CompletableFuture;

import org.berth.core.linux.LocalEngine;

import picocli.CommandLine.Command;

@Command(name = "start", description = "Start the containers (in the order given).")
final class StartCommand extends ContainerActionCommand {

    StartCommand(Context ctx) {
        super(ctx);
    }

    @Override
    CompletableFuture<String> act(LocalEngine e, String name) {
        return e.start(name).thenApply(Formats::state);
    }

    @Override
    boolean inOrder() {
        return true;
    }
}
