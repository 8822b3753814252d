package org.berth.cli;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

import org.berth.core.BerthException;
import org.berth.core.ContainerEngine;
import org.berth.core.linux.LocalEngine;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth file push|pull}: files between this host and a container's root file system. Paths inside are
 * resolved within the container's root, so a symbolic link planted there never leads to a host file.
 */
@Command(name = "file", description = "Copy files into and out of a container's root file system.",
		footer = {"", "Examples:", "  berth file push ./site.conf c1:/etc/httpd/",
				"  berth file pull -r c1:/var/log ./logs"})
final class FileCommand extends BaseCommand {

	FileCommand(Context ctx) {
		super(ctx);
	}

	static CommandLine commandLine(Context ctx) {
		CommandLine cl = new CommandLine(new FileCommand(ctx));
		cl.addSubcommand("push", new Push(ctx));
		cl.addSubcommand("pull", new Pull(ctx));
		return cl;
	}

	@Override
	public Integer call() {
		throw usage("say what to do: push or pull");
	}

	/** NAME:/path. */
	record Place(String name, String path) {
	}

	static Place place(BaseCommand c, String label, String text) {
		int colon = text.indexOf(':');
		if (colon <= 0 || colon == text.length() - 1) {
			throw c.usage(
					label + ": \"" + text + "\" names no file in a container; give NAME:/path, e.g. c1:/etc/hosts");
		}
		return new Place(text.substring(0, colon), text.substring(colon + 1));
	}

	@Command(name = "push", description = "Copy a local file (a folder with -r) into the container; into a folder"
			+ " when the target is one. Modes are kept, owners become the same ids inside the container.")
	static final class Push extends BaseCommand {

		@Option(names = {"-r", "--recursive"}, description = "Copy a folder with what is in it.")
		boolean recursive;

		@Parameters(index = "0", paramLabel = "LOCAL", description = "The file or folder on this host.")
		Path local;

		@Parameters(index = "1", paramLabel = "NAME:/path", description = "The container and the path inside it.")
		String target;

		Push(Context ctx) {
			super(ctx);
		}

		@Override
		public Integer call() throws BerthException {
			Place p = place(this, "NAME:/path", target);
			if (!Files.exists(local, LinkOption.NOFOLLOW_LINKS)) {
				throw usage("LOCAL: there is no file " + local);
			}
			int n = Context.await(local(ctx, p.name(), "push").pushFiles(p.name(), local, p.path(), recursive));
			ctx.out.println(target + ": " + n + (n == 1 ? " file" : " files") + " copied");
			return 0;
		}
	}

	@Command(name = "pull", description = "Copy a file (a folder with -r) out of the container; into LOCAL when it is"
			+ " a folder. Modes are kept; as root, owners are the ids inside the container.")
	static final class Pull extends BaseCommand {

		@Option(names = {"-r", "--recursive"}, description = "Copy a folder with what is in it.")
		boolean recursive;

		@Parameters(index = "0", paramLabel = "NAME:/path", description = "The container and the path inside it.")
		String source;

		@Parameters(index = "1", paramLabel = "LOCAL", description = "The file or folder on this host.")
		Path local;

		Pull(Context ctx) {
			super(ctx);
		}

		@Override
		public Integer call() throws BerthException {
			Place p = place(this, "NAME:/path", source);
			int n = Context.await(local(ctx, p.name(), "pull").pullFiles(p.name(), p.path(), local, recursive));
			ctx.out.println(source + ": " + n + (n == 1 ? " file" : " files") + " copied");
			return 0;
		}
	}

	/**
	 * The engine in this process: files are copied by the process that may read the local side as this user and the
	 * container's side as its owner, which the agent does not do yet.
	 */
	private static LocalEngine local(Context ctx, String name, String verb) throws BerthException {
		ContainerEngine engine = ctx.engineFor(List.of(name));
		if (engine instanceof LocalEngine local) {
			return local;
		}
		throw new BerthException("file " + verb, name, "berth file " + verb + " works only as root for now (the"
				+ " agent does not copy files yet); run it with sudo");
	}
}
