package org.berth.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.berth.core.BerthException;
import org.berth.core.ContainerEngine;
import org.berth.core.ExecRequest;
import org.berth.core.ExecSession;
import org.berth.core.linux.LocalEngine;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth exec NAME -- CMD...}: exits with the command's exit code. Options go before NAME. */
@Command(name = "exec", description = "Run a command in a running container with this terminal's input and"
		+ " output; berth exits with the command's status.",
		footer = {"", "Everything after NAME is the command; -- before it is optional.",
				"Example: berth exec -e TERM=dumb c1 -- /bin/sh -c 'ps; uptime'",
				"berth attach NAME -- CMD runs an interactive program on a terminal of the container's."})
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
		return streamed(engine, request);
	}

	/**
	 * Through the agent: the command's input and output stream over its exec WebSocket as they come; this process's
	 * standard input is read on a thread of its own (it may stay blocked on a terminal after the command ended).
	 */
	private int streamed(ContainerEngine engine, ExecRequest request) throws BerthException {
		try (ExecSession session = Context.await(engine.openExec(name, request))) {
			Thread in = Thread.ofPlatform().daemon().name("berth-exec-stdin").start(() -> {
				try (OutputStream to = session.stdin()) {
					System.in.transferTo(to);
				} catch (IOException e) {
					// the command ended or stopped reading
				}
			});
			Thread out = Thread.ofPlatform().name("berth-exec-stdout")
					.start(() -> AttachCommand.copy(session.stdout(), ctx.out));
			Thread err = Thread.ofPlatform().name("berth-exec-stderr")
					.start(() -> AttachCommand.copy(session.stderr(), ctx.err));
			int code = Context.await(session.onExit());
			out.join();
			err.join();
			in.interrupt();
			return code;
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new BerthException("exec", name, "interrupted while running a command in \"" + name + "\"");
		}
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
