package org.berth.cli;

import org.berth.core.Lifecycle;

import picocli.CommandLine.Command;

@Command(name = "thaw", description = "Thaw frozen containers.")
final class ThawCommand extends ContainerActionCommand {

	ThawCommand(Context ctx) {
		super(ctx, Lifecycle.THAW);
	}
}
