package org.berth.core;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a running container's namespace actually is, found from the inode of {@code /proc/PID/ns/TYPE}.
 *
 * @param type       the namespace type
 * @param inode      the inode number of the namespace
 * @param actualMode HOST when the inode is the host's, SHARE when it is another container's, else NEW
 * @param sharedWith with SHARE, the other container's name; else null
 */
public record NamespaceIdentity(NamespaceType type, long inode, NamespaceMode actualMode, String sharedWith) {

	public NamespaceIdentity {
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(actualMode, "actualMode");
		if ((actualMode == NamespaceMode.SHARE) != (sharedWith != null)) {
			throw new IllegalArgumentException("sharedWith names a container exactly when the mode is SHARE");
		}
	}

	/**
	 * Classifies a namespace by its inode.
	 *
	 * @param type        the namespace type
	 * @param inode       this container's inode for it
	 * @param hostInode   the host's inode for it (of PID 1 or the engine's own process)
	 * @param otherInodes the inodes of the same type of the other running containers, by name; when several match,
	 *                    the first name in alphabetical order is taken
	 */
	public static NamespaceIdentity classify(NamespaceType type, long inode, long hostInode,
			Map<String, Long> otherInodes) {
		if (inode == hostInode) {
			return new NamespaceIdentity(type, inode, NamespaceMode.HOST, null);
		}
		// in name order; one or no other (what the engine passes) needs no sorted copy
		Map<String, Long> others = otherInodes.size() <= 1 ? otherInodes : new TreeMap<>(otherInodes);
		for (Map.Entry<String, Long> e : others.entrySet()) {
			if (e.getValue() != null && e.getValue() == inode) {
				return new NamespaceIdentity(type, inode, NamespaceMode.SHARE, e.getKey());
			}
		}
		return new NamespaceIdentity(type, inode, NamespaceMode.NEW, null);
	}
}
