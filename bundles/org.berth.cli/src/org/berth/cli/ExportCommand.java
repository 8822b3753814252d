package org.berth.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.berth.core.BerthException;
import org.berth.core.ContainerEngine;
import org.berth.core.linux.LocalEngine;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export", description = "Write a container's spec and root file system to a .tar.zst file (owners,"
		+ " modes, hard links, device nodes, extended attributes, ACLs); a running container is frozen meanwhile.",
		footer = {"",
				"berth import FILE [NEWNAME] makes a container of it again, with its snapshots when the export has"
						+ " them (--snapshots)."})
final class ExportCommand extends BaseCommand {

	@Parameters(index = "0", paramLabel = "NAME", description = "The container.")
	String name;

	@Parameters(index = "1", paramLabel = "FILE", description = "The archive to write, e.g. c1.tar.zst.")
	Path file;

	@Option(names = "--snapshots", description = "The container's snapshots too (berth import brings them back).")
	boolean snapshots;

	ExportCommand(Context ctx) {
		super(ctx);
	}

	@Override
	public Integer call() throws BerthException {
		ContainerEngine engine = ctx.engineFor(List.of(name));
		Path target = file.toAbsolutePath();
		Path written = engine instanceof LocalEngine local
				? Context.await(local.exportContainer(name, target, snapshots))
				: throughStream(engine, target);
		ctx.out.println(name + ": exported to " + written);
		return 0;
	}

	/**
	 * Through the agent: the archive comes as a stream, written by this process (so with this user's rights) to a
	 * part file beside the target, which is renamed to it only when the whole archive is there.
	 */
	private Path throughStream(ContainerEngine engine, Path target) throws BerthException {
		Path part = target.resolveSibling(target.getFileName() + ".part");
		boolean done = false;
		try {
			try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(part, StandardOpenOption.CREATE_NEW,
					StandardOpenOption.WRITE), 1 << 16)) {
				Context.await(engine.exportContainer(name, out, snapshots));
			}
			Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			done = true;
			return target;
		} catch (FileAlreadyExistsException e) {
			throw new BerthException("export", name, part + " exists: another export to " + target
					+ " may be under way; remove it if not", e);
		} catch (IOException e) {
			throw new BerthException("export", name, "cannot write " + target + ": " + Errors.describe(e), e);
		} finally {
			if (!done) {
				try {
					Files.deleteIfExists(part);
				} catch (IOException e) {
					// nothing more to do: the sentence above says what failed
				}
			}
		}
	}
}
