package org.berth.cli;

import org.berth.core.Lifecycle;

import picocli.CommandLine.Command;

@Command(name = "stop", description = "Stop the containers: send the halt signal to init, wait, then kill.")
final class StopCommand extends ContainerActionCommand.Waiting {

	StopCommand(Context ctx) {
		super(ctx, Lifecycle.STOP);
	}
}
