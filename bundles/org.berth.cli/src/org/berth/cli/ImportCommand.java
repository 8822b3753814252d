package org.berth.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import org.berth.core.BerthException;
import org.berth.core.ContainerSnapshot;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "import", description = "Define a container from a file written by berth export.")
final class ImportCommand extends BaseCommand {

	@Parameters(index = "0", paramLabel = "FILE", description = "The archive.")
	Path file;

	@Parameters(index = "1", arity = "0..1", paramLabel = "NEWNAME", description = "Its name (default the one in"
			+ " the archive).")
	String newName;

	ImportCommand(Context ctx) {
		super(ctx);
	}

	@Override
	public Integer call() throws BerthException {
		if (!Files.isRegularFile(file)) {
			throw usage("FILE: there is no file " + file);
		}
		ContainerSnapshot c = Context.await(ctx.engine().importContainer(file.toAbsolutePath(), newName));
		ctx.out.println(c.name() + ": imported from " + file);
		return 0;
	}
}
