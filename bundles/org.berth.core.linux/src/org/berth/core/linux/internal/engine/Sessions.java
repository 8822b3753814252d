package org.berth.core.linux.internal.engine;

import org.berth.core.linux.EngineConfig;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.berth.core.Action;
import org.berth.core.BerthException;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.ExecSession;
import org.berth.core.Monitoring;
import org.berth.core.StateMachine;
import org.berth.core.Tier;
import org.berth.core.Usage;
import org.berth.core.linux.LocalTty;
import org.berth.core.linux.internal.cgroup.CgroupStats;
import org.berth.core.linux.internal.cgroup.Group;
import org.berth.core.linux.internal.metrics.OnlineCpus;
import org.berth.core.linux.internal.metrics.HistoryFiles;
import org.berth.core.linux.internal.metrics.Sampler;
import org.berth.core.linux.internal.sys.Spawn;
import org.berth.core.linux.internal.sys.SysException;
import org.berth.core.linux.internal.terminal.TerminalTarget;
import org.berth.core.linux.internal.sys.EngineLog;

/**
 * What is done inside a running container and what it uses: commands (exec), where its terminals and console are,
 * its usage, and the one sampler for all running containers (made on first use).
 */
final class Sessions {

	private final EngineContext ctx;
	private final Operations ops;
	private final Snapshots snapshots;
	private final Reconciler reconciler;
	private Sampler sampler; // under the engine lock

	Sessions(EngineContext ctx, Operations ops, Snapshots snapshots, Reconciler reconciler) {
		this.ctx = ctx;
		this.ops = ops;
		this.snapshots = snapshots;
		this.reconciler = reconciler;
	}

	// ---- monitoring (issue 5): one sampler for all running containers, started on first use ------------------

	/** The folder of the histories' files under the config root (see {@link HistoryFiles}). */
	static final String HISTORY = ".history";

	Monitoring monitoring() {
		reconciler.watchFoundMonitors();
		return ops.engineWide(() -> {
			if (sampler == null) {
				sampler = new Sampler(new Sampler.Source() {
					@Override
					public Collection<ContainerSnapshot> containers() {
						return snapshots.values();
					}

					@Override
					public Group group(ContainerSnapshot active) throws IOException {
						RunDir.State state = ctx.runDir(active.name()).readState()
								.filter(s -> s.initPid() == active.initPid())
								.orElseThrow(() -> new IOException(active.name() + " is not running"));
						try {
							return ctx.driver().open(state.cgroup());
						} catch (BerthException e) {
							throw new IOException(e.getMessage(), e);
						}
					}
				}, Sampler.DEFAULT_INTERVAL, Tier.DEFAULTS, ctx.processes.procRoot(), OnlineCpus.FILE);
				if (!"false".equals(System.getProperty(EngineConfig.PERSIST_HISTORY))) {
					sampler.persistIn(new HistoryFiles(ctx.config.configRoot().resolve(HISTORY)));
				}
				sampler.start();
			}
			return sampler;
		});
	}

	void close() {
		ops.engineWide(() -> {
			if (sampler != null) {
				sampler.close();
			}
			return null;
		});
	}

	// ---- commands ------------------------------------------------------------------------------------------

	ExecResult exec(String name, ExecRequest request) throws BerthException {
		List<String> argv = execArgs(name, request);
		RunDir run = ctx.runDir(name);
		Path in = null;
		Path out = null;
		Path err = null;
		try {
			out = Files.createTempFile(run.path(), "exec", ".out");
			err = Files.createTempFile(run.path(), "exec", ".err");
			// files, not pipes: a command that leaves children behind would keep a pipe open forever
			int code;
			if (request.stdin() != null) {
				// standard input to read: the helper runs it with a file of it (the monitor's service has none)
				in = Files.createTempFile(run.path(), "exec", ".in");
				Files.write(in, request.stdin());
				code = runToEnd(name, argv, Spawn.Stdio.from(in), Spawn.Stdio.file(out, false),
						Spawn.Stdio.file(err, false));
			} else {
				// the monitor runs it when it can (no helper process per command), else the helper does
				OptionalInt served = ExecService.run(run.path(), argv.subList(2, argv.size()), out, err);
				code = served.isPresent() ? served.getAsInt()
						: runToEnd(name, argv, Spawn.Stdio.NULL, Spawn.Stdio.file(out, false),
								Spawn.Stdio.file(err, false));
			}
			return new ExecResult(code, Files.readAllBytes(out), Files.readAllBytes(err));
		} catch (IOException e) {
			throw new BerthException("exec", name, "could not run a command in \"" + name + "\": "
					+ e.getMessage(), e);
		} finally {
			EngineContext.deleteQuietly(in);
			EngineContext.deleteQuietly(out);
			EngineContext.deleteQuietly(err);
		}
	}

	/**
	 * For the CLI: one command per JVM, where loading JNA (for {@link Spawn}) would cost more than the JDK's
	 * jspawnhelper saves, so this one goes through ProcessBuilder.
	 */
	/**
	 * Runs a command in the container with the caller's stdin, stdout and stderr; those that are a terminal go through
	 * pipes, so that the container's process never holds the invoking terminal (it could push input into it with
	 * TIOCSTI, or read it); the helper also puts the command in a new session, without a controlling terminal.
	 */
	int execInheritingIo(String name, ExecRequest request) throws BerthException {
		List<String> argv = execArgs(name, request);
		try {
			boolean[] tty = {LocalTty.isTerminal(0), LocalTty.isTerminal(1), LocalTty.isTerminal(2)};
			ProcessBuilder.Redirect pipe = ProcessBuilder.Redirect.PIPE;
			ProcessBuilder.Redirect inherit = ProcessBuilder.Redirect.INHERIT;
			Process p = new ProcessBuilder(argv).redirectInput(tty[0] ? pipe : inherit)
					.redirectOutput(tty[1] ? pipe : inherit).redirectError(tty[2] ? pipe : inherit).start();
			List<Thread> outputs = new ArrayList<>();
			if (tty[0]) {
				Thread in = pump(new FileInputStream(FileDescriptor.in), p.getOutputStream(), true);
				in.setDaemon(true); // it may stay blocked reading the terminal after the command ended
				in.start();
			}
			if (tty[1]) {
				outputs.add(pump(p.getInputStream(), new FileOutputStream(FileDescriptor.out), false));
			}
			if (tty[2]) {
				outputs.add(pump(p.getErrorStream(), new FileOutputStream(FileDescriptor.err), false));
			}
			outputs.forEach(Thread::start);
			int code = p.waitFor();
			for (Thread t : outputs) {
				t.join();
			}
			return code;
		} catch (IOException e) {
			throw new BerthException("exec", name, "could not run a command in \"" + name + "\": " + e.getMessage(),
					e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new BerthException("exec", name, "interrupted while running a command in \"" + name + "\"");
		}
	}

	/** {@link org.berth.core.ContainerEngine#openExec}: the helper runs the command with pipes to this process. */
	ExecSession openExec(String name, ExecRequest request) throws BerthException {
		List<String> argv = execArgs(name, request);
		try {
			return new PipedExec(Spawn.startStreamed(argv));
		} catch (SysException e) {
			throw new BerthException("exec", name, "could not run a command in \"" + name + "\": " + e.getMessage(),
					e);
		}
	}

	/** A thread copying {@code from} to {@code to} until EOF (then closing {@code to} when asked). */
	private static Thread pump(InputStream from, OutputStream to, boolean closeAtEnd) {
		return new Thread(() -> {
			byte[] buf = new byte[8192];
			try {
				int n;
				while ((n = from.read(buf)) >= 0) {
					to.write(buf, 0, n);
					to.flush();
				}
			} catch (IOException e) {
				// the other end went away: nothing more to copy
			} finally {
				if (closeAtEnd) {
					try {
						to.close();
					} catch (IOException e) {
						// already closed
					}
				}
			}
		}, "berth-exec-io");
	}

	/**
	 * Runs the helper straight from the JVM ({@link Spawn}) and waits for its end; an interrupt ends it.
	 *
	 * @return the exit code, or 128 + the signal that ended it
	 */
	private static int runToEnd(String name, List<String> argv, Spawn.Stdio in, Spawn.Stdio out, Spawn.Stdio err)
			throws SysException, BerthException {
		try (Spawn p = Spawn.start(argv, in, out, err)) {
			while (true) {
				OptionalInt code = p.waitFor(Duration.ofMillis(250));
				if (code.isPresent()) {
					return code.getAsInt();
				}
				if (Thread.interrupted()) {
					p.kill();
					p.waitFor(Reconciler.KILL_TIMEOUT);
					Thread.currentThread().interrupt();
					throw new BerthException("exec", name, "interrupted while running a command in \"" + name
							+ "\"");
				}
			}
		}
	}

	private List<String> execArgs(String name, ExecRequest request) throws BerthException {
		ContainerSnapshot snap = snapshots.require(name);
		StateMachine.transitional(name, snap.state(), Action.EXEC);
		RunDir.State state = ctx.requireRunning(snap);
		Group group = ctx.driver().open(state.cgroup());
		return HelperCommand.exec(ctx.helper(), state.initPid(), group.procsFiles(), snap.spec(), request.env(),
				request.cwd(), null, ctx.runDir(name).file(RunDir.NOTIFY_SOCKET), request.command());
	}

	// ---- terminals: the sessions live in internal.terminal; this only says where the container is ----------

	/** Where a terminal in the container is to be opened (its console: {@code console}). */
	TerminalTarget terminalTarget(String name, boolean console) throws BerthException {
		ContainerSnapshot snap = snapshots.require(name);
		if (console) {
			return consoleTarget(snap);
		}
		StateMachine.transitional(name, snap.state(), Action.EXEC);
		RunDir.State state = ctx.requireRunning(snap);
		return new TerminalTarget(name, ctx.helper(), state.initPid(), state.monitorPid(),
				ctx.driver().open(state.cgroup()).procsFiles(), List.copyOf(snap.spec().dropCapabilities()),
				consoleLog(name), snap.spec().seccomp());
	}

	/** Where a console is, in any state: the history, and what follows while it runs. */
	TerminalTarget consoleTarget(ContainerSnapshot snap) {
		String name = snap.name();
		return (snap.isActive() ? ctx.runDir(name).readState() : Optional.<RunDir.State>empty())
				.map(st -> new TerminalTarget(name, null, st.initPid(), st.monitorPid(), List.of(), List.of(),
						consoleLog(name)))
				.orElse(TerminalTarget.stopped(name, consoleLog(name)));
	}

	Path consoleLog(String name) {
		return ctx.runDir(name).file(RunDir.CONSOLE_LOG);
	}

	// ---- usage -------------------------------------------------------------------------------------------------

	/** One file read in the calling thread, or null when it cannot be told: {@code berth list} asks this. */
	Long memoryInUse(String name) {
		ContainerSnapshot snap = snapshots.peek(name);
		if (snap == null || !snap.isActive()) {
			return null;
		}
		try {
			Optional<RunDir.State> state = ctx.runDir(name).readState().filter(st -> st.initPid() == snap.initPid());
			long bytes = state.isEmpty() ? -1 : ctx.driver().open(state.get().cgroup()).memoryCurrent();
			return bytes < 0 ? null : Long.valueOf(bytes);
		} catch (IOException | BerthException e) {
			EngineLog.log(System.Logger.Level.DEBUG, "could not read the memory in use of \"" + name + "\": "
					+ e.getMessage());
			return null;
		}
	}

	Usage usage(String name) throws BerthException {
		ContainerSnapshot snap = snapshots.require(name);
		RunDir.State state = ctx.requireRunning(snap);
		try {
			CgroupStats s = ctx.driver().open(state.cgroup()).stats();
			return Sampler.usage(s, ctx.processes.procRoot(), snap.spec(), state.initPid(), Instant.now());
		} catch (IOException e) {
			throw EngineContext.translate("usage", name, e);
		}
	}
}
