package org.berth.cli;

import org.berth.core.Lifecycle;

import picocli.CommandLine.Command;

@Command(name = "kill", description = "Kill all processes of the containers at once (SIGKILL).")
final class KillCommand extends ContainerActionCommand {

	KillCommand(Context ctx) {
		super(ctx, Lifecycle.KILL);
	}
}
