package org.berth.cli;

import org.berth.core.Lifecycle;

import picocli.CommandLine.Command;

@Command(name = "freeze", description = "Freeze all processes of the containers.")
final class FreezeCommand extends ContainerActionCommand {

	FreezeCommand(Context ctx) {
		super(ctx, Lifecycle.FREEZE);
	}
}
