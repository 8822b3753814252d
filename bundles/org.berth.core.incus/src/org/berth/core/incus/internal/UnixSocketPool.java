package org.berth.core.incus.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.client.Connection;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.DuplexConnectionPool;
import org.eclipse.jetty.client.transport.HttpDestination;

/**
 * The connections to incusd's Unix socket: one is opened only for a request that waits for it, and one that found no
 * request to carry is closed at once instead of kept.
 * <p>
 * incusd's Unix listener reads the first bytes of each connection it accepts before it accepts the next one (to tell
 * TLS from HTTP: {@code StarttlsListener.Accept} peeks, seen in its goroutines during a wait). A connection that has
 * sent nothing therefore stops incusd from accepting anyone on that socket. Jetty's own pool opens one connection more
 * than the requests waiting, as a spare, and a connection that arrives after another one took its request stays idle
 * in the pool until its idle timeout: Berth's commands then waited 30 to 60 s for an answer (3 of 12 start → exec →
 * kill cycles with 10 instances running, against none of 20 for the {@code incus} command). A connection that has
 * carried a request does no harm while it waits for the next one, and is kept.
 */
final class UnixSocketPool extends DuplexConnectionPool {

	private final HttpDestination destination;
	/** The connections that have not carried a request yet. */
	private final Set<Connection> fresh = ConcurrentHashMap.newKeySet();

	UnixSocketPool(Destination destination, int maxConnections) {
		super(destination, maxConnections);
		this.destination = (HttpDestination) destination;
	}

	@Override
	public Connection acquire(boolean create) {
		// false: a new connection only while more requests wait than connections are being opened; no spare
		return super.acquire(false);
	}

	@Override
	protected void onCreated(Connection connection) {
		fresh.add(connection);
	}

	@Override
	protected void onRemoved(Connection connection) {
		fresh.remove(connection);
	}

	/**
	 * After a new connection took the waiting requests: closes every new connection left without one. Only a
	 * connection taken from the pool first is closed, so that none is closed while another thread, which took it a
	 * moment earlier, sends a request on it (that request failed with an EOF: seen once in CI). The idle connections
	 * are taken one after the other; those that stay go back, and the requests queued meanwhile are sent.
	 */
	@Override
	protected void proceed() {
		super.proceed();
		if (fresh.isEmpty()) {
			return;
		}
		List<Connection> kept = new ArrayList<>();
		boolean changed = false;
		for (Connection c = activate(); c != null; c = activate()) {
			if (!fresh.contains(c)) {
				kept.add(c);
			} else if (sent(c)) {
				fresh.remove(c);
				kept.add(c);
			} else {
				remove(c);
				c.close();
				changed = true;
			}
		}
		for (Connection c : kept) {
			if (!super.release(c)) {
				c.close();
			}
			changed = true;
		}
		if (changed) {
			destination.send(); // a request queued meanwhile gets a connection
		}
	}

	/** A connection given nothing to send (its request went to another one) is closed, not kept. */
	@Override
	public boolean release(Connection connection) {
		if (!sent(connection)) {
			remove(connection);
			return false; // the destination closes it
		}
		fresh.remove(connection);
		return super.release(connection);
	}

	private static boolean sent(Connection c) {
		return c instanceof org.eclipse.jetty.io.Connection io && io.getBytesOut() > 0;
	}
}
