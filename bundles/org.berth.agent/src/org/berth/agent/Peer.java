package org.berth.agent;

/**
 * The process at the other end of a connection, as the kernel saw it when it connected (SO_PEERCRED).
 *
 * @param pid     its process id; -1 when not known
 * @param uid     its effective user id
 * @param gid     its effective group id
 * @param user    the user's name, or the uid as text when it has none
 * @param allowed whether it may use the agent (root, or a member of the agent's group)
 */
record Peer(long pid, long uid, long gid, String user, boolean allowed) {

	/** The sentence a refused peer gets. */
	String refusal(String group) {
		return user + " (uid " + uid + ") is not in group " + group + ": ask an administrator to run `usermod -aG "
				+ group + " " + user + "`, then log in again.";
	}
}
