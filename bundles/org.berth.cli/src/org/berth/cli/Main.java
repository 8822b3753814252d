package org.berth.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import org.berth.client.AgentEngine;
import org.berth.core.AgentChoice;
import org.berth.core.BerthException;
import org.berth.core.ContainerEngine;
import org.berth.core.linux.EngineConfig;
import org.berth.core.linux.LinuxEngines;
import org.berth.core.remote.Remote;
import org.berth.core.remote.Remotes;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.PicocliException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code berth} command line. Errors are one sentence a line on stderr, prefixed "berth: ", with exit code 1
 * (the command failed) or 2 (the command line was not understood); a stack trace only with BERTH_DEBUG=1.
 */
public final class Main {

	private Main() {
	}

	public static void main(String[] args) {
		int quick = QuickPath.run(args, AgentChoice.fromEnvironment(), System.getenv(), System.in, System.out,
				System.err);
		if (quick != QuickPath.FULL_PATH) {
			QuickPath.end(quick);
		}
		System.setProperty("java.util.logging.config.class", CliLogging.class.getName());
		// a command's sampler (stats, top) lives seconds: the agent (or a console) keeps the histories on disk
		System.setProperty(EngineConfig.PERSIST_HISTORY, "false");
		boolean debug = "1".equals(System.getenv("BERTH_DEBUG"));
		System.exit(run(args, System.out, System.err, Main::openEngineFor, debug));
	}

	/**
	 * Runs one {@code berth} command line and returns its exit code. The engine is asked for only by commands that
	 * need it, so help, version and usage errors work without root.
	 */
	public static int run(String[] args, PrintStream out, PrintStream err, Supplier<? extends ContainerEngine> engine) {
		return run(args, out, err, engine, "1".equals(System.getenv("BERTH_DEBUG")));
	}

	static int run(String[] args, PrintStream out, PrintStream err, Supplier<? extends ContainerEngine> engine,
			boolean debug) {
		return run(args, out, err, only -> engine.get(), debug);
	}

	/** As the real command line runs: {@code opener} opens the engine with only some containers, or all for null. */
	static int run(String[] args, PrintStream out, PrintStream err,
			Function<Collection<String>, ? extends ContainerEngine> opener, boolean debug) {
		try (Context ctx = new Context(out, err, opener, debug)) {
			String[] given;
			try {
				given = remoteArgs(ctx, args);
			} catch (IllegalArgumentException e) {
				ctx.error(e.getMessage());
				return Context.USAGE;
			} catch (BerthException e) {
				ctx.error(e);
				return Context.FAILURE;
			}
			return commandLine(ctx, given).execute(given);
		}
	}

	/**
	 * The command line without what names a remote, which {@code ctx} then talks to: {@code --remote NAME} before the
	 * command, and {@code NAME:} before a container ({@code berth exec lab:web -- uptime}, {@code berth file pull
	 * lab:web:/etc/hosts .}) when a remote of that name exists (so a container's {@code c1:/path} stays what it was).
	 * Nothing after {@code --} is looked at, nor, in exec, anything after the container.
	 */
	static String[] remoteArgs(Context ctx, String[] args) throws BerthException {
		List<String> out = new ArrayList<>(List.of(args));
		while (!out.isEmpty() && (out.get(0).equals("--remote") || out.get(0).startsWith("--remote="))) {
			String first = out.remove(0);
			if (first.equals("--remote")) {
				if (out.isEmpty()) {
					throw new IllegalArgumentException("--remote needs the name of a remote (berth remote list)");
				}
				ctx.useRemote(out.remove(0));
			} else {
				ctx.useRemote(first.substring("--remote=".length()));
			}
		}
		boolean exec = !out.isEmpty() && out.get(0).equals("exec");
		Remotes remotes = null;
		for (int i = 1; i < out.size() && !out.get(i).equals("--"); i++) {
			String[] split = Remote.split(out.get(i));
			if (split == null) {
				continue;
			}
			if (remotes == null) {
				remotes = Remotes.ofUser();
			}
			if (remotes.find(split[0]).isPresent()) {
				ctx.useRemote(split[0]);
				out.set(i, split[1]);
				if (exec) {
					break;
				}
			}
		}
		return out.toArray(String[]::new);
	}

	/**
	 * The engine this command talks to: the agent's ({@link AgentChoice}) for a user other than root, or for root
	 * when BERTH_AGENT=1 (root's command first starts an agent when none answers, unless BERTH_AGENT=0); else the
	 * local engine with only these containers, or all for {@code null} (see
	 * {@link Context#engineFor}). A failure travels as an {@link UncheckedBerthException} and is printed as its
	 * sentence.
	 */
	static ContainerEngine openEngineFor(Collection<String> only) {
		try {
			AgentChoice choice = AgentChoice.fromEnvironment();
			if (choice.startAgent()) {
				AgentStarter.ensureRunning(choice.socket(),
						EngineConfig.fromSystemProperties().runRoot().resolve("agent.log"), System.err);
			}
			if (choice.useAgent()) {
				// a command that follows events asks for them; one about named containers loads those alone
				return AgentEngine.connectOnce(choice.socket(), only);
			}
			return only == null ? LinuxEngines.open()
					: LinuxEngines.openOnly(EngineConfig.fromSystemProperties(), only);
		} catch (BerthException e) {
			throw new UncheckedBerthException(e);
		}
	}

	/** The sub-commands in the order help lists them; the aliases ({@code ls}, {@code rm}) point at their command. */
	private static final Map<String, Function<Context, Object>> COMMANDS = new LinkedHashMap<>();
	private static final Map<String, String> ALIASES = Map.of("ls", "list", "rm", "destroy");

	static {
		COMMANDS.put("list", ListCommand::new);
		COMMANDS.put("create", CreateCommand::new);
		COMMANDS.put("start", StartCommand::new);
		COMMANDS.put("stop", StopCommand::new);
		COMMANDS.put("restart", RestartCommand::new);
		COMMANDS.put("kill", KillCommand::new);
		COMMANDS.put("freeze", FreezeCommand::new);
		COMMANDS.put("thaw", ThawCommand::new);
		COMMANDS.put("destroy", DestroyCommand::new);
		COMMANDS.put("set", SetCommand::new);
		COMMANDS.put("exec", ExecCommand::new);
		COMMANDS.put("stats", StatsCommand::new);
		COMMANDS.put("top", TopCommand::new);
		COMMANDS.put("ns", NsCommand::new);
		COMMANDS.put("config", ConfigCommand::new);
		COMMANDS.put("snapshot", SnapshotCommand::commandLine);
		COMMANDS.put("checkpoint", CheckpointCommand::new);
		COMMANDS.put("restore", RestoreCommand::new);
		COMMANDS.put("migrate", MigrateCommand::new);
		COMMANDS.put("migrate-receive", MigrateReceiveCommand::new);
		COMMANDS.put("diff", DiffCommand::new);
		COMMANDS.put("export", ExportCommand::new);
		COMMANDS.put("import", ImportCommand::new);
		COMMANDS.put("rename", RenameCommand::new);
		COMMANDS.put("publish", PublishCommand::new);
		COMMANDS.put("image", ImageCommand::commandLine);
		COMMANDS.put("file", FileCommand::commandLine);
		COMMANDS.put("console", ConsoleCommand::new);
		COMMANDS.put("attach", AttachCommand::new);
		COMMANDS.put("events", EventsCommand::new);
		COMMANDS.put("remote", RemoteCommand::commandLine);
		COMMANDS.put("agent", AgentCommand::new);
		COMMANDS.put("version", VersionCommand::new);
	}

	static CommandLine commandLine(Context ctx) {
		return commandLine(ctx, null);
	}

	/**
	 * The command line with every sub-command, or, when {@code args} starts with the name of one, with only that
	 * one: picocli reads the annotations of each command it is given, which took about a third of a short
	 * command's time (bench/ section 3). Help, suggestions for a mistyped name and the rest see them all.
	 */
	static CommandLine commandLine(Context ctx, String[] args) {
		CommandLine cl = new CommandLine(new BerthCommand());
		String first = args == null || args.length == 0 ? null : ALIASES.getOrDefault(args[0], args[0]);
		if (first != null && COMMANDS.containsKey(first)) {
			cl.addSubcommand(first, COMMANDS.get(first).apply(ctx));
		} else {
			COMMANDS.forEach((name, command) -> cl.addSubcommand(name, command.apply(ctx)));
			cl.addSubcommand("help", new CommandLine.HelpCommand());
		}
		// everything after "berth exec NAME" is the command, options included
		if (cl.getSubcommands().containsKey("exec")) {
			cl.getSubcommands().get("exec").getCommandSpec().parser().stopAtPositional(true);
		}
		// "@file" arguments are data (e.g. in exec), not files of arguments
		cl.setExpandAtFiles(false);
		cl.setOut(new PrintWriter(ctx.out, true));
		cl.setErr(new PrintWriter(ctx.err, true));
		cl.setParameterExceptionHandler((ex, given) -> {
			ctx.error(usageSentence(ex));
			return Context.USAGE;
		});
		cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
			ctx.error(ex);
			return Context.FAILURE;
		});
		return cl;
	}

	/** One line about a command line that was not understood. */
	static String usageSentence(ParameterException ex) {
		CommandLine cmd = ex.getCommandLine();
		String where = cmd.getCommandSpec().qualifiedName();
		Throwable cause = ex.getCause();
		if (cause instanceof IllegalArgumentException && !(cause instanceof PicocliException)
				&& cause.getMessage() != null) {
			String arg = argName(ex.getArgSpec());
			return oneLine((arg == null ? "" : arg + ": ") + cause.getMessage());
		}
		if (ex instanceof UnmatchedArgumentException u && cmd.getParent() == null && !u.getUnmatched().isEmpty()
				&& !u.getUnmatched().get(0).startsWith("-")) {
			Set<String> suggestions = new LinkedHashSet<>();
			for (String suggestion : u.getSuggestions()) {
				CommandLine sub = cmd.getSubcommands().get(suggestion);
				suggestions.add(sub == null ? suggestion : sub.getCommandName());
			}
			return "there is no command \"" + u.getUnmatched().get(0) + "\""
					+ (suggestions.isEmpty() ? "" : "; did you mean " + String.join(" or ", suggestions) + "?")
					+ " (see " + where + " --help)";
		}
		String message = ex.getMessage() == null ? "the command line is not complete" : ex.getMessage();
		return oneLine(decapitalize(message) + " (see " + where + " --help)");
	}

	private static String argName(ArgSpec arg) {
		if (arg instanceof OptionSpec o) {
			return o.longestName();
		}
		if (arg instanceof PositionalParamSpec p) {
			return p.paramLabel();
		}
		return null;
	}

	private static String oneLine(String s) {
		return s.replaceAll("\\s*\\R\\s*", " ").strip();
	}

	/** "Unknown option: '--x'" → "unknown option: '--x'"; "NAME is missing" stays. */
	private static String decapitalize(String s) {
		if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))) {
			return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
		}
		return s;
	}
}
