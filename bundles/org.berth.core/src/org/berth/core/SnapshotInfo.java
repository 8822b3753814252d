package org.berth.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A saved copy of a container's root file system and spec, which the container can go back to or a new container
 * can start from. Not to be confused with {@link ContainerSnapshot}, the engine's picture of a container's state.
 *
 * @param container   the container it belongs to
 * @param name        its name, unique among the container's snapshots
 * @param created     when it was taken
 * @param sizeBytes   the bytes of its files (hard links once); shared blocks of a copy-on-write copy count too
 * @param copyOnWrite whether its files share blocks with the container's (reflinks), else a full copy
 * @param spec        the container's spec when it was taken
 */
public record SnapshotInfo(String container, String name, Instant created, long sizeBytes, boolean copyOnWrite,
		ContainerSpec spec) {

	public SnapshotInfo {
		Objects.requireNonNull(container, "container");
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(created, "created");
	}

	/** "NAME/SNAP", as the command line names it. */
	public String reference() {
		return container + "/" + name;
	}

	/** How it was copied, in a word for a table: "copy-on-write" or "copy". */
	public String kind() {
		return copyOnWrite ? "copy-on-write" : "copy";
	}
}
