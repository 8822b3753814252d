package org.berth.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a client (the {@code berth} command, the console) goes through the Berth agent, and to which socket. A user
 * other than root does: only the agent may change containers for them (and it lets in only root and the members of its
 * group). Root opens the engine in its own process, which is faster and needs no agent, unless BERTH_AGENT=1 asks for
 * the agent (so that changes are audited and made by the one process that owns the containers); BERTH_AGENT=0 keeps a
 * user other than root on the engine in its own process (which can then show what it may, and says why not more).
 * BERTH_SOCKET names another socket. Root's {@code berth} starts an agent in the background when none answers (unless
 * BERTH_AGENT=0), so that the console of users in group berth, autostart and the graphs' history have one.
 *
 * @param useAgent   whether to connect to the agent
 * @param socket     the agent's socket
 * @param startAgent whether a command line should start an agent when none answers (root's, unless BERTH_AGENT=0)
 */
public record AgentChoice(boolean useAgent, Path socket, boolean startAgent) {

	/** Where the agent listens unless BERTH_SOCKET says otherwise. */
	public static final Path DEFAULT_SOCKET = Path.of("/run/berth/berth.sock");

	public static AgentChoice fromEnvironment() {
		return decide(uid(), System.getenv("BERTH_AGENT"), System.getenv("BERTH_SOCKET"));
	}

	/** The choice for a user id and the values of BERTH_AGENT and BERTH_SOCKET (null when unset). */
	public static AgentChoice decide(long uid, String agent, String socket) {
		Path path = socket == null || socket.isBlank() ? DEFAULT_SOCKET : Path.of(socket);
		boolean off = "0".equals(agent);
		boolean wanted = "1".equals(agent) || (uid != 0 && !off);
		return new AgentChoice(wanted, path, uid == 0 && !off);
	}

	/** This process's user id; -1 when /proc cannot tell (then the agent is used, which checks for itself). */
	private static long uid() {
		try {
			return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
		} catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
			return -1;
		}
	}
}
