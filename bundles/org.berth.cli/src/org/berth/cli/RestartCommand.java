package org.berth.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.berth.core.ShareOrder;
import org.berth.core.linux.LocalEngine;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "restart", description = "Stop the containers and start them again in the order given; one whose"
        + " namespace another joins goes first.")
final class RestartCommand extends ContainerActionCommand {

    @Option(names = {"-t", "--timeout"}, paramLabel = "S", converter = Converters.Timeout.class,
            defaultValue = "10", description = "Seconds to wait for init to end before killing (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    RestartCommand(Context ctx) {
        super(ctx);
    }

    @Override
    CompletableFuture<String> act(LocalEngine e, String name) {
        return e.restart(name, Duration.ofSeconds(timeoutSeconds)).thenApply(Formats::state);
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
