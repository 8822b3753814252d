package org.berth.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top command; on its own it only says that a command is missing. */
@Command(name = "berth", mixinStandardHelpOptions = true, versionProvider = Version.class,
		description = "Runs Linux system containers and application containers.",
		footer = {"", "Exit status: 0 on success, 1 when a command failed, 2 when the command line",
				"is wrong; berth exec exits with the status of the command it ran.",
				"BERTH_DEBUG=1 shows the stack traces of failures."})
final class BerthCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		throw new ParameterException(spec.commandLine(), "say which command to run, e.g. berth list");
	}
}
