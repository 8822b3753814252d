package org.berth.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

import org.berth.client.RemoteAgents;
import org.berth.core.BerthException;
import org.berth.core.ContainerEngine;
import org.berth.core.remote.Remote;
import org.berth.core.remote.Remotes;

/**
 * What every command of one {@code berth} run shares: the output streams, the engine (opened on first use, so that
 * help, version and usage errors need neither root nor an engine) and the error printer.
 */
final class Context implements AutoCloseable {

	/** Exit code of a failed command. */
	static final int FAILURE = 1;

	/** Exit code of a command line that could not be understood (picocli's default too). */
	static final int USAGE = 2;

	final PrintStream out;
	final PrintStream err;
	private final Function<Collection<String>, ? extends ContainerEngine> opener;
	private final boolean debug;
	private ContainerEngine engine;
	private String remote;
	private Function<String, ? extends ContainerEngine> remoteOpener = Context::openRemote;

	Context(PrintStream out, PrintStream err, Supplier<? extends ContainerEngine> engineSupplier, boolean debug) {
		this(out, err, only -> engineSupplier.get(), debug);
	}

	/**
	 * @param opener opens the engine with only the named containers, or with all of them for {@code null}
	 */
	Context(PrintStream out, PrintStream err, Function<Collection<String>, ? extends ContainerEngine> opener,
			boolean debug) {
		this.out = out;
		this.err = err;
		this.opener = opener;
		this.debug = debug;
	}

	/** The engine, opened on first use. A failure to open it is thrown as it came (see {@link #unwrap}). */
	ContainerEngine engine() {
		return open(null);
	}

	/**
	 * The engine with only these containers loaded, for a command about them alone (exec, attach, console, stats,
	 * stop, kill, freeze, thaw): its cost does not grow with the containers on the host. A command uses this or
	 * {@link #engine()}, not both.
	 */
	ContainerEngine engineFor(Collection<String> names) {
		return open(names);
	}

	/**
	 * Makes this command talk to the agent of the remote of that name ({@code --remote NAME} or {@code NAME:container});
	 * a second, other name is a usage error.
	 */
	void useRemote(String name) {
		if (remote != null && !remote.equals(name)) {
			throw new IllegalArgumentException("one command talks to one host: " + remote + " or " + name + "?");
		}
		remote = name;
	}

	/** The remote this command talks to, or null for this host. */
	String remote() {
		return remote;
	}

	/** For tests: how a remote's engine is opened (by its name). */
	void remoteOpener(Function<String, ? extends ContainerEngine> opener) {
		this.remoteOpener = opener;
	}

	private static ContainerEngine openRemote(String name) {
		try {
			Remotes remotes = Remotes.ofUser();
			Remote remote = remotes.get(name);
			if (remote.kind() == Remote.Kind.INCUS) {
				return IncusRemotes.connect(remote, remotes);
			}
			return RemoteAgents.connectOnce(remote, sshCommand());
		} catch (BerthException e) {
			throw new UncheckedBerthException(e);
		}
	}

	/** Whether this process's file descriptor {@code fd} (0, 1, 2) is a terminal. */
	static boolean isTerminal(int fd) {
		try {
			String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
			return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
		} catch (IOException | UnsupportedOperationException e) {
			return false;
		}
	}

	/** The ssh command ({@link Remotes#sshCommand()}), a BERTH_SSH that is not one as a failure with its sentence. */
	static List<String> sshCommand() throws BerthException {
		try {
			return Remotes.sshCommand();
		} catch (IllegalArgumentException e) {
			throw new BerthException(e.getMessage());
		}
	}

	private ContainerEngine open(Collection<String> only) {
		if (engine == null) {
			ContainerEngine opened = remote != null ? remoteOpener.apply(remote) : opener.apply(only);
			if (opened == null) {
				throw new IllegalStateException("no engine is available");
			}
			engine = opened;
		}
		return engine;
	}

	/**
	 * Waits for an engine operation and gives back its result, or throws the {@link BerthException} it failed with
	 * (unwrapped from {@link CompletionException}).
	 */
	static <T> T await(CompletableFuture<T> future) throws BerthException {
		try {
			return future.join();
		} catch (CompletionException | CancellationException e) {
			Throwable cause = unwrap(e);
			if (cause instanceof BerthException be) {
				throw be;
			}
			if (cause instanceof RuntimeException re) {
				throw re;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw new BerthException(null, null, Errors.describe(cause), cause);
		}
	}

	/**
	 * The failure inside wrappers: CompletionException, ExecutionException, and unchecked exceptions that only carry
	 * a {@link BerthException} (e.g. from an engine supplier, which cannot throw checked exceptions).
	 */
	static Throwable unwrap(Throwable t) {
		Throwable current = t;
		for (int depth = 0; depth < 16 && current.getCause() != null; depth++) {
			boolean wrapper = current instanceof CompletionException || current instanceof ExecutionException
					|| current instanceof UncheckedBerthException
					|| (current instanceof RuntimeException && current.getCause() instanceof BerthException
							&& !(current instanceof IllegalArgumentException));
			if (!wrapper) {
				break;
			}
			current = current.getCause();
		}
		return current;
	}

	/** Prints a sentence (each of its lines) on stderr, prefixed "berth: ". */
	void error(String message) {
		for (String line : message.split("\n")) {
			if (!line.isBlank()) {
				err.println("berth: " + line);
			}
		}
	}

	/** Prints why {@code failure} happened as sentences on stderr; the stack trace only with BERTH_DEBUG=1. */
	void error(Throwable failure) {
		error(null, failure);
	}

	/**
	 * Like {@link #error(Throwable)} for one of several containers: the name is put in front when the sentence does
	 * not already mention it.
	 */
	void error(String container, Throwable failure) {
		error(container, Errors.describe(unwrap(failure)), failure);
	}

	/** Prints {@code message} about {@code container} (see {@link #error(String, Throwable)}). */
	void error(String container, String message, Throwable failure) {
		String text = message;
		if (container != null && !text.contains("\"" + container + "\"")) {
			text = container + ": " + text;
		}
		error(text);
		if (debug && failure != null) {
			failure.printStackTrace(err);
		}
	}

	/** Flushes the streams and closes the engine if it was opened. */
	@Override
	public void close() {
		out.flush();
		err.flush();
		if (engine != null) {
			try {
				engine.close();
			} catch (RuntimeException e) {
				error(e);
			}
		}
	}
}
