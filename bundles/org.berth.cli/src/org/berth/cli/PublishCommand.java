package org.berth.cli;

import java.util.List;

import org.berth.core.BerthException;
import org.berth.core.ImageInfo;
import org.berth.core.Sizes;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth publish NAME --alias A}: the container's root file system as an image. */
@Command(name = "publish", description = "Save a container's root file system as an image that new containers start"
		+ " from (berth create NAME --image ALIAS); a running container is frozen while its files are copied.")
final class PublishCommand extends BaseCommand {

	@Parameters(index = "0", paramLabel = "NAME", description = "The container.")
	String name;

	@Option(names = "--alias", required = true, paramLabel = "ALIAS", description = "The image's name.")
	String alias;

	@Option(names = "--description", paramLabel = "TEXT", description = "What it is.")
	String description;

	PublishCommand(Context ctx) {
		super(ctx);
	}

	@Override
	public Integer call() throws BerthException {
		ImageInfo i = Context.await(ctx.engineFor(List.of(name)).publishImage(name, alias, description));
		ctx.out.println(i.alias() + ": published from " + name + ", " + Sizes.formatBytes(i.sizeBytes()));
		return 0;
	}
}
