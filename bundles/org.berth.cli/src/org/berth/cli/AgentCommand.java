package org.berth.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.berth.core.AgentChoice;
import org.berth.core.BerthException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code berth agent [OPTIONS]}: the agent in the foreground, as {@code berth-agent} runs it (the product's launch
 * script goes straight to {@code berth-agent}; this is the same from a class path that holds the agent).
 */
@Command(name = "agent", description = "Run the Berth agent in the foreground (as root; for systemd): the same as"
		+ " berth-agent [--socket PATH] [--group NAME] [--audit PATH].",
		footer = {"", "berth-agent --help says more. Root's berth starts an agent in the background when none answers"
				+ " (not with BERTH_AGENT=0)."})
final class AgentCommand extends BaseCommand {

	@Parameters(paramLabel = "OPTION", description = "berth-agent's options.")
	List<String> options = new ArrayList<>();

	AgentCommand(Context ctx) {
		super(ctx);
	}

	@Override
	public Integer call() throws BerthException {
		List<String> argv = AgentStarter.command(AgentStarter.home(), AgentChoice.DEFAULT_SOCKET);
		if (argv == null) {
			throw new BerthException("this berth has no berth-agent beside it; run berth-agent from the product's"
					+ " folder");
		}
		// without the default --socket the command added: the user's options decide
		argv = new ArrayList<>(argv.subList(0, argv.size() - 2));
		argv.addAll(options);
		try {
			return new ProcessBuilder(argv).inheritIO().start().waitFor();
		} catch (IOException e) {
			throw new BerthException("agent", null, "could not run the agent: " + Errors.describe(e), e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return Context.FAILURE;
		}
	}
}
