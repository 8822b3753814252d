package org.berth.cli;

import java.nio.file.Path;
import java.util.List;

import org.berth.core.BerthException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "export", description = "Write a container's spec and root file system to a .tar.zst file (owners,"
		+ " modes, hard links, device nodes, extended attributes, ACLs); a running container is frozen meanwhile.")
final class ExportCommand extends BaseCommand {

	@Parameters(index = "0", paramLabel = "NAME", description = "The container.")
	String name;

	@Parameters(index = "1", paramLabel = "FILE", description = "The archive to write, e.g. c1.tar.zst.")
	Path file;

	ExportCommand(Context ctx) {
		super(ctx);
	}

	@Override
	public Integer call() throws BerthException {
		Path written = Context.await(ctx.engineFor(List.of(name)).exportContainer(name, file.toAbsolutePath()));
		ctx.out.println(name + ": exported to " + written);
		return 0;
	}
}
