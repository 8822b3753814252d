package org.berth.cli;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.berth.core.ShareOrder;
import org.berth.core.linux.LocalEngine;

import picocli.CommandLine.Command;

@Command(name = "start", description = "Start the containers in the order given; one whose namespace another"
        + " joins starts before it.")
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

    @Override
    List<String> ordered(LocalEngine engine, List<String> targets) {
        return ShareOrder.sharedFirst(targets, specs(engine));
    }
}
