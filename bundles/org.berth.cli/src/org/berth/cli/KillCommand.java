package org.berth.cli;

import java.util.concurrent.CompletableFuture;

import org.berth.core.linux.LocalEngine;

import picocli.CommandLine.Command;

@Command(name = "kill", description = "Kill all processes of the containers at once (SIGKILL).")
final class KillCommand extends ContainerActionCommand {

    KillCommand(Context ctx) {
        super(ctx);
    }

    @Override
    boolean needsOnlyItsContainers() {
        return true;
    }

    @Override
    CompletableFuture<String> act(LocalEngine e, String name) {
        return e.kill(name).thenApply(Formats::state);
    }
}
