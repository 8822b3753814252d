package org.berth.core;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.berth.core.wire.AuditTrail;

/**
 * The service that runs containers: the local engine, and later a privileged agent or a remote cluster. Nothing
 * that uses it may assume "local".
 * <p>
 * <b>Getters</b> ({@link #list()}, {@link #get}, {@link #templates()}, {@link #validationContext()}) return cached,
 * immutable snapshots and never block: they may be called from the UI thread.
 * <p>
 * <b>Operations</b> return at once with a {@link CompletableFuture}. A future fails with a {@link BerthException}
 * subclass (possibly wrapped in a {@link java.util.concurrent.CompletionException}): {@link InvalidSpecException},
 * {@link NoSuchContainerException}, {@link ContainerExistsException}, {@link IllegalTransitionException} (the
 * {@link StateMachine} decides) or {@link NativeException}. A future that completes normally carries the container's
 * snapshot after the operation; listeners hear about every change as an {@link EngineEvent}.
 */
public interface ContainerEngine extends AutoCloseable {

	/** All containers, sorted by name. Non-blocking. */
	List<ContainerSnapshot> list();

	/** One container, if defined. Non-blocking. */
	Optional<ContainerSnapshot> get(String name);

	/** The names of the templates this engine can make a root file system from. Non-blocking. */
	Set<String> templates();

	/** What {@link SpecValidator} needs to know about this engine's containers. Non-blocking. */
	SpecValidator.ValidationContext validationContext();

	/** Defines a new container (validated; fails with ContainerExistsException when the name is taken). */
	CompletableFuture<ContainerSnapshot> define(ContainerSpec spec);

	/** Replaces the spec of a defined container; takes effect at its next start (limits: see {@link #setLimits}). */
	CompletableFuture<ContainerSnapshot> update(ContainerSpec spec);

	/** Starts a stopped container; completes when its init runs. */
	CompletableFuture<ContainerSnapshot> start(String name);

	/**
	 * Stops a container: sends its halt signal, waits up to {@code timeout}, then kills it. Completes when it is
	 * stopped.
	 */
	CompletableFuture<ContainerSnapshot> stop(String name, Duration timeout);

	/** Kills all the container's processes at once (SIGKILL). */
	CompletableFuture<ContainerSnapshot> kill(String name);

	/** Stops (as {@link #stop}) and starts again. */
	CompletableFuture<ContainerSnapshot> restart(String name, Duration timeout);

	/** Freezes all the container's processes. */
	CompletableFuture<ContainerSnapshot> freeze(String name);

	/** Thaws a frozen container. */
	CompletableFuture<ContainerSnapshot> thaw(String name);

	/** Changes the limits of a running (or frozen) container now and in its spec. */
	CompletableFuture<ContainerSnapshot> setLimits(String name, Limits limits);

	/** Copies a stopped container (spec and root file system) under a new name. */
	CompletableFuture<ContainerSnapshot> cloneContainer(String source, String newName);

	/** Removes a stopped container, its spec and its root file system. */
	CompletableFuture<Void> destroy(String name);

	/** Runs a command inside a running container and collects its output. */
	CompletableFuture<ExecResult> exec(String name, ExecRequest request);

	/**
	 * Starts a command inside a running container with its standard streams open to the caller ({@code berth exec}
	 * through the agent); the request's {@code stdin} and {@code tty} are not used (write to
	 * {@link ExecSession#stdin()}; a terminal is {@link #openTerminal}). Completes once the command runs.
	 */
	default CompletableFuture<ExecSession> openExec(String name, ExecRequest request) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot stream a"
				+ " command's input and output"));
	}

	/**
	 * Opens an interactive terminal into a running container: a shell on a terminal of the container's own, sized
	 * before the shell starts, a debug shell in some of its namespaces, or its console (see
	 * {@link TerminalRequest}). Completes once the command runs; fails with a {@link BerthException} when it could
	 * not be started, or with {@link UnsupportedOperationException} from an engine that has no terminals.
	 */
	default CompletableFuture<TerminalSession> openTerminal(String name, TerminalRequest request) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot open terminals"
				+ " into containers"));
	}

	/**
	 * Opens the container's console log to watch, read-only: what its init wrote since the last start, then what it
	 * writes until it stops (a stopped container's session ends after the history). Unlike a console from
	 * {@link #openTerminal}, it never takes the console's one interactive place, so any number may watch. Fails
	 * with a {@link BerthException} when there is no log yet (the container never started).
	 */
	default CompletableFuture<TerminalSession> watchConsole(String name) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine keeps no console logs"));
	}

	/**
	 * Writes a checkpoint of a running container with CRIU: its processes, their memory and open files, and its spec.
	 * Unless {@link CheckpointRequest#leaveRunning()} the container stops once it is written. A container that cannot
	 * be checkpointed (a terminal or command of Berth's running in it, a namespace shared with another container, a
	 * device) is refused with the reason and keeps running. Completes with the checkpoint.
	 */
	default CompletableFuture<CheckpointInfo> checkpoint(String name, CheckpointRequest request) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot checkpoint"));
	}

	/** The container's checkpoints under its own folder, oldest first. */
	default CompletableFuture<List<CheckpointInfo>> checkpoints(String name) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine keeps no checkpoints"));
	}

	/**
	 * Resumes a stopped container from a checkpoint: {@code checkpoint} names one of its own (null: the newest), or,
	 * when it starts with '/', is the folder a checkpoint was written to. Completes with the running container.
	 */
	default CompletableFuture<ContainerSnapshot> restoreCheckpoint(String name, String checkpoint) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot restore"
				+ " checkpoints"));
	}

	/** Removes one checkpoint of the container. */
	default CompletableFuture<Void> deleteCheckpoint(String name, String checkpoint) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot delete"
				+ " checkpoints"));
	}

	/**
	 * Moves the container to another Berth host over ssh: a running one live (its root file system sent while it
	 * runs, then frozen, dumped, the rest sent, restored there; the source's copy removed only once the target runs
	 * it, and resumed here when anything fails before), a stopped one with its files. {@code progress} hears each
	 * phase, from the engine's thread.
	 */
	default CompletableFuture<MigrationResult> migrate(String name, MigrationRequest request,
			java.util.function.Consumer<MigrationProgress> progress) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot migrate"
				+ " containers"));
	}

	/**
	 * Saves the container's root file system and spec as a snapshot named {@code snapshot} (null: the first free
	 * "snapN"). A running container is frozen while its files are copied, then thawed. Completes with the snapshot.
	 */
	default CompletableFuture<SnapshotInfo> createSnapshot(String name, String snapshot) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot take snapshots"));
	}

	/** The container's snapshots, oldest first. */
	default CompletableFuture<List<SnapshotInfo>> snapshots(String name) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine keeps no snapshots"));
	}

	/**
	 * Puts a stopped container's root file system and spec back as they were in {@code snapshot}; its later snapshots
	 * stay. Completes with the container as it is then.
	 */
	default CompletableFuture<ContainerSnapshot> restoreSnapshot(String name, String snapshot) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException(
				"this engine cannot restore snapshots"));
	}

	/** Removes one snapshot of the container. */
	default CompletableFuture<Void> deleteSnapshot(String name, String snapshot) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot delete snapshots"));
	}

	/** Defines a new container {@code newName} with the root file system and spec of a snapshot of {@code name}. */
	default CompletableFuture<ContainerSnapshot> createFromSnapshot(String name, String snapshot, String newName) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException(
				"this engine cannot make containers from snapshots"));
	}

	/**
	 * Writes container {@code name} (spec and root file system, a {@code .tar.zst}) to {@code out}, which the caller
	 * opened and closes; a running container is frozen while its files are read. The same archive as
	 * {@code berth export} writes.
	 */
	default CompletableFuture<Void> exportContainer(String name, OutputStream out) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot export"));
	}

	/**
	 * As {@link #exportContainer(String, OutputStream)}, with the container's snapshots in the archive too when
	 * {@code withSnapshots} (an import then brings them back).
	 */
	default CompletableFuture<Void> exportContainer(String name, OutputStream out, boolean withSnapshots) {
		return withSnapshots ? CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot"
				+ " export snapshots")) : exportContainer(name, out);
	}

	/**
	 * Defines a container from an export read from {@code in} to its end (the caller opens and closes it), named
	 * {@code newName} (null: the name in the archive).
	 */
	default CompletableFuture<ContainerSnapshot> importContainer(InputStream in, String newName) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot import"));
	}

	/**
	 * Gives a stopped container another name (and so another hostname); its files, snapshots, limits and id block go
	 * with it. Refused while another container shares one of its namespaces. Completes with the renamed container.
	 */
	default CompletableFuture<ContainerSnapshot> rename(String name, String newName) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot rename"));
	}

	/** The container's snapshot schedule, or null when it has none. */
	default CompletableFuture<SnapshotSchedule> snapshotSchedule(String name) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine keeps no schedules"));
	}

	/** Sets (null: removes) the container's snapshot schedule; whoever runs {@link #runSchedules} takes them. */
	default CompletableFuture<Void> setSnapshotSchedule(String name, SnapshotSchedule schedule) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine keeps no schedules"));
	}

	/**
	 * Takes the snapshots that are due at {@code now} and deletes what the schedules no longer keep; the agent calls
	 * it every minute. Completes with a line for each thing done or failed.
	 */
	default CompletableFuture<List<String>> runSchedules(java.time.Instant now) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine keeps no schedules"));
	}

	/** The images new containers can start from, by alias. */
	default CompletableFuture<List<ImageInfo>> images() {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine keeps no images"));
	}

	/**
	 * Saves the root file system of container {@code name} as image {@code alias}; a running container is frozen while
	 * its files are copied.
	 */
	default CompletableFuture<ImageInfo> publishImage(String name, String alias, String description) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot publish images"));
	}

	/**
	 * Makes image {@code alias} from a root file system tarball (plain, gzip, xz, bzip2 or zstd), read from
	 * {@code tarball} to its end; {@code origin} says where it came from (a file name). The caller opens and closes
	 * the stream: an engine behind an agent never opens a path its client named.
	 */
	default CompletableFuture<ImageInfo> importImage(InputStream tarball, String alias, String description,
			String origin) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot import images"));
	}

	/** Removes an image; containers made from it keep their own copies of its files. */
	default CompletableFuture<Void> deleteImage(String alias) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot delete images"));
	}

	/**
	 * Defines container {@code spec} with a copy of image {@code alias}'s files as its root file system; its template
	 * becomes the image's base (see {@link ImageInfo#base()}).
	 */
	default CompletableFuture<ContainerSnapshot> createFromImage(ContainerSpec spec, String alias) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException(
				"this engine cannot make containers from images"));
	}

	/**
	 * What differs between two containers or snapshots, each named "NAME" or "NAME/SNAP": their specs and their files
	 * (added, removed, changed: type, size, mode, owner, extended attributes, content hash, link target, device
	 * number).
	 */
	default CompletableFuture<ContainerDiff> diff(String a, String b) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot compare"
				+ " containers"));
	}

	/** Samples the container's resource counters now. */
	CompletableFuture<Usage> usage(String name);

	/**
	 * The memory a running container uses now, in bytes, or null when it cannot be told (it may just have stopped):
	 * for a listing of many containers, where a whole {@link #usage} sample each costs more.
	 */
	default CompletableFuture<Long> memoryInUse(String name) {
		return usage(name).handle((u, failure) -> u == null ? null : u.memoryBytes());
	}

	/** Adds a listener (see {@link EngineListener} for the thread it is called on). */
	void addListener(EngineListener listener);

	void removeListener(EngineListener listener);

	/**
	 * Sentences about what this engine cannot do here, for a client to show (for example that it does not run
	 * as root); empty when it can do everything. Non-blocking.
	 */
	default List<String> limitations() {
		return List.of();
	}

	/**
	 * Why this engine does not change which namespaces a container has, nor its id maps, once it exists: a client
	 * shows them read-only with this sentence. Empty when it does. Non-blocking.
	 */
	default Optional<String> namespacesFixed(String name) {
		return Optional.empty();
	}

	/**
	 * What is in the directory {@code dir} inside the container's root file system (paths resolved inside that root:
	 * a symbolic link planted there never leads out of it), sorted by name.
	 */
	default CompletableFuture<List<FileEntry>> listFiles(String name, String dir) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot browse files"));
	}

	/** The content of the regular file {@code path} inside the container; fails when larger than {@code maxBytes}. */
	default CompletableFuture<byte[]> readFile(String name, String path, int maxBytes) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot read files"));
	}

	/**
	 * Replaces the content of the regular file {@code path} inside the container (its owner and mode kept), or makes
	 * it (0644, the container's root); never writes through to anything but a regular file inside the root.
	 */
	default CompletableFuture<Void> writeFile(String name, String path, byte[] content) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot write files"));
	}

	/**
	 * Writes the tree at {@code inside} (a file, a folder with all in it) as a tar archive to {@code out}, its last
	 * name the archive's top entry, owners as numbers inside the container: {@code berth file pull -r} through the
	 * agent, whose client unpacks it with its user's rights. Paths are resolved within the container's root.
	 */
	default CompletableFuture<Void> pullArchive(String name, String inside, OutputStream out) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot copy folders"));
	}

	/**
	 * Unpacks a tar archive read from {@code in} to its end into the container: its top entries into {@code inside}
	 * when that is a folder, else as {@code inside}; the files belong to the container's root (the archive's owners
	 * are not used), modes are kept. Completes with how many files, folders and links were made.
	 */
	default CompletableFuture<Integer> pushArchive(String name, InputStream in, String inside) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot copy folders"));
	}

	/**
	 * The newest {@code limit} entries of the agent's audit trail (who asked for which change, and what came of it)
	 * about {@code container} by {@code user} (name or uid; null: all), oldest first. This default reads the trail's
	 * file where the agent writes it ({@link AuditTrail#DEFAULT}), which root may; an agent's client asks the agent.
	 */
	default CompletableFuture<List<AuditTrail.Entry>> auditTrail(String container, String user, int limit) {
		try {
			return CompletableFuture.completedFuture(AuditTrail.read(AuditTrail.DEFAULT, container, user, limit));
		} catch (java.io.IOException e) {
			return CompletableFuture.failedFuture(new BerthException("events", null, "cannot read the audit trail "
					+ AuditTrail.DEFAULT + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()), e));
		}
	}

	/**
	 * Where this engine is, for a status line: "Engine connected" for one in this process, an agent's connection
	 * and the user it serves, or that it is not connected. Non-blocking.
	 */
	default String connection() {
		return "Engine connected";
	}

	/**
	 * The engine's resource monitoring (one sampler for all running containers, and their usage histories); empty
	 * when this engine keeps no history. The first call may start the sampler. Non-blocking.
	 */
	default Optional<Monitoring> monitoring() {
		return Optional.empty();
	}

	/** Releases the engine's resources. Containers keep running: they outlive the console. */
	@Override
	default void close() {
	}
}
