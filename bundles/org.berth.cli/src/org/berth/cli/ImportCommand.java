package org.berth.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.berth.core.BerthException;
import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSnapshot;
import org.berth.core.linux.LocalEngine;

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
		ContainerEngine engine = ctx.engine();
		ContainerSnapshot c;
		if (engine instanceof LocalEngine local) {
			c = Context.await(local.importContainer(file.toAbsolutePath(), newName));
		} else {
			// through the agent: this process reads the file, with this user's rights, and streams it
			try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
				c = Context.await(engine.importContainer(in, newName));
			} catch (IOException e) {
				throw new BerthException("import", newName, "cannot read " + file + ": " + Errors.describe(e), e);
			}
		}
		ctx.out.println(c.name() + ": imported from " + file);
		return 0;
	}
}
