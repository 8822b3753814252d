package org.berth.cli;

import org.berth.core.Lifecycle;

import picocli.CommandLine.Command;

@Command(name = "start", description = "Start the containers in the order given; one whose namespace another"
		+ " joins starts before it.")
final class StartCommand extends ContainerActionCommand {

	StartCommand(Context ctx) {
		super(ctx, Lifecycle.START);
	}
}
