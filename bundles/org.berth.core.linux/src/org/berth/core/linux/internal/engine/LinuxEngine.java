package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.berth.core.Action;
import org.berth.core.BerthException;
import org.berth.core.CheckpointInfo;
import org.berth.core.CheckpointRequest;
import org.berth.core.ImageInfo;
import org.berth.core.SnapshotSchedule;
import org.berth.core.ContainerDiff;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.EngineListener;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.ExecSession;
import org.berth.core.FileEntry;
import org.berth.core.Limits;

import org.berth.core.Monitoring;
import org.berth.core.SnapshotInfo;
import org.berth.core.SpecValidator;
import org.berth.core.TerminalRequest;
import org.berth.core.TerminalSession;
import org.berth.core.Usage;
import org.berth.core.linux.EngineConfig;
import org.berth.core.linux.LinuxEngines;
import org.berth.core.linux.LocalEngine;
import org.berth.core.linux.MigrationLanding;
import org.berth.core.MigrationProgress;
import org.berth.core.MigrationRequest;
import org.berth.core.MigrationResult;
import org.berth.core.linux.internal.cgroup.CgroupDriver;
import org.berth.core.linux.internal.proc.KernelProcesses;
import org.berth.core.linux.internal.proc.Processes;
import org.berth.core.linux.internal.terminal.Terminals;

/**
 * The engine on this host. Containers are started by the native helper, which stays as each container's monitor.
 * This class is a facade, as runc's {@code Container} is: each operation takes its container's lock on an engine
 * thread ({@link Operations}) and hands the work to the part that owns it: {@link RunControl} (start, stop,
 * freeze), {@link Definitions} (define, update, clone, destroy), {@link Reconciler} (what is found at open, the ends
 * of runs, what other processes do), {@link NamespaceTracker} (who shares which namespace) and {@link Sessions}
 * (exec, terminals, usage). Getters hand out immutable snapshots ({@link Snapshots}) without blocking; listeners
 * are told on an event thread.
 */
public final class LinuxEngine implements LocalEngine {

	/** The folder of the containers' lock files, in the config root ({@link Operations.ContainerLock}). */
	static final String LOCKS = ".locks";

	private final EngineContext ctx;
	private final Operations ops;
	private final Snapshots snapshots;
	private final Definitions definitions;
	private final Reconciler reconciler;
	private final RunControl runs;
	private final Sessions sessions;
	private final RootfsSnapshots rootfsSnapshots;
	private final Exports exports;
	private final Transfers transfers;
	private final Checkpoints checkpoints;
	private final Migrations migrations;

	public LinuxEngine(EngineConfig config) throws BerthException {
		this(config, null);
	}

	/**
	 * @param only the containers to load, or null for all (see {@link LinuxEngines#openOnly})
	 */
	public LinuxEngine(EngineConfig config, Set<String> only) throws BerthException {
		this(config, only, new KernelProcesses("berth-engine-exits"), CgroupDriver::detect, HelperProcess::start);
	}

	/** An engine on the given host pieces: tests give fakes of the processes, the cgroups and the helper. */
	LinuxEngine(EngineConfig config, Set<String> only, Processes processes, EngineContext.CgroupSource cgroups,
			EngineContext.Launcher launcher) throws BerthException {
		this.ctx = new EngineContext(config, only, processes, cgroups, launcher);
		this.ops = new Operations(config.configRoot().resolve(LOCKS));
		this.snapshots = new Snapshots(ops);
		NamespaceTracker namespaces = new NamespaceTracker(snapshots, processes, only == null);
		this.definitions = new Definitions(ctx, snapshots);
		this.reconciler = new Reconciler(ctx, ops, snapshots, namespaces);
		this.runs = new RunControl(ctx, ops, snapshots, namespaces, reconciler, definitions);
		this.sessions = new Sessions(ctx, ops, snapshots, reconciler);
		this.rootfsSnapshots = new RootfsSnapshots(ctx, snapshots, definitions);
		this.exports = new Exports(ctx, snapshots, definitions);
		this.transfers = new Transfers(ctx, snapshots);
		this.checkpoints = new Checkpoints(ctx, snapshots, reconciler, runs, namespaces, definitions);
		this.migrations = new Migrations(ctx, snapshots, checkpoints, definitions);
		reconciler.open();
	}

	// ---- getters: snapshots, never blocking -------------------------------------------------------------

	@Override
	public List<ContainerSnapshot> list() {
		ctx.requireWhole("list the containers");
		return snapshots.values().stream().sorted(Comparator.comparing(ContainerSnapshot::name)).toList();
	}

	@Override
	public Optional<ContainerSnapshot> get(String name) {
		return snapshots.get(name);
	}

	@Override
	public Set<String> templates() {
		return Templates.NAMES;
	}

	@Override
	public SpecValidator.ValidationContext validationContext() {
		return definitions.validationContext();
	}

	@Override
	public Path consoleLog(String name) {
		return sessions.consoleLog(name);
	}

	@Override
	public List<String> limitations() {
		List<String> all = new ArrayList<>();
		if (!ctx.processes.runsAsRoot()) {
			all.add("Berth is not running as root: root's containers and their folders are root's alone, so none is"
					+ " shown, and creating, starting or stopping one needs root (start it with sudo).");
		}
		ctx.lxcfs.limitation().ifPresent(all::add);
		for (ConfigStore.Broken b : reconciler.broken()) {
			all.add("The config " + b.file() + " could not be read and is left as it is: " + b.reason());
		}
		return all;
	}

	@Override
	public void addListener(EngineListener listener) {
		ops.addListener(listener);
		reconciler.watchFoundMonitors(); // someone wants to hear when a container ends
		reconciler.watchRoots(); // and of what other processes do
	}

	@Override
	public void removeListener(EngineListener listener) {
		ops.removeListener(listener);
	}

	@Override
	public void close() {
		sessions.close();
		// the parent group stays while the engine runs (making and removing it cost every start and stop)
		ctx.removeParentIfEmpty();
		ctx.processes.close();
		reconciler.close();
		ops.close();
	}

	@Override
	public Optional<Monitoring> monitoring() {
		return Optional.of(sessions.monitoring());
	}

	// ---- definitions ----------------------------------------------------------------------------------------

	@Override
	public CompletableFuture<ContainerSnapshot> define(ContainerSpec spec) {
		return ops.async(spec.name(), () -> definitions.define(spec));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> update(ContainerSpec spec) {
		return ops.async(spec.name(), () -> afresh(spec.name(), () -> definitions.update(spec)));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> setLimits(String name, Limits limits) {
		return ops.async(name, () -> afresh(name, () -> definitions.setLimits(name, limits)));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> cloneContainer(String source, String newName) {
		return ops.async(newName, () -> definitions.cloneContainer(source, newName));
	}

	@Override
	public CompletableFuture<SnapshotSchedule> snapshotSchedule(String name) {
		return ops.async(name, () -> rootfsSnapshots.schedule(name));
	}

	@Override
	public CompletableFuture<Void> setSnapshotSchedule(String name, SnapshotSchedule schedule) {
		return ops.async(name, () -> {
			rootfsSnapshots.setSchedule(name, schedule);
			return null;
		});
	}

	@Override
	public CompletableFuture<List<String>> runSchedules(java.time.Instant now) {
		List<CompletableFuture<List<String>>> each = new ArrayList<>();
		for (ContainerSnapshot c : snapshots.values()) {
			String name = c.name();
			each.add(ops.async(name, () -> rootfsSnapshots.runSchedule(name, now)).exceptionally(
					e -> List.of(name + ": the scheduled snapshot failed: " + (e.getCause() == null ? e : e.getCause())
							.getMessage())));
		}
		return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
				.thenApply(v -> each.stream().flatMap(f -> f.join().stream()).toList());
	}

	@Override
	public CompletableFuture<ContainerSnapshot> rename(String name, String newName) {
		ctx.requireWhole("rename a container (others may share its namespaces)");
		return ops.async(name, () -> afresh(name, () -> definitions.rename(name, newName)));
	}

	@Override
	public CompletableFuture<Void> destroy(String name) {
		ctx.requireWhole("destroy a container (others may share its namespaces)");
		return ops.async(name, () -> afresh(name, () -> {
			definitions.destroy(name);
			return null;
		}));
	}

	/**
	 * Runs {@code work} (under the container's lock) on what is on disk now: another process (a CLI, another console)
	 * may have changed, started or stopped the container since this engine last looked, and the folder watch may
	 * not have told it yet.
	 */
	private <T> T afresh(String name, Operations.Work<T> work) throws BerthException {
		reconciler.recheck(name);
		return work.run();
	}

	// ---- snapshots of root file systems ----------------------------------------------------------------------

	@Override
	public CompletableFuture<SnapshotInfo> createSnapshot(String name, String snapshot) {
		return ops.async(name, () -> rootfsSnapshots.create(name, snapshot));
	}

	@Override
	public CompletableFuture<List<SnapshotInfo>> snapshots(String name) {
		return ops.async(name, () -> rootfsSnapshots.list(name));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> restoreSnapshot(String name, String snapshot) {
		ctx.requireWhole("restore a snapshot (its spec is checked against the others)");
		return ops.async(name, () -> rootfsSnapshots.restore(name, snapshot));
	}

	@Override
	public CompletableFuture<Void> deleteSnapshot(String name, String snapshot) {
		return ops.async(name, () -> {
			rootfsSnapshots.delete(name, snapshot);
			return null;
		});
	}

	@Override
	public CompletableFuture<ContainerSnapshot> createFromSnapshot(String name, String snapshot, String newName) {
		ctx.requireWhole("create a container");
		return ops.async(newName, () -> rootfsSnapshots.createFrom(name, snapshot, newName));
	}

	@Override
	public CompletableFuture<List<ImageInfo>> images() {
		return ops.async("image:", () -> {
			try {
				return ctx.images.list();
			} catch (IOException e) {
				throw EngineContext.translate("list", "the images", e);
			}
		});
	}

	@Override
	public CompletableFuture<ImageInfo> publishImage(String name, String alias, String description) {
		return ops.async(name, () -> rootfsSnapshots.publish(name, alias, description));
	}

	@Override
	public CompletableFuture<ImageInfo> importImage(InputStream tarball, String alias, String description,
			String origin) {
		return ops.async("image:" + alias, () -> ctx.images.importTar(alias, tarball, description,
				origin == null ? "imported" : "imported from " + origin));
	}

	@Override
	public CompletableFuture<Void> deleteImage(String alias) {
		return ops.async("image:" + alias, () -> {
			ctx.images.delete(alias);
			return null;
		});
	}

	@Override
	public CompletableFuture<ContainerSnapshot> createFromImage(ContainerSpec spec, String alias) {
		ctx.requireWhole("create a container");
		return ops.async(spec.name(), () -> rootfsSnapshots.createFromImage(spec, alias));
	}

	@Override
	public CompletableFuture<ContainerDiff> diff(String a, String b) {
		return ops.unlocked(() -> rootfsSnapshots.diff(a, b));
	}

	@Override
	public CompletableFuture<Path> exportContainer(String name, Path file) {
		return exportContainer(name, file, false);
	}

	@Override
	public CompletableFuture<Path> exportContainer(String name, Path file, boolean withSnapshots) {
		return ops.async(name, () -> exports.export(name, file, withSnapshots));
	}

	@Override
	public CompletableFuture<Void> exportContainer(String name, OutputStream out) {
		return exportContainer(name, out, false);
	}

	@Override
	public CompletableFuture<Void> exportContainer(String name, OutputStream out, boolean withSnapshots) {
		// through a file of the engine's (GNU tar and zstd write one), then to the caller's stream
		return ops.async(name, () -> {
			Path file = ctx.store.root().resolve("." + name + ".export.tar.zst");
			try {
				exports.export(name, file, withSnapshots);
				Files.copy(file, out);
				return null;
			} catch (IOException e) {
				throw EngineContext.translate("export", name, e);
			} finally {
				EngineContext.quietly("remove", file.toString(), () -> Files.deleteIfExists(file));
			}
		});
	}

	@Override
	public CompletableFuture<ContainerSnapshot> importContainer(InputStream in, String newName) {
		ctx.requireWhole("create a container");
		Path file = ctx.store.root().resolve(".import-" + Long.toUnsignedString(System.nanoTime(), 36) + ".tar.zst");
		return ops.unlocked(() -> {
			try {
				Files2.privateDirectories(ctx.store.root());
				Files.copy(in, file);
			} catch (IOException e) {
				EngineContext.quietly("remove", file.toString(), () -> Files.deleteIfExists(file));
				throw EngineContext.translate("import", "the archive", e);
			}
			return Exports.specIn(file, newName);
		}).thenCompose(spec -> ops.async(spec.name(), () -> exports.importFrom(file, spec)))
				.whenComplete((c, e) -> EngineContext.quietly("remove", file.toString(),
						() -> Files.deleteIfExists(file)));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> importContainer(Path file, String newName) {
		ctx.requireWhole("create a container");
		return ops.unlocked(() -> Exports.specIn(file, newName))
				.thenCompose(spec -> ops.async(spec.name(), () -> exports.importFrom(file, spec)));
	}

	@Override
	public CompletableFuture<Integer> pushFiles(String name, Path local, String inside, boolean recursive) {
		return ops.async(name, () -> transfers.push(name, local, inside, recursive));
	}

	@Override
	public CompletableFuture<Integer> pullFiles(String name, String inside, Path local, boolean recursive) {
		return ops.async(name, () -> transfers.pull(name, inside, local, recursive));
	}

	@Override
	public CompletableFuture<Void> pullArchive(String name, String inside, OutputStream out) {
		return ops.async(name, () -> transfers.pullToScratch(name, inside))
				.thenCompose(dir -> ops.unlocked(() -> {
					Transfers.streamScratch(name, dir, out);
					return null;
				}));
	}

	@Override
	public CompletableFuture<Integer> pushArchive(String name, InputStream in, String inside) {
		// the archive first to a file of the engine's, at the client's pace, outside the container's lock
		Path file = ctx.store.root().resolve(".push-" + Long.toUnsignedString(System.nanoTime(), 36) + ".tar");
		return ops.unlocked(() -> {
			try {
				Files2.privateDirectories(ctx.store.root());
				Files.copy(in, file);
				return null;
			} catch (IOException e) {
				throw EngineContext.translate("push", "the archive", e);
			}
		}).thenCompose(v -> ops.async(name, () -> transfers.pushArchive(name, file, inside)))
				.whenComplete((n, e) -> EngineContext.quietly("remove", file.toString(),
						() -> Files.deleteIfExists(file)));
	}

	@Override
	public CompletableFuture<List<FileEntry>> listFiles(String name, String dir) {
		return ops.async(name, () -> transfers.list(name, dir));
	}

	@Override
	public CompletableFuture<byte[]> readFile(String name, String path, int maxBytes) {
		return ops.async(name, () -> transfers.read(name, path, maxBytes));
	}

	@Override
	public CompletableFuture<Void> writeFile(String name, String path, byte[] content) {
		return ops.async(name, () -> {
			transfers.write(name, path, content);
			return null;
		});
	}

	// ---- runs -----------------------------------------------------------------------------------------------

	/** A container stopped with its state ({@link CheckpointInfo#STATEFUL}) is resumed from it, as Incus does. */
	@Override
	public CompletableFuture<ContainerSnapshot> start(String name) {
		return ops.async(name, () -> afresh(name, () -> checkpoints.hasStateful(name)
				? checkpoints.resumeStateful(name) : runs.start(name)));
	}

	// ---- checkpoints (CRIU) ---------------------------------------------------------------------------------

	@Override
	public CompletableFuture<CheckpointInfo> checkpoint(String name, CheckpointRequest request) {
		return ops.async(name, () -> checkpoints.checkpoint(name, request));
	}

	@Override
	public CompletableFuture<List<CheckpointInfo>> checkpoints(String name) {
		return ops.async(name, () -> checkpoints.list(name));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> restoreCheckpoint(String name, String checkpoint) {
		return ops.async(name, () -> afresh(name, () -> checkpoints.restore(name, checkpoint)));
	}

	@Override
	public CompletableFuture<Void> deleteCheckpoint(String name, String checkpoint) {
		return ops.async(name, () -> {
			checkpoints.delete(name, checkpoint);
			return null;
		});
	}

	// ---- migration (ssh, rsync, CRIU) ---------------------------------------------------------------------------

	@Override
	public CompletableFuture<MigrationResult> migrate(String name, MigrationRequest request,
			java.util.function.Consumer<MigrationProgress> progress) {
		ctx.requireWhole("migrate a container (others may share its namespaces)");
		return ops.async(name, () -> afresh(name, () -> migrations.migrate(name, request, progress)));
	}

	@Override
	public CompletableFuture<MigrationLanding> receiveMigration(ContainerSpec spec) {
		return ops.async(spec.name(), () -> afresh(spec.name(), () -> migrations.receive(spec)));
	}

	@Override
	public CompletableFuture<Void> abandonMigration(String name) {
		return ops.async(name, () -> afresh(name, () -> {
			migrations.abandon(name, runs);
			return null;
		}));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> stop(String name, Duration timeout) {
		return ops.async(name, () -> afresh(name, () -> runs.stop(name, timeout, Action.STOP)));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> kill(String name) {
		return ops.async(name, () -> afresh(name, () -> runs.stop(name, Duration.ZERO, Action.KILL)));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> restart(String name, Duration timeout) {
		return ops.async(name, () -> afresh(name, () -> runs.restart(name, timeout)));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> freeze(String name) {
		return ops.async(name, () -> afresh(name, () -> runs.changeFreezer(name, Action.FREEZE)));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> thaw(String name) {
		return ops.async(name, () -> afresh(name, () -> runs.changeFreezer(name, Action.THAW)));
	}

	// ---- inside a running container ---------------------------------------------------------------------------

	@Override
	public CompletableFuture<ExecResult> exec(String name, ExecRequest request) {
		return ops.async(name, () -> sessions.exec(name, request));
	}

	@Override
	public CompletableFuture<ExecSession> openExec(String name, ExecRequest request) {
		return ops.async(name, () -> sessions.openExec(name, request));
	}

	@Override
	public int execInheritingIo(String name, ExecRequest request) throws BerthException {
		return sessions.execInheritingIo(name, request);
	}

	@Override
	public CompletableFuture<TerminalSession> openTerminal(String name, TerminalRequest request) {
		return ops.async(name, () -> sessions.terminalTarget(name, request.console()))
				.thenCompose(target -> Terminals.open(target, request));
	}

	@Override
	public CompletableFuture<TerminalSession> watchConsole(String name) {
		return ops.async(name, () -> sessions.consoleTarget(snapshots.require(name)))
				.thenCompose(Terminals::watchConsole);
	}

	@Override
	public CompletableFuture<Usage> usage(String name) {
		return ops.unlocked(() -> sessions.usage(name));
	}

	/** One file read in the calling thread: {@code berth list} asks this of every running container. */
	@Override
	public CompletableFuture<Long> memoryInUse(String name) {
		return CompletableFuture.completedFuture(sessions.memoryInUse(name));
	}
}
