package org.berth.ui.jobs;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.berth.core.CheckpointRequest;
import org.berth.core.ContainerEngine;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;

/**
 * Takes, restores or deletes one checkpoint of a container. A failure says the engine's sentence ("cannot checkpoint
 * "a": …"). The container's Checkpoints page reads its list again when one of these is done ({@link #container()}).
 */
public final class CheckpointJob extends EngineJob {

	/** Every checkpoint job (they belong to {@link BerthJobs#FAMILY} too). */
	public static final Object FAMILY = CheckpointJob.class.getName();

	/** How long a checkpoint or restore may take: CRIU writes or reads all of the container's memory. */
	static final Duration TIMEOUT = Duration.ofMinutes(10);

	private interface Call {
		CompletableFuture<?> start();
	}

	private final String container;
	private final Call call;

	private CheckpointJob(String title, String errorTitle, String container, Call call) {
		super(title, errorTitle);
		this.container = container;
		this.call = call;
	}

	/** Checkpoints the running {@code name} as {@code request} says (not scheduled). */
	public static CheckpointJob take(ContainerEngine engine, String name, CheckpointRequest request) {
		return new CheckpointJob("Checkpointing \"" + name + "\"", "Checkpoint failed", name,
				() -> engine.checkpoint(name, request));
	}

	/** Resumes the stopped {@code name} from {@code checkpoint} (null: its newest) (not scheduled). */
	public static CheckpointJob restore(ContainerEngine engine, String name, String checkpoint) {
		return new CheckpointJob("Restoring \"" + name + "\" from " + (checkpoint == null ? "its newest checkpoint"
				: "\"" + checkpoint + "\""), "Restore failed", name, () -> engine.restoreCheckpoint(name, checkpoint));
	}

	/** Deletes the checkpoint {@code checkpoint} of {@code name} (not scheduled). */
	public static CheckpointJob delete(ContainerEngine engine, String name, String checkpoint) {
		return new CheckpointJob("Deleting the checkpoint \"" + checkpoint + "\" of \"" + name + "\"",
				"Delete failed", name, () -> engine.deleteCheckpoint(name, checkpoint));
	}

	@Override
	protected IStatus run(IProgressMonitor monitor) {
		try {
			BerthJobs.await(call.start(), monitor, TIMEOUT);
			return Status.OK_STATUS;
		} catch (OperationCanceledException e) {
			return Status.CANCEL_STATUS;
		} catch (Exception e) {
			return Status.error(BerthJobs.message(e), e);
		}
	}

	/** The container whose checkpoints it changes. */
	public String container() {
		return container;
	}

	@Override
	public boolean belongsTo(Object family) {
		return family == FAMILY || super.belongsTo(family);
	}
}
