package org.berth.core;

/**
 * What {@link ContainerEngine#checkpoint} is asked to do.
 *
 * @param checkpoint     the checkpoint's name (null: one made of the time, "ck-YYYYMMDD-HHMMSS")
 * @param dir            an absolute folder for the images instead of the container's own (null: the container's)
 * @param leaveRunning   keep the container running after the checkpoint (else it stops, its state saved)
 * @param tcpEstablished save established TCP connections too (their peers keep them across a restore)
 */
public record CheckpointRequest(String checkpoint, String dir, boolean leaveRunning, boolean tcpEstablished) {

	/** A checkpoint with a generated name, under the container's folder, that stops the container. */
	public static CheckpointRequest stopping() {
		return new CheckpointRequest(null, null, false, false);
	}

	/** What a stateful stop writes: {@link CheckpointInfo#STATEFUL}, the container stops. */
	public static CheckpointRequest stateful() {
		return new CheckpointRequest(CheckpointInfo.STATEFUL, null, false, true);
	}
}
