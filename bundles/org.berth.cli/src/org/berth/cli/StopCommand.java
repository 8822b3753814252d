package org.berth.cli;

import java.util.concurrent.CompletableFuture;

import org.berth.core.CheckpointRequest;
import org.berth.core.ContainerEngine;
import org.berth.core.Lifecycle;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "stop", description = "Stop the containers: send the halt signal to init, wait, then kill.")
final class StopCommand extends ContainerActionCommand.Waiting {

	@Option(names = "--stateful", description = "Save the processes with CRIU instead (berth checkpoint); the next"
			+ " berth start resumes them.")
	boolean stateful;

	StopCommand(Context ctx) {
		super(ctx, Lifecycle.STOP);
	}

	@Override
	CompletableFuture<String> act(ContainerEngine engine, String name) {
		if (!stateful) {
			return super.act(engine, name);
		}
		return engine.checkpoint(name, CheckpointRequest.stateful())
				.thenApply(c -> "stopped, its state saved (berth start resumes it)");
	}
}
