package org.berth.client.inventory;

import java.util.List;

import org.berth.core.ContainerEngine;

/**
 * One connection of the console's inventory: an engine and what the user calls it. The local one ({@link #LOCAL})
 * keeps its containers' names; the containers of any other are named {@code NAME:container}, as the command line
 * names them. Any {@link ContainerEngine} can be one: the local agent, another Berth host over ssh, an Incus server.
 */
public interface Connection extends AutoCloseable {

	/** The name of the connection to this host's engine, whose containers keep their own names. */
	String LOCAL = "local";

	/** {@link #LOCAL}, or a remote's name ({@code org.berth.core.remote.Remote#NAME}). */
	String name();

	/** Where it goes, as the user reads it: {@code ssh://root@host2}, {@code unix:///run/berth/berth.sock}. */
	String url();

	/** The engine; while the connection is away it holds the containers it last knew (or none). */
	ContainerEngine engine();

	/**
	 * Null while the engine answers; otherwise why not, as a sentence that says what happens next (it keeps trying).
	 * Non-blocking.
	 */
	String problem();

	/** Ends the connection: its engine, and whatever reaches it (an ssh). Containers go on. */
	@Override
	void close();

	/**
	 * A connection to an engine that says for itself whether it is connected: its {@link ContainerEngine#connection()}
	 * ends with "not connected" while it is away (as the agent's client's does), and its first
	 * {@link ContainerEngine#limitations()} then says why.
	 */
	static Connection of(String name, String url, ContainerEngine engine) {
		return of(name, url, engine, true);
	}

	/** As {@link #of(String, String, ContainerEngine)}, for an engine someone else closes: {@link #close} leaves it. */
	static Connection borrowing(String name, String url, ContainerEngine engine) {
		return of(name, url, engine, false);
	}

	private static Connection of(String name, String url, ContainerEngine engine, boolean owned) {
		return new Connection() {
			@Override
			public String name() {
				return name;
			}

			@Override
			public String url() {
				return url;
			}

			@Override
			public ContainerEngine engine() {
				return engine;
			}

			@Override
			public String problem() {
				if (!engine.connection().endsWith("not connected")) {
					return null;
				}
				List<String> why = engine.limitations();
				return why.isEmpty() ? engine.connection() : why.get(0);
			}

			@Override
			public void close() {
				if (owned) {
					engine.close();
				}
			}

			@Override
			public String toString() {
				return name + " (" + url + ")";
			}
		};
	}
}
