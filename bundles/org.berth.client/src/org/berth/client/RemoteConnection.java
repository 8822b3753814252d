package org.berth.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.berth.client.inventory.Connection;
import org.berth.core.BerthException;
import org.berth.core.ContainerEngine;
import org.berth.core.remote.Remote;

/**
 * The console's connection to another Berth host that keeps itself up: the user's ssh forwards one local socket (in a
 * folder of its own, for as long as the connection lives) to the agent's there, and an {@link AgentEngine#open} on
 * that socket reconnects by itself. When ssh ends (the network dropped, the host rebooted) it is started again after
 * 1 s, then 2, 4, … up to {@link #BACKOFF_MAX} while it keeps failing; a tunnel that lived a while starts the count
 * again. {@link #problem()} says what is wrong in the user's words meanwhile.
 */
final class RemoteConnection implements Connection {

	static final Duration BACKOFF_MIN = Duration.ofSeconds(1);
	static final Duration BACKOFF_MAX = Duration.ofSeconds(30);

	private final Remote remote;
	private final List<String> ssh;
	private final Path dir;
	private final AgentEngine engine;
	private final Thread keeper;
	private final Object lock = new Object();
	private volatile SshTunnel tunnel;
	private volatile String sshProblem;
	private volatile boolean closed;

	RemoteConnection(Remote remote, List<String> ssh) throws BerthException {
		this.remote = remote;
		this.ssh = List.copyOf(ssh);
		this.dir = SshTunnel.newFolder(remote);
		this.sshProblem = "connecting to " + remote.ssh() + "…";
		this.engine = AgentEngine.open(dir.resolve("agent.sock"));
		this.keeper = Thread.ofPlatform().daemon().name("berth-ssh-" + remote.name()).start(this::keep);
	}

	/** Starts ssh, waits for it to end, and starts it again after the back-off, until {@link #close}. */
	private void keep() {
		long backoff = BACKOFF_MIN.toMillis();
		while (!closed) {
			long started = System.nanoTime();
			try {
				SshTunnel t = SshTunnel.open(remote, ssh, dir, false);
				synchronized (lock) {
					if (closed) {
						t.close();
						return;
					}
					tunnel = t;
				}
				sshProblem = null;
				t.awaitEnd();
				String said = t.sshSaid();
				sshProblem = "the ssh connection to " + remote.ssh() + " ended" + (said.isEmpty() ? "" : ": " + said);
				t.close();
			} catch (BerthException e) {
				sshProblem = e.getMessage();
			} catch (InterruptedException e) {
				return;
			}
			if (closed) {
				return;
			}
			if (System.nanoTime() - started > BACKOFF_MAX.toNanos()) {
				backoff = BACKOFF_MIN.toMillis(); // it lived a while: a new drop, not the same one again
			}
			sshProblem = sshProblem + "; trying again in " + Math.max(1, backoff / 1000) + " s";
			synchronized (lock) {
				try {
					if (!closed) {
						lock.wait(backoff);
					}
				} catch (InterruptedException e) {
					return;
				}
			}
			backoff = Math.min(BACKOFF_MAX.toMillis(), backoff * 2);
		}
	}

	@Override
	public String name() {
		return remote.name();
	}

	@Override
	public String url() {
		return remote.url();
	}

	@Override
	public ContainerEngine engine() {
		return engine;
	}

	Remote remote() {
		return remote;
	}

	@Override
	public String problem() {
		String p = sshProblem;
		if (p != null) {
			return p;
		}
		if (engine.isConnected()) {
			return null;
		}
		SshTunnel t = tunnel;
		List<String> why = engine.limitations();
		String agent = why.isEmpty() ? "" : why.get(0);
		if (agent.isEmpty() || agent.startsWith("Connecting")) {
			return "connecting to the Berth agent at " + remote.socket() + " on " + remote.ssh() + "…";
		}
		if (agent.startsWith("No Berth agent answers")) {
			return "no Berth agent answers at " + remote.socket() + " on " + remote.ssh() + (t == null ? ""
					: t.whyNoAgent()) + "; trying again";
		}
		return "the agent on " + remote.ssh() + " says: " + agent; // e.g. it does not serve this user there
	}

	@Override
	public void close() {
		synchronized (lock) {
			closed = true;
			lock.notifyAll();
		}
		keeper.interrupt();
		engine.close();
		SshTunnel t = tunnel;
		if (t != null) {
			t.close();
		}
		SshTunnel.deleteQuietly(dir);
	}

	@Override
	public String toString() {
		return remote.toString();
	}
}
