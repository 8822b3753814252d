package org.berth.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.berth.core.BerthException;
import org.berth.core.ContainerEngine;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.linux.LocalEngine;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth exec NAME -- CMD...}: exits with the command's exit code. Options go before NAME. */
@Command(name = "exec", description = "Run a command in a running container with this terminal's input and"
		+ " output; berth exits with the command's status.",
		footer = {"", "Everything after NAME is the command; -- before it is optional.",
				"Example: berth exec -e TERM=dumb c1 -- /bin/sh -c 'ps; uptime'",
				"Through the agent (a user other than root), the output comes when the command ends and a piped stdin"
						+ " is passed whole (up to 512 KiB); berth attach NAME -- CMD runs an interactive program."})
final class ExecCommand extends BaseCommand {

	@Option(names = {"-e", "--env"}, paramLabel = "NAME=VALUE", description = "An environment variable; repeatable.")
	Map<String, String> env = new LinkedHashMap<>();

	@Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "The working directory inside (default /).")
	String workdir;

	@Parameters(index = "0", paramLabel = "NAME", description = "The container.")
	String name;

	@Parameters(index = "1..*", paramLabel = "COMMAND", description = "The program and its arguments.")
	List<String> command = new ArrayList<>();

	ExecCommand(Context ctx) {
		super(ctx);
	}

	@Override
	public Integer call() throws BerthException {
		List<String> argv = command;
		if (!argv.isEmpty() && argv.get(0).equals("--")) {
			argv = argv.subList(1, argv.size());
		}
		if (argv.isEmpty()) {
			throw usage("say which command to run, e.g. berth exec " + name + " -- /bin/sh");
		}
		ExecRequest request = new ExecRequest(argv, env, workdir, false);
		ContainerEngine engine = ctx.engineFor(List.of(name));
		ctx.out.flush();
		ctx.err.flush();
		if (engine instanceof LocalEngine local) {
			return local.execInheritingIo(name, request);
		}
		String input = standardInput();
		if (input != null) {
			// through the agent the command's input travels with the request: read it all first
			byte[] data;
			try {
				data = System.in.readNBytes(ExecRequest.MAX_STDIN + 1);
			} catch (IOException e) {
				throw new BerthException("exec", name, "cannot read standard input (" + input + "): "
						+ Errors.describe(e), e);
			}
			if (data.length > ExecRequest.MAX_STDIN) {
				throw new BerthException("exec", name, "standard input (" + input + ") is more than the "
						+ ExecRequest.MAX_STDIN / 1024 + " KiB berth exec passes through the agent; copy the data in"
						+ " with berth file push first, or run the command with sudo");
			}
			request = request.withStdin(data);
		}
		ExecResult result = Context.await(engine.exec(name, request));
		ctx.out.write(result.stdout(), 0, result.stdout().length);
		ctx.out.flush();
		ctx.err.write(result.stderr(), 0, result.stderr().length);
		ctx.err.flush();
		return result.exitCode();
	}

	/**
	 * What this process's standard input is when it may carry data a command would read ("a pipe", "the file F"),
	 * or null for a terminal, /dev/null, an empty file or when it cannot be told.
	 */
	static String standardInput() {
		try {
			Path fd0 = Path.of("/proc/self/fd/0");
			String target = Files.readSymbolicLink(fd0).toString();
			if (target.startsWith("pipe:")) {
				return "a pipe";
			}
			if (target.startsWith("socket:")) {
				return "a socket";
			}
			if (Files.isRegularFile(fd0) && Files.size(fd0) > 0) {
				return "the file " + target;
			}
			return null;
		} catch (IOException | UnsupportedOperationException e) {
			return null;
		}
	}
}
