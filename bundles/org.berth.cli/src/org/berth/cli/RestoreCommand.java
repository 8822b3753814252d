package org.berth.cli;

import org.berth.core.BerthException;
import org.berth.core.ContainerSnapshot;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth restore NAME [CHECKPOINT | --dir DIR]}: resume a stopped container from a checkpoint. */
@Command(name = "restore", description = "Resume a stopped container from a checkpoint (berth checkpoint): the same"
		+ " processes with the same pids inside, their memory and open files.",
		footer = {"", "Examples:", "  berth restore c1                  # from its newest checkpoint",
				"  berth restore c1 before", "  berth restore c1 --dir /srv/checkpoints/c1"})
final class RestoreCommand extends BaseCommand {

	@Parameters(index = "0", paramLabel = "NAME", description = "The container (stopped).")
	String name;

	@Parameters(index = "1", arity = "0..1", paramLabel = "CHECKPOINT", description = "The checkpoint (default its"
			+ " newest).")
	String checkpoint;

	@Option(names = "--dir", paramLabel = "DIR", description = "The folder a checkpoint was written to with --dir.")
	String dir;

	RestoreCommand(Context ctx) {
		super(ctx);
	}

	@Override
	public Integer call() throws BerthException {
		if (dir != null && checkpoint != null) {
			throw usage("give a CHECKPOINT or --dir, not both");
		}
		if (dir != null && !dir.startsWith("/")) {
			throw usage("--dir must be an absolute path, got \"" + dir + "\"");
		}
		ContainerSnapshot c = Context.await(ctx.engine().restoreCheckpoint(name, dir != null ? dir : checkpoint));
		ctx.out.println(name + ": restored, running (pid " + c.initPid() + ")");
		return 0;
	}
}
