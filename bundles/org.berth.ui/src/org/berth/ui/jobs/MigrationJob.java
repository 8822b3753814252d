package org.berth.ui.jobs;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.berth.core.ContainerEngine;
import org.berth.core.MigrationProgress;
import org.berth.core.MigrationRequest;
import org.berth.core.MigrationResult;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;

/**
 * Moves one container to another Berth host ({@link ContainerEngine#migrate}). Each step the engine reports goes to
 * {@code progress} as it comes, on the engine's thread; the job's own progress (the status line, the Progress view)
 * follows on the job's thread. The Migrate dialog shows the outcome, so a failure is logged but opens no second
 * error dialog.
 * <p>
 * A migration cannot be stopped half-way (the engine resumes the container here when anything fails before the
 * target runs it): cancelling the job does not stop it, and the job waits for the engine's answer.
 */
public final class MigrationJob extends EngineJob {

	/** Every migration job (they belong to {@link BerthJobs#FAMILY} too). */
	public static final Object FAMILY = MigrationJob.class.getName();

	/**
	 * How long the job waits for the engine. The engine bounds each of its steps (rsync of a large root file system
	 * may take hours); this only keeps the console from waiting forever on an engine that went silent.
	 */
	static final Duration TIMEOUT = Duration.ofHours(24);

	/** Each phase is this much of the job's progress. */
	private static final int PER_PHASE = 100;

	private final ContainerEngine engine;
	private final String container;
	private final MigrationRequest request;
	private final Consumer<MigrationProgress> progress;
	private final AtomicReference<MigrationProgress> latest = new AtomicReference<>();
	private volatile MigrationResult result;
	private volatile Exception failure;

	/** Migrates {@code name} as {@code request} says (not scheduled); {@code progress} hears each step. */
	public MigrationJob(ContainerEngine engine, String name, MigrationRequest request,
			Consumer<MigrationProgress> progress) {
		super("Migrating \"" + name + "\" to " + request.target(), "Migration failed");
		this.engine = engine;
		this.container = name;
		this.request = request;
		this.progress = progress;
	}

	@Override
	protected IStatus run(IProgressMonitor monitor) {
		monitor.beginTask(getName(), MigrationProgress.Phase.values().length * PER_PHASE);
		try {
			CompletableFuture<MigrationResult> future = engine.migrate(container, request, p -> {
				latest.set(p);
				try {
					progress.accept(p);
				} catch (RuntimeException e) { // the engine's thread goes on with the migration whatever a display does
					ILog.get().error("Showing the progress of migrating \"" + container + "\" failed", e);
				}
			});
			// not the monitor's cancellation: cancelling would not stop the migration, only hide how it ends
			long end = System.nanoTime() + TIMEOUT.toNanos();
			int worked = 0;
			MigrationProgress shown = null;
			while (!future.isDone()) {
				if (System.nanoTime() > end) {
					throw new TimeoutException("the engine did not answer within " + TIMEOUT.toHours() + " h");
				}
				try {
					future.get(200, TimeUnit.MILLISECONDS);
				} catch (TimeoutException e) {
					// still under way: the job's progress follows the last step heard
				} catch (ExecutionException | CancellationException e) {
					break; // done: await below says how
				}
				MigrationProgress p = latest.get();
				if (p != null && p != shown) {
					shown = p;
					monitor.subTask(p.phase().label() + ": " + p.message());
					int now = p.phase().ordinal() * PER_PHASE + (p.fraction() < 0 ? 0 : (int) (p.fraction()
							* PER_PHASE));
					if (now > worked) {
						monitor.worked(now - worked);
						worked = now;
					}
				}
			}
			result = BerthJobs.await(future, null); // done: its value, or the engine's own exception
			return Status.OK_STATUS;
		} catch (Exception e) {
			failure = e;
			return Status.error(BerthJobs.message(e), e);
		} finally {
			monitor.done();
		}
	}

	/** The finished migration, or null (not done, or failed). */
	public MigrationResult result() {
		return result;
	}

	/** Why it failed (the engine's exception, its message the sentence to show), or null. */
	public Exception failure() {
		return failure;
	}

	/** The container it moves. */
	public String container() {
		return container;
	}

	@Override
	protected boolean promptsErrors() {
		return false; // the Migrate dialog says it, with the phase that failed
	}

	@Override
	public boolean belongsTo(Object family) {
		return family == FAMILY || super.belongsTo(family);
	}
}
