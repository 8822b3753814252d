package org.berth.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.berth.core.BerthException;
import org.berth.core.NamespaceType;
import org.berth.core.TerminalRequest;
import org.berth.core.TerminalSession;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth attach NAME [-- CMD...]}: an interactive shell in a running container on this terminal. The local
 * terminal goes into raw mode (restored at the end), the container's terminal gets this one's size before the
 * shell starts and every later change (SIGWINCH); berth exits with the shell's status.
 */
@Command(name = "attach", description = "Open an interactive shell in a running container on this terminal; berth"
		+ " exits with the shell's status.",
		footer = {"", "Without a command: the login shell of root in the container (its /etc/passwd; /bin/sh if none).",
				"The shell gets this terminal's size and TERM, and a terminal of the container's own (tty: /dev/pts/N).",
				"Ctrl-C, Ctrl-Z and Ctrl-D go to the container. The shell ends when this terminal goes away.",
				"Examples: berth attach c1",
				"          berth attach c1 -- top",
				"          berth attach --console c1                     (the console; Ctrl-] detaches)",
				"          berth attach --ns net,uts --host-files c1     (a debug shell: the host's tools in the"
						+ " container's network)"})
final class AttachCommand extends BaseCommand {

	@Option(names = "--ns", split = ",", paramLabel = "NS",
			description = "Join only these namespaces of the container (mnt, uts, ipc, pid, net, user, cgroup, time);"
					+ " default: all of them.")
	List<String> namespaces = new ArrayList<>();

	@Option(names = "--host-files", description = "Keep the host's file system and tools instead of entering the"
			+ " container's (a debug shell; it joins neither the container's cgroups nor loses capabilities).")
	boolean hostFiles;

	@Option(names = "--console", description = "Attach to the container's console (/dev/console: what its init"
			+ " writes, and a login prompt or shell if the init runs one) instead of starting a shell; detaching"
			+ " leaves it running. Only one client at a time may type; another one watches.")
	boolean console;

	@Parameters(index = "0", paramLabel = "NAME", description = "The container.")
	String name;

	@Parameters(index = "1..*", paramLabel = "COMMAND", description = "The program and its arguments (default: the"
			+ " login shell).")
	List<String> command = new ArrayList<>();

	private final InputStream stdin;
	private final LocalTerminal terminal;

	AttachCommand(Context ctx) {
		// through a channel, which can be closed under a thread blocked reading it: see the end of call()
		this(ctx, Channels.newInputStream(new FileInputStream(FileDescriptor.in).getChannel()), new LocalTerminal());
	}

	AttachCommand(Context ctx, InputStream stdin, LocalTerminal terminal) {
		super(ctx);
		this.stdin = stdin;
		this.terminal = terminal;
	}

	@Override
	public Integer call() throws BerthException {
		List<String> argv = command;
		if (!argv.isEmpty() && argv.get(0).equals("--")) {
			argv = argv.subList(1, argv.size());
		}
		Set<NamespaceType> ns = EnumSet.noneOf(NamespaceType.class);
		for (String n : namespaces) {
			try {
				ns.add(NamespaceType.parse(n));
			} catch (IllegalArgumentException e) {
				throw usage("--ns: " + e.getMessage());
			}
		}
		LocalTerminal.Size size = terminal.size().orElse(new LocalTerminal.Size(80, 24));
		String term = System.getenv("TERM");
		if (console && (!argv.isEmpty() || !ns.isEmpty() || hostFiles)) {
			throw usage("--console attaches to the console as it is: it takes no command, --ns or --host-files");
		}
		TerminalRequest request = new TerminalRequest(argv, size.columns(), size.rows(),
				term == null || term.isBlank() || term.equals("dumb") ? "xterm" : term, ns, !hostFiles, Map.of(),
				console);
		TerminalSession session = Context.await(ctx.engineFor(List.of(name)).openTerminal(name, request));
		if (console) {
			ctx.err.println("berth: the console of \"" + name + "\"" + (session.isInteractive() ? "" : " (read-only:"
					+ " another client is attached)") + "; Ctrl-] detaches");
			ctx.err.flush();
		}
		boolean raw = terminal.enterRawMode();
		Thread restoreOnKill = new Thread(terminal::restore, "berth-attach-restore");
		Runtime.getRuntime().addShutdownHook(restoreOnKill);
		try {
			LocalTerminal.onResize(() -> terminal.size().ifPresent(s -> {
				try {
					session.resize(s.columns(), s.rows());
				} catch (IOException e) {
					// the session has just ended
				}
			}));
			Thread output = new Thread(() -> copy(session.output(), ctx.out), "berth-attach-output");
			output.start();
			Thread input = new Thread(() -> forwardInput(session), "berth-attach-input");
			input.setDaemon(true); // blocked in a read of our stdin until the next key; must not keep berth alive
			input.start();
			int status = session.onExit().join();
			output.join(5_000);
			if (status < 0) {
				// only a terminal of the agent's ends without a status: its connection went first
				if (raw) {
					terminal.restore();
					raw = false;
				}
				ctx.err.println("berth: the connection to the agent ended before the shell did; the shell got a"
						+ " hang-up (attach again once the agent is back)");
				ctx.err.flush();
				return Context.FAILURE;
			}
			return status;
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return Context.FAILURE;
		} finally {
			session.close();
			if (raw) {
				terminal.restore();
			}
			// Wake the input thread out of its read: the JVM's exit waits up to 300 ms for a thread that is in
			// native code, and a read of the terminal is, until the next key (measured: 690 -> 380 ms per attach).
			// Closing the channel signals the blocked thread; our stdin is no longer needed (restored above).
			try {
				stdin.close();
			} catch (IOException e) {
				// it was closed
			}
			try {
				Runtime.getRuntime().removeShutdownHook(restoreOnKill);
			} catch (IllegalStateException e) {
				// shutting down already: the hook restores the terminal
			}
		}
	}

	/** Ctrl-], as telnet and virsh console detach. */
	static final byte DETACH = 0x1d;

	private static int indexOf(byte[] buffer, int length, byte b) {
		for (int i = 0; i < length; i++) {
			if (buffer[i] == b) {
				return i;
			}
		}
		return -1;
	}

	/** {@code in} to {@code out} until its end, each read flushed at once (also {@code berth exec}'s outputs). */
	static void copy(InputStream in, OutputStream out) {
		byte[] buffer = new byte[16384];
		try {
			int n;
			while ((n = in.read(buffer)) >= 0) {
				out.write(buffer, 0, n);
				out.flush();
			}
		} catch (IOException e) {
			// the session is over
		}
	}

	/**
	 * Our keys to the container; at the end of our input (not a terminal), an end-of-file key (Ctrl-D). On the
	 * console, Ctrl-] detaches (the console and its shell go on).
	 */
	private void forwardInput(TerminalSession session) {
		byte[] buffer = new byte[4096];
		OutputStream to = session.input();
		try {
			int n;
			while ((n = stdin.read(buffer)) >= 0) {
				int detach = console ? indexOf(buffer, n, DETACH) : -1;
				to.write(buffer, 0, detach < 0 ? n : detach);
				to.flush();
				if (detach >= 0) {
					session.close();
					return;
				}
			}
			if (console) {
				session.close();
				return;
			}
			to.write(0x04);
			to.flush();
		} catch (IOException e) {
			// the session is over
		}
	}
}
