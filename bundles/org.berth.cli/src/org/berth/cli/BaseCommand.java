package org.berth.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** What all subcommands have: the shared {@link Context}, {@code --help}, and a way to report a usage error. */
abstract class BaseCommand implements Callable<Integer> {

	protected final Context ctx;

	@Spec
	CommandSpec spec;

	@Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
	boolean help;

	@Option(names = "--remote", paramLabel = "REMOTE", description = "Run it on that host (berth remote list);"
			+ " REMOTE:NAME says the same.")
	void remote(String name) {
		ctx.useRemote(name);
	}

	BaseCommand(Context ctx) {
		this.ctx = ctx;
	}

	/** A usage error found after parsing; printed like picocli's own, exit code 2. */
	ParameterException usage(String sentence) {
		return new ParameterException(spec.commandLine(), sentence);
	}
}
