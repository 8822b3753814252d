package org.berth.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.berth.core.BerthException;
import org.berth.core.remote.Remote;

/**
 * The user's own ssh, forwarding a Unix socket of this process's (in a new folder of the user's alone, mode 0700) to
 * the agent's socket on another host: {@code ssh -N -L LOCAL:REMOTE}. It reads the user's ssh configuration, agent
 * and known hosts, and never asks ({@code BatchMode}: a host key it does not know or a key with a pass phrase that no
 * agent holds is a sentence, not a prompt). {@link #close} ends it by its PID and removes the folder; so does the JVM's
 * exit.
 */
final class SshTunnel implements AutoCloseable {

	private static final Duration READY = Duration.ofSeconds(30);

	private final Remote remote;
	private final Path dir;
	private final Path local;
	private final Path log;
	private final Process ssh;
	private final Thread hook;
	private final boolean ownsDir;

	private SshTunnel(Remote remote, Path dir, Process ssh, boolean ownsDir) {
		this.remote = remote;
		this.dir = dir;
		this.ownsDir = ownsDir;
		this.local = dir.resolve("agent.sock");
		this.log = dir.resolve("ssh.log");
		this.ssh = ssh;
		this.hook = Thread.ofPlatform().unstarted(this::end);
	}

	/** ssh's command line for {@code remote}: {@code ssh} is the command and its own options (e.g. {@code -F FILE}). */
	static List<String> command(List<String> ssh, Remote remote, Path local) {
		List<String> argv = new ArrayList<>(ssh);
		argv.addAll(List.of("-o", "BatchMode=yes", "-o", "ExitOnForwardFailure=yes", "-o", "ServerAliveInterval=15",
				"-o", "ServerAliveCountMax=4", "-o", "StreamLocalBindMask=0177", "-o", "StreamLocalBindUnlink=yes"));
		if (remote.ssh().port() != 0) {
			argv.addAll(List.of("-p", Integer.toString(remote.ssh().port())));
		}
		argv.addAll(List.of("-N", "-L", local + ":" + remote.socket(), "--", remote.ssh().destination()));
		return argv;
	}

	/** Starts ssh and waits until the forwarded socket is there, or says why ssh ended first. */
	static SshTunnel open(Remote remote, List<String> ssh) throws BerthException {
		return open(remote, ssh, newFolder(remote), true);
	}

	/** A new folder of the user's alone (rwx------) for a tunnel's socket and ssh's log. */
	static Path newFolder(Remote remote) throws BerthException {
		try {
			return Files.createTempDirectory("berth-remote-"); // rwx------
		} catch (IOException e) {
			throw new BerthException("connect", remote.name(), "cannot make a folder for the ssh connection: "
					+ e.getMessage(), e);
		}
	}

	/**
	 * As {@link #open(Remote, List)}, in a folder {@code dir} of the caller's ({@link #newFolder}), which {@link #close}
	 * then leaves (emptied) unless {@code ownsDir}: a tunnel started again there forwards the same local socket, so an
	 * {@link AgentEngine#open} on it reconnects by itself.
	 */
	static SshTunnel open(Remote remote, List<String> ssh, Path dir, boolean ownsDir) throws BerthException {
		Path local = dir.resolve("agent.sock");
		try {
			Files.deleteIfExists(local); // a socket of an ssh before must not pass for this one's
		} catch (IOException e) {
			throw new BerthException("connect", remote.name(), "cannot remove the old socket " + local + ": "
					+ e.getMessage(), e);
		}
		Process process;
		try {
			process = new ProcessBuilder(command(ssh, remote, local)).redirectErrorStream(true)
					.redirectOutput(dir.resolve("ssh.log").toFile())
					.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
		} catch (IOException e) {
			if (ownsDir) {
				deleteQuietly(dir);
			}
			throw new BerthException("connect", remote.name(), "cannot run " + ssh.get(0) + " to reach "
					+ remote.ssh() + ": " + e.getMessage() + " (install OpenSSH's client)", e);
		}
		SshTunnel tunnel = new SshTunnel(remote, dir, process, ownsDir);
		Runtime.getRuntime().addShutdownHook(tunnel.hook);
		long deadline = System.nanoTime() + READY.toNanos();
		try {
			while (!Files.exists(local)) {
				if (process.waitFor(20, TimeUnit.MILLISECONDS)) {
					String why = tunnel.sshSaid();
					tunnel.close();
					throw new BerthException("connect", remote.name(), "cannot reach " + remote.ssh() + ": "
							+ (why.isEmpty() ? "ssh ended with status " + process.exitValue() : why));
				}
				if (System.nanoTime() > deadline) {
					tunnel.close();
					throw new BerthException("connect", remote.name(), "cannot reach " + remote.ssh() + ": ssh did"
							+ " not connect within " + READY.toSeconds() + " s");
				}
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			tunnel.close();
			throw new BerthException("connect", remote.name(), "interrupted while connecting to " + remote.ssh());
		}
		return tunnel;
	}

	/** The local end: a Unix socket that reaches the remote agent. */
	Path socket() {
		return local;
	}

	boolean isAlive() {
		return ssh.isAlive();
	}

	/** Waits until ssh ends (the connection dropped, or {@link #close}). */
	void awaitEnd() throws InterruptedException {
		ssh.waitFor();
	}

	/** What ssh printed, its last lines without its "Warning: Permanently added" chatter, as one sentence. */
	String sshSaid() {
		try {
			List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream().map(String::strip)
					.filter(l -> !l.isEmpty() && !l.startsWith("Warning: Permanently added")).toList();
			return String.join("; ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
		} catch (IOException e) {
			return "";
		}
	}

	/**
	 * Why the agent did not answer through a tunnel that runs: ssh's words for the connection it could not make
	 * there ({@code connect failed: No such file or directory}), if it printed any.
	 */
	String whyNoAgent() {
		String said = sshSaid();
		return said.isEmpty() ? "" : " (ssh: " + said + ")";
	}

	Remote remote() {
		return remote;
	}

	@Override
	public void close() {
		end();
		try {
			Runtime.getRuntime().removeShutdownHook(hook);
		} catch (IllegalStateException e) {
			// the JVM is shutting down: the hook runs, or ran, end()
		}
	}

	private void end() {
		if (ssh.isAlive()) {
			ssh.destroy(); // SIGTERM to the ssh we started
			try {
				if (!ssh.waitFor(10, TimeUnit.SECONDS)) {
					ssh.destroyForcibly();
				}
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
		if (ownsDir) {
			deleteQuietly(dir);
		} else {
			emptyQuietly(dir);
		}
	}

	static void deleteQuietly(Path dir) {
		emptyQuietly(dir);
		try {
			Files.deleteIfExists(dir);
		} catch (IOException e) {
			// a temp folder left; nothing else depends on it
		}
	}

	private static void emptyQuietly(Path dir) {
		try (var entries = Files.list(dir)) {
			for (Path p : entries.toList()) {
				Files.deleteIfExists(p);
			}
		} catch (IOException e) {
			// a temp folder left; nothing else depends on it
		}
	}
}
