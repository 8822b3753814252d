package org.berth.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A checkpoint of a running container: CRIU's images of its processes (memory, open files, pipes, sockets, the
 * console) and the spec it ran with, from which {@link ContainerEngine#restoreCheckpoint} resumes it. Not a
 * {@link SnapshotInfo} (a copy of the root file system): a checkpoint holds no files of the root file system, which
 * must be as it was when the checkpoint was taken.
 *
 * @param container      the container it belongs to
 * @param name           its name, unique among the container's checkpoints ({@value #STATEFUL} for a stateful stop)
 * @param created        when it was taken
 * @param sizeBytes      the bytes of its images
 * @param path           the folder of its images
 * @param leftRunning    whether the container went on running after it was taken
 * @param tcpEstablished whether established TCP connections were saved (and are restored)
 */
public record CheckpointInfo(String container, String name, Instant created, long sizeBytes, String path,
		boolean leftRunning, boolean tcpEstablished) {

	/** The checkpoint a stateful stop writes and the next start resumes (and then removes). */
	public static final String STATEFUL = "stateful";

	public CheckpointInfo {
		Objects.requireNonNull(container, "container");
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(created, "created");
		Objects.requireNonNull(path, "path");
	}
}
