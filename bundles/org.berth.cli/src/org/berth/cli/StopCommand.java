package org.berth.cli;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.berth.core.linux.LocalEngine;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "stop", description = "Stop the containers: send the halt signal to init, wait, then kill.")
final class StopCommand extends ContainerActionCommand {

    @Option(names = {"-t", "--timeout"}, paramLabel = "S", converter = Converters.Timeout.class,
            defaultValue = "10", description = "Seconds to wait for init to end before killing (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    StopCommand(Context ctx) {
        super(ctx);
    }

    @Override
    boolean needsOnlyItsContainers() {
        return true;
    }

    @Override
    CompletableFuture<String> act(LocalEngine e, String name) {
        return e.stop(name, Duration.ofSeconds(timeoutSeconds)).thenApply(Formats::state);
    }
}
