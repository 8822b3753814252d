package org.berth.cli;

import java.util.List;

import org.berth.core.CommandLines;
import org.berth.core.ContainerSnapshot;
import org.berth.core.NoSuchContainerException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "config", description = "Print the berth create command that defines this container again.")
final class ConfigCommand extends BaseCommand {

	@Parameters(index = "0", paramLabel = "NAME", description = "The container.")
	String name;

	ConfigCommand(Context ctx) {
		super(ctx);
	}

	@Override
	public Integer call() throws NoSuchContainerException {
		ContainerSnapshot s = ctx.engineFor(List.of(name)).get(name)
				.orElseThrow(() -> new NoSuchContainerException("config", name));
		ctx.out.println(CommandLines.createCommandLine(s.spec()));
		return 0;
	}
}
