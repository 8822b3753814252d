package org.berth.client.inventory;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.berth.core.BerthException;
import org.berth.core.ImageInfo;
import org.berth.core.SpecValidator;
import org.berth.core.remote.Remote;

/**
 * The connections of the console's one inventory, for the views that show them (the Host column, the Connections
 * view): which connections there are and how they are, which one a container belongs to, and adding and removing
 * remotes. Offered as an OSGi service next to the inventory's {@link org.berth.core.ContainerEngine}. Everything here
 * but {@link #addRemote} and {@link #removeRemote} is non-blocking.
 */
public interface Connections {

	/**
	 * How a connection is now.
	 *
	 * @param name    {@link Connection#LOCAL} or the remote's name
	 * @param url     where it goes
	 * @param problem null while connected; else why not, and that it keeps trying
	 * @param remote  whether it is one of the user's remotes (which {@link #removeRemote} may remove)
	 */
	record State(String name, String url, String problem, boolean remote) {
		public boolean connected() {
			return problem == null;
		}
	}

	/** Every connection, the local one first, then the remotes by name. */
	List<State> connections();

	/** The name of the connection container {@code name} belongs to ({@code h2} for {@code h2:web}); null for none. */
	String hostOf(String name);

	/** Whether container {@code name} belongs to a connection that is away (it shows what it last knew). */
	boolean isAway(String name);

	/**
	 * The templates of connection {@code host}'s engine, as it last knew them (an Incus server's are its image
	 * aliases); empty when there is no such connection. Non-blocking.
	 */
	Set<String> templates(String host);

	/**
	 * The images of connection {@code host}'s engine. Fails with an {@link UnsupportedOperationException} when that
	 * engine keeps none, and with a {@link BerthException} when there is no such connection or it is away.
	 */
	CompletableFuture<List<ImageInfo>> images(String host);

	/**
	 * What the validator needs to know about a new container on connection {@code host}: the other containers of
	 * every connection as the inventory names them (a share names {@code h2:db}), the templates and CPUs of
	 * {@code host}'s engine (none when there is no such connection). Validate the spec under its bare name
	 * ({@code web}, not {@code h2:web}). Non-blocking.
	 */
	SpecValidator.ValidationContext validationContext(String host);

	/** Container {@code name} of connection {@code host} as the inventory names it: {@code h2:web}, or {@code web}. */
	static String nameOn(String host, String name) {
		return host == null || host.equals(Connection.LOCAL) ? name : host + ":" + name;
	}

	/**
	 * Saves {@code remote} among the user's remotes and connects to it (the connection then keeps itself up). An Incus
	 * server over HTTPS (its certificate pinned in {@code remote} once the user confirmed it) is contacted first: the
	 * user's client certificate is made when there is none and enrolled with {@code token} when one is given, and the
	 * server must answer as trusting it. Refused with a sentence when its name is taken (by a remote, or
	 * {@link Connection#LOCAL}), that first contact fails, or the remotes file cannot be written; nothing is saved
	 * then. Blocks on the file and the network: call from a job.
	 *
	 * @param token a trust token made on an Incus server ({@code incus config trust add NAME}); null for none
	 */
	void addRemote(Remote remote, String token) throws BerthException;

	/**
	 * Changes remote {@code name} into {@code remote} (another URL, another name, or both): checked and first
	 * contacted as {@link #addRemote} does (an Incus server over HTTPS again when its URL changed or a token is given),
	 * saved, and connected anew; the old connection ends once the new one is made. Refused with a sentence when
	 * {@code name} is no remote, the new name is taken, or the first contact fails; nothing changes then. Call from a
	 * job.
	 */
	void editRemote(String name, Remote remote, String token) throws BerthException;

	/** The user's remote of that name as saved (with its pinned certificate); empty when none. Reads the file. */
	Optional<Remote> remote(String name);

	/** Ends the connection to remote {@code name} and removes it from the user's remotes. Call from a job. */
	void removeRemote(String name) throws BerthException;

	/** {@code listener} runs (on a thread of the inventory's) when a connection comes, goes, drops or comes back. */
	void addConnectionListener(Runnable listener);

	void removeConnectionListener(Runnable listener);
}
