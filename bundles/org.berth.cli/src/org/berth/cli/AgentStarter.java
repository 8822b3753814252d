package org.berth.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Root's {@code berth} starts the agent in the background when none answers on its socket (see
 * {@link org.berth.core.AgentChoice#startAgent()}): the product's {@code berth-agent} beside this command (the launch
 * script passes its folder as BERTH_HOME), or, from a class path that holds it (a build's tests), the agent's
 * main class in a JVM like this one. The agent runs in a session of its own, outlives the command and writes its log
 * to {@code agent.log} in the engine's run folder. A start that fails is one sentence, and the command goes on with
 * the engine in its own process.
 */
final class AgentStarter {

	private static final String MAIN = "org.berth.agent.AgentMain";
	private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

	private AgentStarter() {
	}

	/** The product's folder, as its launch script says it (BERTH_HOME); null when run from a class path. */
	static String home() {
		String home = System.getenv("BERTH_HOME");
		return home == null || home.isBlank() ? null : home;
	}

	/** Whether something accepts connections on {@code socket} (no request is sent). */
	static boolean answers(Path socket) {
		if (!Files.exists(socket)) {
			return false;
		}
		try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			c.connect(UnixDomainSocketAddress.of(socket));
			return true;
		} catch (IOException | UnsupportedOperationException e) {
			return false;
		}
	}

	/**
	 * The command that runs the agent on {@code socket}: {@code home/berth-agent} when it is there, else this JVM
	 * with its class path when that holds the agent; null when neither.
	 */
	static List<String> command(String home, Path socket) {
		List<String> argv = new ArrayList<>();
		if (home != null && Files.isExecutable(Path.of(home, "berth-agent"))) {
			argv.add(Path.of(home, "berth-agent").toString());
		} else if (onClassPath()) {
			argv.addAll(List.of(ProcessHandle.current().info().command().orElse("java"),
					"--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"));
			for (String p : List.of("berth.configRoot", "berth.runRoot", "berth.cgroupParent", "berth.helper")) {
				String v = System.getProperty(p);
				if (v != null) {
					argv.add("-D" + p + "=" + v);
				}
			}
			argv.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN));
		} else {
			return null;
		}
		argv.addAll(List.of("--socket", socket.toString()));
		return argv;
	}

	private static boolean onClassPath() {
		try {
			Class.forName(MAIN, false, AgentStarter.class.getClassLoader());
			return true;
		} catch (ClassNotFoundException | LinkageError e) {
			return false;
		}
	}

	/**
	 * Starts an agent on {@code socket} unless one answers, and waits until it does; says on {@code err} what it did.
	 * {@code log}: the agent's output.
	 */
	static void ensureRunning(Path socket, Path log, PrintStream err) {
		if (answers(socket)) {
			return;
		}
		List<String> argv = command(AgentStarter.home(), socket);
		if (argv == null) {
			err.println("berth: no Berth agent answers on " + socket + " and this berth has no berth-agent beside it to"
					+ " start; the console of other users needs one (start it as root with berth-agent)");
			return;
		}
		List<String> detached = new ArrayList<>(List.of("setsid"));
		detached.addAll(argv);
		Process p;
		try {
			Files.createDirectories(log.getParent());
			p = new ProcessBuilder(detached).directory(Path.of("/").toFile())
					.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
					.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
		} catch (IOException e) {
			err.println("berth: could not start the Berth agent (" + Errors.describe(e) + "); going on without it");
			return;
		}
		long end = System.nanoTime() + WAIT_NANOS;
		while (!answers(socket)) {
			if (!p.isAlive() || System.nanoTime() > end) {
				err.println("berth: the Berth agent did not start" + (p.isAlive() ? " within 30 s" : "") + "; see "
						+ log + " (going on without it)");
				return;
			}
			try {
				p.waitFor(20, TimeUnit.MILLISECONDS); // until its socket answers, or it ends
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		err.println("berth: started the Berth agent (PID " + p.pid() + ") on " + socket + " for the console and group"
				+ " berth; it keeps running (log: " + log + "; stop it with kill " + p.pid() + ")");
		err.flush();
	}
}
