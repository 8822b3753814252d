package org.berth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import org.berth.client.AgentEngine;
import org.berth.core.BerthException;
import org.berth.core.ContainerEngine;
import org.berth.core.NoSuchContainerException;
import org.berth.core.TerminalRequest;
import org.berth.core.TerminalSession;
import org.berth.core.linux.LocalEngine;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "console", description = "Print the console log of a container: what its init wrote.",
		footer = {"", "With --follow: the history since the last start, then what init writes until the container"
				+ " stops (Ctrl-C ends it earlier)."})
final class ConsoleCommand extends BaseCommand {

	@Parameters(index = "0", paramLabel = "NAME", description = "The container.")
	String name;

	@Option(names = {"-f", "--follow"}, description = "Keep printing what init writes until the container stops.")
	boolean follow;

	ConsoleCommand(Context ctx) {
		super(ctx);
	}

	@Override
	public Integer call() throws BerthException {
		ContainerEngine engine = ctx.engineFor(List.of(name));
		engine.get(name).orElseThrow(() -> new NoSuchContainerException("console", name));
		if (follow) {
			return follow(engine);
		}
		if (engine instanceof AgentEngine agent) {
			byte[] text = Context.await(agent.consoleLog(name));
			ctx.out.write(text, 0, text.length);
			ctx.out.flush();
			return 0;
		}
		if (!(engine instanceof LocalEngine local)) {
			throw new BerthException("console", name, "this engine has no console log to print; berth console --follow "
					+ name + " shows the console");
		}
		Path log = local.consoleLog(name);
		String noLog = "\"" + name + "\" has no console log yet; it is written when the container starts";
		if (log == null) {
			ctx.error(noLog);
			return Context.FAILURE;
		}
		try {
			ctx.out.flush();
			Files.copy(log, ctx.out);
			ctx.out.flush();
			return 0;
		} catch (NoSuchFileException e) {
			ctx.error(noLog);
		} catch (AccessDeniedException e) {
			ctx.error("cannot read the console log of \"" + name + "\" (" + log + "): permission denied; this needs"
					+ " root");
		} catch (IOException e) {
			ctx.error("cannot read the console log of \"" + name + "\" (" + log + "): " + e.getMessage());
		}
		return Context.FAILURE;
	}

	/** The console as a (read-only) terminal session: the history, then what follows while the container runs. */
	private int follow(ContainerEngine engine) throws BerthException {
		TerminalSession console = Context.await(engine.openTerminal(name, TerminalRequest.console(80, 24)));
		try (console; InputStream in = console.output()) {
			ctx.out.flush();
			byte[] buffer = new byte[16384];
			int n;
			while ((n = in.read(buffer)) >= 0) {
				ctx.out.write(buffer, 0, n);
				ctx.out.flush();
			}
			return 0;
		} catch (IOException e) {
			ctx.error("cannot read the console of \"" + name + "\": " + e.getMessage());
			return Context.FAILURE;
		}
	}
}
