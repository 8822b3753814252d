package org.berth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.berth.core.BerthException;
import org.berth.core.ImageInfo;
import org.berth.core.Sizes;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth image list|import|delete}: the local images new containers start from ({@code berth create NAME
 * --image ALIAS}); {@code berth publish} makes one from a container.
 */
@Command(name = "image", description = "List, import and delete the images new containers start from.",
		footer = {"", "Examples:", "  berth publish web1 --alias web --description \"nginx on debian\"",
				"  berth image import rootfs.tar.xz --alias alpine", "  berth create web2 --image web",
				"  berth image list", "  berth image delete web"})
final class ImageCommand extends BaseCommand {

	ImageCommand(Context ctx) {
		super(ctx);
	}

	/** The command with its sub-commands. */
	static CommandLine commandLine(Context ctx) {
		CommandLine cl = new CommandLine(new ImageCommand(ctx));
		cl.addSubcommand("list", new ListImages(ctx));
		cl.addSubcommand("import", new Import(ctx));
		cl.addSubcommand("delete", new Delete(ctx));
		return cl;
	}

	@Override
	public Integer call() {
		throw usage("say what to do: list, import or delete (berth publish makes an image from a container)");
	}

	@Command(name = "list", description = "List the images: alias, base template, size, time, origin, description.")
	static final class ListImages extends BaseCommand {

		private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
				.withZone(ZoneId.systemDefault());

		@Option(names = "--json", description = "Write JSON: an array of objects with the fields alias, description,"
				+ " base, origin, created and sizeBytes.")
		boolean json;

		/** One image in {@code image list --json}. The field names are an interface. */
		record Entry(String alias, String description, String base, String origin, String created, long sizeBytes) {
		}

		ListImages(Context ctx) {
			super(ctx);
		}

		@Override
		public Integer call() throws BerthException {
			List<ImageInfo> all = Context.await(ctx.engine().images());
			if (json) {
				List<Entry> entries = new ArrayList<>();
				for (ImageInfo i : all) {
					entries.add(new Entry(i.alias(), i.description(), i.base(), i.origin(), i.created().toString(),
							i.sizeBytes()));
				}
				Json.print(ctx.out, entries);
				return 0;
			}
			Table table = new Table("ALIAS", "BASE", "SIZE", "CREATED", "ORIGIN", "DESCRIPTION");
			for (ImageInfo i : all) {
				table.row(i.alias(), i.base() == null ? "-" : i.base(), Sizes.formatBytes(i.sizeBytes()),
						TIME.format(i.created()), i.origin(), i.description());
			}
			table.print(ctx.out);
			return 0;
		}
	}

	@Command(name = "import", description = "Make an image from a root file system tarball (plain, gzip, xz, bzip2 or"
			+ " zstd), read as the user who runs this.")
	static final class Import extends BaseCommand {

		@Parameters(index = "0", paramLabel = "TARBALL", description = "The tarball of a root file system.")
		Path file;

		@Option(names = "--alias", required = true, paramLabel = "ALIAS", description = "The image's name.")
		String alias;

		@Option(names = "--description", paramLabel = "TEXT", description = "What it is.")
		String description;

		Import(Context ctx) {
			super(ctx);
		}

		@Override
		public Integer call() throws BerthException {
			if (!Files.isRegularFile(file)) {
				throw usage("TARBALL: there is no file " + file);
			}
			try (InputStream in = Files.newInputStream(file)) {
				ImageInfo i = Context.await(ctx.engine().importImage(in, alias, description, file.getFileName()
						.toString()));
				ctx.out.println(i.alias() + ": imported from " + file + ", " + Sizes.formatBytes(i.sizeBytes()));
				return 0;
			} catch (IOException e) {
				throw usage("TARBALL: cannot read " + file + ": " + e.getMessage());
			}
		}
	}

	@Command(name = "delete", description = "Delete an image; containers made from it keep their files.")
	static final class Delete extends BaseCommand {

		@Parameters(index = "0", paramLabel = "ALIAS", description = "The image.")
		String alias;

		Delete(Context ctx) {
			super(ctx);
		}

		@Override
		public Integer call() throws BerthException {
			Context.await(ctx.engine().deleteImage(alias));
			ctx.out.println(alias + ": deleted");
			return 0;
		}
	}
}
