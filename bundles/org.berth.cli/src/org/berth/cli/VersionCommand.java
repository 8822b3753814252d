package org.berth.cli;

import picocli.CommandLine.Command;

@Command(name = "version", description = "Show the version of berth.")
final class VersionCommand extends BaseCommand {

	VersionCommand(Context ctx) {
		super(ctx);
	}

	@Override
	public Integer call() {
		for (String line : Version.lines()) {
			ctx.out.println(line);
		}
		return 0;
	}
}
