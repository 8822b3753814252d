package org.berth.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Modifier;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.berth.client.blocking.AgentSocket;
import org.berth.client.blocking.WebSocket;
import org.berth.core.AgentChoice;
import org.berth.core.ExecRequest;
import org.berth.core.remote.Remote;
import org.berth.core.wire.Api;
import org.berth.core.wire.ListEntry;
import org.berth.core.wire.Wire;

import com.google.gson.reflect.TypeToken;

/**
 * The two commands run most through the agent, {@code berth list [--json]} and {@code berth exec NAME [--] CMD...}
 * without options, on {@link AgentSocket}: one request on one connection, without picocli's reading of the commands'
 * annotations and without Jetty's client, which together took most of such a command's time (README: the command
 * line). Every other command line, and these whenever the agent does not answer them as asked (no agent, a
 * refusal, no such container, a command that did not start), go the full way ({@link Main#run}), which then says why
 * in its usual words or starts an agent for root: nothing has happened by then, since the quick path gives up only
 * before it printed anything or a command ran. {@code BERTH_QUICK=0} turns it off.
 */
final class QuickPath {

	/** What {@link #run} returns when the full path should take the command. */
	static final int FULL_PATH = Integer.MIN_VALUE;

	private QuickPath() {
	}

	/**
	 * Runs {@code args} the quick way and returns the exit code, or {@link #FULL_PATH}.
	 *
	 * @param choice whether and where this process goes through the agent
	 */
	static int run(String[] args, AgentChoice choice, Map<String, String> env, InputStream stdin, PrintStream out,
			PrintStream err) {
		if (!choice.useAgent() || "0".equals(env.get("BERTH_QUICK")) || args.length == 0) {
			return FULL_PATH;
		}
		try {
			if ((args[0].equals("list") || args[0].equals("ls"))
					&& (args.length == 1 || args.length == 2 && args[1].equals("--json"))) {
				return list(choice, args.length == 2, out);
			}
			List<String> command = execCommand(args);
			if (command != null) {
				return exec(choice, args[1], command, stdin, out, err);
			}
		} catch (IOException | RuntimeException e) {
			// not started, or the answer was not what was asked for: the full path says why
		}
		return FULL_PATH;
	}

	/**
	 * Ends the process with {@code status} once standard output and error are flushed. Not {@link System#exit}: since
	 * Java 21 it asks for a {@link System.Logger} to log the exit at debug level, and the JDK finds its logger
	 * service by a look-up that opens every jar of the class path (19 for the command line). The quick path
	 * registers no shutdown hook and leaves nothing else to finish.
	 */
	static void end(int status) {
		System.out.flush();
		System.err.flush();
		Runtime.getRuntime().halt(status);
	}

	private static AgentSocket connect(AgentChoice choice) throws IOException {
		nameSelectorProvider();
		return AgentSocket.connect(choice.socket());
	}

	static final String SELECTOR_PROVIDER = "java.nio.channels.spi.SelectorProvider";

	/**
	 * Names the JDK's own channel provider for Linux, so that the first channel (the agent's socket) does not look for
	 * another one as a service through every jar of the class path: with the exit's logger above, the two
	 * look-ups that opened the jars, about 13 ms of a quick {@code berth list} (README: the command line). The JDK
	 * makes the same provider when asked by this property (its class is public and in java.base, which the JDK
	 * reaches from within); where that class is not there or not as expected, nothing is named and the JDK looks
	 * as before.
	 */
	static void nameSelectorProvider() {
		if (System.getProperty(SELECTOR_PROVIDER) != null) {
			return;
		}
		try {
			Class<?> c = Class.forName("sun.nio.ch.EPollSelectorProvider", false, null);
			if (SelectorProvider.class.isAssignableFrom(c) && Modifier.isPublic(c.getModifiers())
					&& Modifier.isPublic(c.getConstructor().getModifiers())) {
				System.setProperty(SELECTOR_PROVIDER, c.getName());
			}
		} catch (ReflectiveOperationException | LinkageError e) {
			// the JDK's own look-up then
		}
	}

	/**
	 * The command of {@code berth exec NAME [--] CMD...} without options, or null for any other command line (options,
	 * a remote's NAME:, no command).
	 */
	static List<String> execCommand(String[] args) {
		if (args.length < 3 || !args[0].equals("exec") || args[1].startsWith("-") || Remote.split(args[1]) != null) {
			return null;
		}
		List<String> command = Arrays.asList(args).subList(args[2].equals("--") ? 3 : 2, args.length);
		return command.isEmpty() ? null : command;
	}

	private static int list(AgentChoice choice, boolean json, PrintStream out) throws IOException {
		AgentSocket.Response r;
		try (AgentSocket agent = connect(choice)) {
			r = agent.get(Api.PREFIX + "/containers");
		}
		if (r.status() != 200) {
			return FULL_PATH;
		}
		List<ListEntry> entries = Wire.gson().fromJson(r.text(), new TypeToken<List<ListEntry>>() {
		}.getType());
		ListCommand.print(entries, json, out);
		out.flush();
		return 0;
	}

	/**
	 * The command on the agent's exec WebSocket: standard input goes out on a thread of its own (it may stay blocked on
	 * a terminal after the command ended), output is written as it comes, and the command's status is returned.
	 */
	private static int exec(AgentChoice choice, String name, List<String> command, InputStream stdin, PrintStream out,
			PrintStream err) throws IOException {
		AgentSocket agent = connect(choice);
		try {
			WebSocket ws;
			try {
				ws = agent.upgrade(Api.PREFIX + "/containers/" + Api.segment(name) + "/exec");
			} catch (AgentSocket.Refused e) {
				return FULL_PATH;
			}
			ws.sendText(Wire.toJson(new ExecRequest(command, Map.of(), null, false)));
			Api.TerminalControl first = control(ws);
			if (first == null || !"open".equals(first.type())) {
				return FULL_PATH; // "error": the command did not start, and the full path says why
			}
			out.flush();
			err.flush();
			// from here the command runs: whatever happens, the full path must not run it a second time
			Thread.ofPlatform().daemon().name("berth-exec-stdin").start(() -> forward(stdin, ws));
			try {
				return streams(ws, out, err);
			} catch (IOException | RuntimeException e) {
				err.println("berth: the agent's command stream failed: " + e.getMessage());
				return Context.FAILURE;
			}
		} finally {
			agent.close();
		}
	}

	/** The first control message, or null when the stream ended before one. */
	private static Api.TerminalControl control(WebSocket ws) throws IOException {
		ByteArrayOutputStream text = new ByteArrayOutputStream();
		for (WebSocket.Frame f; (f = ws.next()) != null;) {
			Api.TerminalControl c = control(text, f);
			if (c != null) {
				return c;
			}
		}
		return null;
	}

	/**
	 * A text frame's part of a control message, gathered in {@code text} (a message may come in fragments, a character
	 * across two); the message once its last fragment came, else null (also for a binary frame).
	 */
	private static Api.TerminalControl control(ByteArrayOutputStream text, WebSocket.Frame f) {
		if (f.opcode() != WebSocket.TEXT) {
			return null;
		}
		text.writeBytes(f.payload());
		if (!f.fin()) {
			return null;
		}
		String message = text.toString(StandardCharsets.UTF_8);
		text.reset();
		return Wire.gson().fromJson(message, Api.TerminalControl.class);
	}

	/** The command's output until it exits; its exit code (1 with a sentence when the agent ends the stream first). */
	private static int streams(WebSocket ws, PrintStream out, PrintStream err) throws IOException {
		PrintStream to = out;
		ByteArrayOutputStream text = new ByteArrayOutputStream();
		for (WebSocket.Frame f; (f = ws.next()) != null;) {
			byte[] p = f.payload();
			if (f.opcode() == WebSocket.BINARY) {
				int from = 0;
				if (f.first() && p.length > 0) {
					to = p[0] == Api.EXEC_STDERR ? err : out; // a message's first byte says its stream
					from = 1;
				}
				to.write(p, from, p.length - from);
				to.flush();
				continue;
			}
			Api.TerminalControl c = control(text, f);
			if (c != null && "exit".equals(c.type())) {
				ws.close();
				return c.exitCode() == null ? -1 : c.exitCode();
			}
		}
		err.println("berth: the agent closed the command's stream before it said how the command ended");
		return Context.FAILURE;
	}

	/** This process's standard input to the command, then its end. */
	private static void forward(InputStream stdin, WebSocket ws) {
		byte[] b = new byte[16 << 10];
		try {
			for (int n; (n = stdin.read(b)) >= 0;) {
				if (n > 0) {
					ws.sendBinary(b, 0, n);
				}
			}
			ws.sendText("{\"type\":\"eof\"}");
		} catch (IOException e) {
			// the command ended or stopped reading
		}
	}
}
