package org.berth.core.linux.internal.terminal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.regex.Pattern;

import org.berth.core.BerthException;
import org.berth.core.NamespaceType;
import org.berth.core.TerminalRequest;
import org.berth.core.TerminalSession;
import org.berth.core.linux.internal.sys.Pty;
import org.berth.core.linux.internal.sys.Signals;
import org.berth.core.linux.internal.sys.Spawn;
import org.berth.core.linux.internal.sys.SysException;

/**
 * A command on a PTY of the container: the JVM holds the master (allocated in the container's own devpts, so
 * {@code tty} inside prints {@code /dev/pts/N}), sizes it before anything runs, and lets the helper open the slave
 * and start the command as a session leader with it as controlling terminal. The helper stays as the command's
 * parent: its exit status is the command's, and a SIGHUP to it reaches the command.
 */
public final class PtySession implements TerminalSession {
	/** Whitespace runs, compiled once (String.split compiles a pattern per call). */
	private static final Pattern WHITESPACE = Pattern.compile("\\s+");

	/** How long the helper may take to join the container and start the command. */
	static final long START_TIMEOUT_MILLIS = 15_000;
	/** After the command ended, how long output may still be read before the master is closed. */
	static final long DRAIN_MILLIS = 2_000;

	private final String title;
	private final Pty pty;
	private final Spawn helper;
	private final long commandPid;
	private final CompletableFuture<Integer> exit = new CompletableFuture<>();
	private final CountDownLatch endOfOutput = new CountDownLatch(1);
	private final InputStream output;

	private PtySession(String title, Pty pty, Spawn helper, long commandPid) {
		this.title = title;
		this.pty = pty;
		this.helper = helper;
		this.commandPid = commandPid;
		this.output = new Output(pty.inputStream());
	}

	/** Starts {@code request}'s command in {@code target}; returns once it runs. Blocks: call it on a worker. */
	static PtySession start(TerminalTarget target, TerminalRequest request) throws BerthException {
		String name = target.name();
		if (!target.isRunning()) {
			throw new BerthException("terminal", name, "\"" + name + "\" is not running; start it before opening a"
					+ " terminal into it");
		}
		Pty pty;
		try {
			pty = TerminalCommand.usesContainerDevpts(request) ? Pty.openInContainer(target.initPid()) : Pty.openHost();
			pty.resize(request.columns(), request.rows()); // before the shell starts: its first prompt fits
		} catch (SysException e) {
			throw new BerthException("terminal", name, errno(e), "could not open a terminal in \""
					+ name + "\": " + e.getMessage(), e);
		}
		String tty = TerminalCommand.usesContainerDevpts(request) ? pty.hostSlavePath(target.initPid()).toString()
				: pty.hostSlavePath().toString();
		if (TerminalCommand.usesContainerDevpts(request)) {
			giveToContainerRoot(name, pty, Path.of(tty), target.initPid());
		}
		List<String> argv = TerminalCommand.argv(target, request, tty);
		Spawn helper = null;
		try {
			// straight from the JVM (no jspawnhelper); its errors come on the same pipe as its report
			helper = Spawn.start(argv, Spawn.Stdio.NULL, Spawn.Stdio.PIPE, Spawn.Stdio.STDOUT);
			String line = helper.readLine(Duration.ofMillis(START_TIMEOUT_MILLIS));
			if (line == null || !line.startsWith("STARTED ")) {
				String why = line != null && line.startsWith("FAILED ") ? line.substring(7) : null;
				String rest = why != null ? "" : restOf(helper, line);
				OptionalInt code = helper.waitFor(Duration.ofMillis(START_TIMEOUT_MILLIS));
				if (why == null) {
					why = rest.isEmpty() ? "the helper ended with status " + code.orElse(-1) : rest;
				}
				throw new BerthException("terminal", name, "could not open a terminal in \"" + name + "\": " + why);
			}
			long pid = Long.parseLong(line.substring(8).trim());
			PtySession session = new PtySession(title(target, request, pty), pty, helper, pid);
			Spawn h = helper;
			Terminals.THREADS.execute(() -> session.ended(awaitEnd(h)));
			return session;
		} catch (SysException | NumberFormatException e) {
			throw failed(name, pty, helper, e);
		} catch (BerthException e) {
			if (helper != null) {
				helper.close();
			}
			closeQuietly(pty);
			throw e;
		}
	}

	/** What the helper said besides its report (its error sentences), up to its end. */
	private static String restOf(Spawn helper, String first) throws SysException {
		StringBuilder text = new StringBuilder(first == null ? "" : first);
		for (String line; (line = helper.readLine(Duration.ofMillis(START_TIMEOUT_MILLIS))) != null;) {
			text.append(text.isEmpty() ? "" : "\n").append(line);
		}
		return text.toString().strip().replace("berth-helper: ", "");
	}

	/** Waits for the helper (the command's parent) and gives its exit status, -1 if it cannot be learnt. */
	private static int awaitEnd(Spawn helper) {
		try {
			while (true) {
				OptionalInt code = helper.waitFor(Duration.ofHours(1));
				if (code.isPresent()) {
					return code.getAsInt();
				}
			}
		} catch (SysException e) {
			return -1;
		} finally {
			helper.close();
		}
	}

	/**
	 * In a container with a user namespace the JVM's new terminal would belong to an unmapped user (shown as 65534
	 * inside), and root inside could not open it again by its name ({@code su}, {@code script}): it is given to
	 * the host uid of the container's root, as the console is.
	 */
	private static void giveToContainerRoot(String name, Pty pty, Path slave, long initPid) throws BerthException {
		Path uidMap = Path.of("/proc", Long.toString(initPid), "uid_map");
		try (Stream<String> lines = Files.lines(uidMap)) { // streamed: /proc files report a size of 0
			OptionalLong root = hostIdOfRoot(lines.toList());
			if (root.isPresent() && root.getAsLong() != 0) {
				Files.setAttribute(slave, "unix:uid", (int) root.getAsLong());
			}
		} catch (IOException | RuntimeException e) {
			closeQuietly(pty);
			throw new BerthException("terminal", name, "could not give the terminal " + slave + " to the root of \""
					+ name + "\": " + e.getMessage(), e);
		}
	}

	/** The host id that id 0 inside maps to, from the lines of a {@code uid_map}/{@code gid_map}; empty if unmapped. */
	static OptionalLong hostIdOfRoot(List<String> mapLines) {
		for (String line : mapLines) {
			String[] f = WHITESPACE.split(line.trim());
			if (f.length == 3) {
				long inside = Long.parseLong(f[0]);
				long outside = Long.parseLong(f[1]);
				long count = Long.parseLong(f[2]);
				if (inside <= 0 && 0 < inside + count) {
					return OptionalLong.of(outside - inside);
				}
			}
		}
		return OptionalLong.empty();
	}

	private static BerthException failed(String name, Pty pty, Spawn helper, Exception e) {
		if (helper != null) {
			try {
				helper.kill();
				helper.waitFor(Duration.ofMillis(START_TIMEOUT_MILLIS));
			} catch (SysException gone) {
				// nothing left to end
			}
			helper.close();
		}
		closeQuietly(pty);
		String why = e instanceof SysException s && s.errno() == Spawn.ETIMEDOUT ? "the shell did not start within "
				+ START_TIMEOUT_MILLIS / 1000 + " s" : e.getMessage();
		return new BerthException("terminal", name, "could not open a terminal in \"" + name + "\": " + why, e);
	}

	private static String title(TerminalTarget target, TerminalRequest request, Pty pty) {
		String ns = request.joinsAllNamespaces() ? ""
				: " [" + request.namespaces().stream().map(NamespaceType::procName).collect(Collectors.joining(","))
						+ (request.chroot() ? "" : ", host files") + "]";
		return target.name() + ns + " " + pty.slavePath();
	}

	/** The command ended: report its status, then close the master once its last output has been read. */
	private void ended(int status) {
		exit.complete(status);
		try {
			// background jobs may still hold the slave: do not wait for them forever
			endOfOutput.await(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		closeQuietly(pty);
	}

	/** The host PID of the command (the shell): for tests and for a "which process" display. */
	public long commandPid() {
		return commandPid;
	}

	/** The terminal as seen inside, e.g. {@code /dev/pts/0}. */
	public String ttyName() {
		return pty.slavePath();
	}

	@Override
	public InputStream output() {
		return output;
	}

	@Override
	public OutputStream input() {
		return pty.outputStream();
	}

	@Override
	public void resize(int columns, int rows) throws IOException {
		pty.resize(columns, rows);
	}

	@Override
	public CompletableFuture<Integer> onExit() {
		return exit;
	}

	@Override
	public String title() {
		return title;
	}

	@Override
	public void close() {
		try {
			helper.signal(Signals.SIGHUP); // the helper forwards it to the command
		} catch (SysException e) {
			// it has just ended
		}
		closeQuietly(pty); // the hang-up also reaches whatever else holds the terminal
	}

	@Override
	public String toString() {
		return "PtySession[" + title + ", pid " + commandPid + (exit.isDone() ? ", ended" : "") + "]";
	}

	private static void closeQuietly(Pty pty) {
		try {
			pty.close();
		} catch (SysException e) {
			// closing a master cannot fail in a way anyone could act on
		}
	}

	/** The master's output, noting its end so that {@link #ended} need not wait longer. */
	private final class Output extends InputStream {
		private final InputStream in;

		Output(InputStream in) {
			this.in = in;
		}

		@Override
		public int read() throws IOException {
			int b = in.read();
			if (b < 0) {
				endOfOutput.countDown();
			}
			return b;
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			int n = in.read(b, off, len);
			if (n < 0) {
				endOfOutput.countDown();
			}
			return n;
		}

		@Override
		public int available() throws IOException {
			return in.available();
		}
	}

	private static OptionalInt errno(SysException e) {
		return e.errno() == 0 ? OptionalInt.empty() : OptionalInt.of(e.errno());
	}
}
