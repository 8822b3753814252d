package org.berth.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.berth.core.ContainerEngine;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * The agent: the engine behind an HTTP/1.1 + JSON API on a Unix socket (see docs/API.md). The socket is owned by root
 * and the agent's group, mode 0660; each request's peer is checked besides (see {@link Peers}). Stopping the agent
 * leaves the containers running.
 */
public final class Agent implements AutoCloseable {

	/**
	 * Where and how the agent listens.
	 *
	 * @param socket      the Unix socket
	 * @param group       the group whose members may use the agent
	 * @param auditLog    the audit trail
	 * @param idleTimeout how long a connection may stay silent (slow and half-open clients are dropped after it)
	 * @param etc         where {@code passwd} and {@code group} are read ({@code /etc}; tests give their own)
	 * @param inherited   listen on the socket this process was given as standard input (systemd's
	 *                    {@code StandardInput=socket} with {@code berth.socket}) instead of making one at
	 *                    {@code socket}, which then only names it; the socket's owner (systemd) keeps its file
	 */
	public record Config(Path socket, String group, Path auditLog, Duration idleTimeout, Path etc, boolean inherited) {

		public static Config defaults() {
			return new Config(Path.of("/run/berth/berth.sock"), "berth", Path.of("/var/log/berth/audit.jsonl"),
					Duration.ofSeconds(30), Path.of("/etc"), false);
		}

		public Config withSocket(Path path) {
			return new Config(path, group, auditLog, idleTimeout, etc, inherited);
		}

		public Config withGroup(String name) {
			return new Config(socket, name, auditLog, idleTimeout, etc, inherited);
		}

		public Config withAuditLog(Path path) {
			return new Config(socket, group, path, idleTimeout, etc, inherited);
		}

		public Config withIdleTimeout(Duration timeout) {
			return new Config(socket, group, auditLog, timeout, etc, inherited);
		}

		public Config withEtc(Path path) {
			return new Config(socket, group, auditLog, idleTimeout, path, inherited);
		}

		public Config withInherited(boolean on) {
			return new Config(socket, group, auditLog, idleTimeout, etc, on);
		}
	}

	/** The API version in every path. */
	public static final String VERSION = "0.1.0";

	private final Config config;
	private final Server server;
	private final ApiHandler api;

	private Agent(Config config, ContainerEngine engine) {
		this.config = config;
		QueuedThreadPool threads = new QueuedThreadPool(256, 4, (int) Duration.ofSeconds(5).toMillis());
		threads.setName("berth-agent");
		// after a burst the extra threads go within one idle timeout, not one a timeout
		threads.setMaxEvictCount(256);
		// No buffer pool: under 2000 malformed, truncated and oversized requests from 16 clients at once, Jetty
		// 12.1.14's pooled buffers sometimes answered one client with another's bytes (a response whose headers were
		// the x's of another client's 20000-character path, or no answer at all): measured in AgentTest, 2 failing
		// runs of 4 with the pool, 0 of 4 without. An agent serves a handful of local clients; a fresh buffer per
		// request costs nothing here and keeps one client's bytes out of another's answer.
		server = new Server(threads, null, new ByteBufferPool.NonPooling());
		server.setStopTimeout(2000);
		UnixDomainServerConnector connector = new UnixDomainServerConnector(server);
		if (config.inherited()) {
			// Jetty removes its path when it stops: a name that is never there, so that the inherited socket's file
			// (systemd's) stays for the next agent
			connector.setInheritChannel(true);
			connector.setUnixDomainPath(config.socket().resolveSibling(".inherited-" + config.socket().getFileName()));
		} else {
			connector.setUnixDomainPath(config.socket());
		}
		connector.setIdleTimeout(config.idleTimeout().toMillis());
		connector.setAcceptQueueSize(256);
		server.addConnector(connector);
		Peers peers = new Peers(config.group(), config.etc());
		Audit audit = new Audit(config.auditLog(), 10L << 20);
		api = new ApiHandler(engine, peers, audit);
		WebSocketUpgradeHandler ws = new WebSocketUpgradeHandler();
		api.addSockets(ws);
		ws.setHandler(api);
		server.setHandler(new Gate(peers, audit, ws));
		server.setErrorHandler(ApiHandler::error);
	}

	/**
	 * Starts an agent for {@code engine} on {@code config.socket()}: makes its folder, replaces a socket a dead agent
	 * left, and gives the new one to root and the group, mode 0660.
	 *
	 * @throws IOException when another agent answers there, or the socket cannot be made
	 */
	public static Agent start(Config config, ContainerEngine engine) throws Exception {
		if (config.inherited()) {
			if (!(System.inheritedChannel() instanceof java.nio.channels.ServerSocketChannel listening)
					|| !(listening.getLocalAddress() instanceof java.net.UnixDomainSocketAddress)) {
				throw new IOException("--inherit-socket: standard input is not a listening Unix socket (systemd gives"
						+ " one with berth.socket and StandardInput=socket)");
			}
			Agent agent = new Agent(config, engine);
			agent.server.start(); // the socket's owner has set its mode and group
			return agent;
		}
		Path socket = config.socket();
		Files.createDirectories(socket.getParent());
		if (Files.exists(socket)) {
			if (answers(socket)) {
				throw new IOException("An agent already listens on " + socket + ".");
			}
			Files.delete(socket);
		}
		Agent agent = new Agent(config, engine);
		agent.server.start();
		try {
			agent.protect();
		} catch (IOException | RuntimeException e) {
			agent.close();
			throw e;
		}
		return agent;
	}

	private void protect() throws IOException {
		Path socket = config.socket();
		PosixFileAttributeView view = Files.getFileAttributeView(socket, PosixFileAttributeView.class);
		Peers peers = new Peers(config.group(), config.etc());
		if (peers.groupId() >= 0) {
			GroupPrincipal group = socket.getFileSystem().getUserPrincipalLookupService()
					.lookupPrincipalByGroupName(config.group());
			view.setGroup(group);
		}
		view.setPermissions(PosixFilePermissions.fromString("rw-rw----"));
	}

	private static boolean answers(Path socket) {
		try (var channel = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
			return true;
		} catch (IOException e) {
			return false;
		}
	}

	public Path socket() {
		return config.socket();
	}

	/** Stops listening and ends open streams; the engine stays open (its owner closes it). */
	@Override
	public void close() {
		try {
			api.close();
			server.stop();
		} catch (Exception e) {
			System.err.println("berth-agent: stopping: " + e.getMessage());
		} finally {
			try {
				if (!config.inherited()) {
					Files.deleteIfExists(config.socket());
				}
			} catch (IOException e) {
				// gone with its folder
			}
		}
	}

	/** Blocks until the server has stopped. */
	public void join() throws InterruptedException {
		server.join();
	}
}
