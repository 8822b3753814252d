package org.berth.cli;

import org.berth.core.Lifecycle;

import picocli.CommandLine.Command;

@Command(name = "restart", description = "Stop the containers and start them again in the order given; one whose"
		+ " namespace another joins goes first.")
final class RestartCommand extends ContainerActionCommand.Waiting {

	RestartCommand(Context ctx) {
		super(ctx, Lifecycle.RESTART);
	}
}
