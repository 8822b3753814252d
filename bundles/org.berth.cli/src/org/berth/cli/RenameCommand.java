package org.berth.cli;

import org.berth.core.BerthException;
import org.berth.core.ContainerSnapshot;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth rename OLD NEW}: a stopped container under another name (and hostname). */
@Command(name = "rename", description = "Give a stopped container another name, which is also its hostname; its files,"
		+ " snapshots and settings go with it.")
final class RenameCommand extends BaseCommand {

	@Parameters(index = "0", paramLabel = "OLD", description = "The container (stopped).")
	String name;

	@Parameters(index = "1", paramLabel = "NEW", description = "Its new name.")
	String newName;

	RenameCommand(Context ctx) {
		super(ctx);
	}

	@Override
	public Integer call() throws BerthException {
		ContainerSnapshot c = Context.await(ctx.engine().rename(name, newName));
		ctx.out.println(name + ": renamed " + c.name());
		return 0;
	}
}
