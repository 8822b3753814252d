package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.berth.core.Action;
import org.berth.core.BerthException;
import org.berth.core.CheckpointInfo;
import org.berth.core.CheckpointRequest;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.EngineEvent;
import org.berth.core.SpecValidator;
import org.berth.core.StateMachine;
import org.berth.core.linux.internal.cgroup.Group;
import org.berth.core.linux.internal.checkpoint.CheckpointRecord;
import org.berth.core.linux.internal.checkpoint.Criu;
import org.berth.core.linux.internal.checkpoint.CriuArgs;
import org.berth.core.linux.internal.checkpoint.Obstacles;
import org.berth.core.linux.internal.proc.ProcStat;
import org.berth.core.linux.internal.snapshots.Trees;

/**
 * Checkpoints of running containers with CRIU, and their restore: {@code NAME/checkpoints/CHECKPOINT/} under the
 * configuration root (root's alone, outside the container's root file system: images a container could write would
 * be read by CRIU as host root), or a folder the caller names. Called under the container's lock.
 * <p>
 * A checkpoint is {@code criu dump} of init's process tree, the container frozen by its freezer meanwhile; unless the
 * caller keeps it running, CRIU ends the processes once they are written and the container settles as stopped. The
 * engine freezes the group itself before CRIU runs: CRIU writes FROZEN and, while the state still reads FREEZING (as
 * a v1 freezer's nearly always does right after the write), sleeps 100 ms before it reads again
 * ({@code freeze_processes} in CRIU's seize.c), where {@link Group#freeze} re-reads after 1 ms. CRIU takes a group it
 * finds frozen as it is and leaves it frozen when the processes go on running (after {@code --leave-running} or a
 * failed dump); the engine thaws it then, unless it was frozen before the checkpoint. A
 * restore makes the cgroups of the dumped run again (its name under this engine's parent, which differs when the
 * checkpoint came from another host) and runs {@code berth-helper restore}, which runs CRIU in them and stays as the
 * monitor of the restored init.
 */
final class Checkpoints {

	private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}");
	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("'ck-'yyyyMMdd-HHmmss")
			.withZone(ZoneOffset.UTC);
	private static final Duration DUMP_TIMEOUT = Duration.ofMinutes(10);
	static final String FOLDER = "checkpoints";
	static final String FAILED_LOG = "checkpoint-failed.log";

	private final EngineContext ctx;
	private final Snapshots snapshots;
	private final Reconciler reconciler;
	private final RunControl runs;
	private final NamespaceTracker namespaces;
	private final Definitions definitions;

	Checkpoints(EngineContext ctx, Snapshots snapshots, Reconciler reconciler, RunControl runs,
			NamespaceTracker namespaces, Definitions definitions) {
		this.definitions = definitions;
		this.ctx = ctx;
		this.snapshots = snapshots;
		this.reconciler = reconciler;
		this.runs = runs;
		this.namespaces = namespaces;
	}

	private Path folder(String name) {
		return ctx.store.dir(name).resolve(FOLDER);
	}

	private static Path criu(String operation, String name) throws BerthException {
		return Criu.locate().orElseThrow(() -> new BerthException(operation, name, Criu.missing()));
	}

	/**
	 * The run of a container that can be checkpointed now, or the obstacle by its name (see {@link Obstacles}); the
	 * container is not touched.
	 */
	RunDir.State requireDumpable(String name, ContainerSnapshot snap) throws BerthException {
		if (!snap.isActive()) {
			throw new BerthException("checkpoint", name, "\"" + name + "\" is " + snap.state().cli()
					+ ": only a running container can be checkpointed");
		}
		RunDir.State state = ctx.requireRunning(snap);
		ContainerSpec spec = snap.spec();
		List<ContainerSpec> running = snapshots.values().stream().filter(ContainerSnapshot::isActive)
				.map(ContainerSnapshot::spec).toList();
		Optional<String> obstacle = Obstacles.ofNamespaces(spec, running);
		if (obstacle.isPresent()) {
			throw refused(name, obstacle.get());
		}
		Group group = ctx.driver().open(state.cgroup());
		try {
			Map<Long, ProcStat> processes = processes(group);
			Map<Long, Long> parents = new HashMap<>();
			Map<Long, String> commands = new HashMap<>();
			processes.forEach((pid, st) -> {
				parents.put(pid, st.ppid());
				commands.put(pid, st.comm());
			});
			parents.putIfAbsent(state.initPid(), 0L);
			obstacle = Obstacles.ofProcesses(state.initPid(), parents, commands);
			if (obstacle.isEmpty()) {
				obstacle = Obstacles.ofSubgroups(group.subgroups());
			}
			if (obstacle.isEmpty()) {
				Path proc = ctx.processes.procRoot().resolve(Long.toString(state.initPid()));
				obstacle = Obstacles.ofMounts(Files.readAllLines(proc.resolve("mountinfo")),
						spec.mode(org.berth.core.NamespaceType.USER) == org.berth.core.NamespaceMode.NEW);
			}
		} catch (IOException e) {
			throw EngineContext.translate("checkpoint", name, e);
		}
		if (obstacle.isPresent()) {
			throw refused(name, obstacle.get());
		}
		return state;
	}

	CheckpointInfo checkpoint(String name, CheckpointRequest request) throws BerthException {
		Path criu = criu("checkpoint", name);
		ContainerSnapshot snap = snapshots.require(name);
		RunDir.State state = requireDumpable(name, snap);
		ContainerSpec spec = snap.spec();
		String checkpoint = request.checkpoint() != null ? checkName(name, request.checkpoint())
				: STAMP.format(Instant.now());
		Path images = request.dir() != null ? outsideFolder(name, request.dir()) : folder(name).resolve(checkpoint);
		Group group = ctx.driver().open(state.cgroup());
		try {
			Path console = ctx.processes.procRoot().resolve(Long.toString(state.initPid())).resolve("root/dev/console");
			String ttyKey = CriuArgs.ttyKey((Long) Files.getAttribute(console, "unix:rdev"),
					(Long) Files.getAttribute(console, "unix:dev"));
			List<HelperCommand.Bind> binds = Templates.binds(spec, ctx.helper());
			prepareImages(name, images, checkpoint, request);
			Path freezer = group.freezerDir().orElse(null);
			List<String> args = CriuArgs.dump(criu, state.initPid(), images, ttyKey, freezer, criuBinds(binds),
					request.leaveRunning(), request.tcpEstablished());
			boolean freezeFirst = freezer != null && !group.frozen();
			if (freezeFirst) {
				try {
					group.freeze(); // says why when a task does not freeze, and thaws the group again
				} catch (IOException e) {
					if (request.dir() == null) {
						EngineContext.quietly("remove the images folder of", name, () -> Files2.deleteTree(images));
					}
					throw e;
				}
			}
			int status = Integer.MIN_VALUE;
			try {
				status = Criu.run(args, images.resolve("criu.out"), DUMP_TIMEOUT);
			} finally {
				if (freezeFirst && (status != 0 || request.leaveRunning())) {
					EngineContext.quietly("thaw after the checkpoint of", name, group::thaw);
				}
			}
			if (status != 0) {
				throw dumpFailed(name, images, status, state);
			}
			CheckpointRecord record = new CheckpointRecord(name, checkpoint, Instant.now(), state.cgroup(), ttyKey,
					binds.stream().map(HelperCommand.Bind::target).toList(), request.leaveRunning(),
					request.tcpEstablished(), spec);
			record.write(images);
			protect(images, spec);
			if (!request.leaveRunning()) {
				// CRIU ended the processes: the monitor removes the cgroups and ends
				ctx.processes.awaitExit(state.monitorPid(), Reconciler.KILL_TIMEOUT); // its "killed 9" is written
				EngineContext.quietly("record the checkpoint of", name, () -> ctx.runDir(name).recordCheckpoint(
						checkpoint));
				reconciler.settle(snap, state);
			}
			return info(name, images, record);
		} catch (IOException e) {
			throw EngineContext.translate("checkpoint", name, e);
		}
	}

	private static BerthException refused(String name, String why) {
		return new BerthException("checkpoint", name, "cannot checkpoint \"" + name + "\": " + why);
	}

	/** Every process of the group (those that end meanwhile are left out). */
	private Map<Long, ProcStat> processes(Group group) throws IOException {
		Map<Long, ProcStat> found = new HashMap<>();
		for (long pid : group.pids()) {
			ProcStat.readIfAlive(ctx.processes.procRoot(), pid).ifPresent(st -> found.put(pid, st));
		}
		return found;
	}

	private static List<CriuArgs.Bind> criuBinds(List<HelperCommand.Bind> binds) {
		return binds.stream().map(b -> new CriuArgs.Bind(b.source(), b.target())).toList();
	}

	private static String checkName(String name, String checkpoint) throws BerthException {
		if (!NAME.matcher(checkpoint).matches()) {
			throw new BerthException("checkpoint", name, "\"" + checkpoint + "\" is not a checkpoint name: use 1-64"
					+ " letters, digits, '.', '_' or '-', starting with a letter or digit");
		}
		return checkpoint;
	}

	/**
	 * A folder the caller named: absolute, and not under the configuration root (where containers' files are, some of
	 * which their processes can write).
	 */
	private Path outsideFolder(String name, String dir) throws BerthException {
		Path p = Path.of(dir);
		if (!p.isAbsolute()) {
			throw new BerthException("checkpoint", name, "--dir must be an absolute path, got \"" + dir + "\"");
		}
		p = p.normalize();
		try {
			Path real = Files.exists(p) ? p.toRealPath() : p;
			Path root = ctx.store.root().toRealPath();
			if (real.startsWith(root)) {
				throw new BerthException("checkpoint", name, "--dir " + dir + " is under " + root + ", where the"
						+ " containers' files are: name a folder outside it (a checkpoint's own folder under it is the"
						+ " default)");
			}
		} catch (IOException e) {
			throw EngineContext.translate("checkpoint", name, e);
		}
		return p;
	}

	/** An empty folder for the images, root's alone; a stateful stop replaces its earlier one. */
	private void prepareImages(String name, Path images, String checkpoint, CheckpointRequest request)
			throws IOException, BerthException {
		if (Files.exists(images.resolve(CheckpointRecord.FILE))) {
			if (CheckpointInfo.STATEFUL.equals(checkpoint) && request.dir() == null) {
				Files2.deleteTree(images);
			} else {
				throw new BerthException("checkpoint", name, "a checkpoint is in " + images + " already: delete it"
						+ " first (berth checkpoint --delete " + name + " " + checkpoint + "), or name another");
			}
		} else if (Files.isDirectory(images)) {
			try (Stream<Path> in = Files.list(images)) {
				if (in.findAny().isPresent() && request.dir() != null) {
					throw new BerthException("checkpoint", name, images + " is not empty: name an empty or new"
							+ " folder");
				}
			}
			if (request.dir() == null) {
				Files2.deleteTree(images); // a checkpoint that failed half-way
			}
		}
		if (request.dir() == null) {
			Files2.privateDirectories(folder(name));
		}
		Files.createDirectories(images);
		Files.setPosixFilePermissions(images, PosixFilePermissions.fromString("rwx------"));
	}

	/**
	 * The images hold the container's memory: root's alone (0700, files 0600), except that the root of a container
	 * with a user namespace of its own reads them too while CRIU restores it (parts of a restore run as that user): the
	 * folder and its files then belong to group of the container's root (0750, 0640), which no one else is in.
	 */
	private static void protect(Path images, ContainerSpec spec) throws IOException {
		Optional<Long> gid = spec.mode(org.berth.core.NamespaceType.USER) == org.berth.core.NamespaceMode.NEW
				? spec.gidMaps().stream().filter(m -> m.insideId() == 0).map(org.berth.core.IdMap::outsideId)
						.findFirst()
				: Optional.empty();
		try (Stream<Path> all = Files.walk(images)) {
			for (Path p : all.toList()) {
				boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
				if (gid.isPresent()) {
					Files.setAttribute(p, "unix:gid", gid.get().intValue(), LinkOption.NOFOLLOW_LINKS);
				}
				Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(dir
						? (gid.isPresent() ? "rwxr-x---" : "rwx------")
						: (gid.isPresent() ? "rw-r-----" : "rw-------")));
			}
		}
	}

	/** Says why CRIU failed, keeps its log in the run folder, removes the images; the container runs on. */
	private BerthException dumpFailed(String name, Path images, int status, RunDir.State state) {
		List<String> errors = Criu.errors(images.resolve("dump.log"), 3);
		Path kept = ctx.runDir(name).file(FAILED_LOG);
		EngineContext.quietly("keep the log of the checkpoint of", name,
				() -> Files.copy(images.resolve("dump.log"), kept, StandardCopyOption.REPLACE_EXISTING));
		EngineContext.quietly("remove the images of the failed checkpoint of", name, () -> Files2.deleteTree(images));
		String why = status < 0 ? "it did not finish in " + DUMP_TIMEOUT.toMinutes() + " minutes"
				: errors.isEmpty() ? "it ended with status " + status : String.join("; ", errors);
		String after = ctx.isAlive(state) ? "it keeps running" : "it has ended";
		return new BerthException("checkpoint", name, "CRIU could not checkpoint \"" + name + "\": " + why + " ("
				+ after + "; CRIU's log: " + kept + ")");
	}

	List<CheckpointInfo> list(String name) throws BerthException {
		snapshots.require(name);
		List<CheckpointInfo> found = new ArrayList<>();
		Path dir = folder(name);
		if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
			return found;
		}
		try (Stream<Path> each = Files.list(dir)) {
			for (Path p : each.sorted().toList()) {
				try {
					found.add(info(name, p, CheckpointRecord.read(p)));
				} catch (IOException e) {
					// a folder left by a checkpoint that failed half-way, or not one of ours: not a checkpoint
				}
			}
		} catch (IOException e) {
			throw EngineContext.translate("list the checkpoints of", name, e);
		}
		found.sort(Comparator.comparing(CheckpointInfo::created));
		return found;
	}

	private static CheckpointInfo info(String name, Path images, CheckpointRecord rec) throws IOException {
		return new CheckpointInfo(name, rec.name(), rec.created(), Trees.size(images), images.toString(),
				rec.leftRunning(), rec.tcpEstablished());
	}

	void delete(String name, String checkpoint) throws BerthException {
		snapshots.require(name);
		Path images = folder(name).resolve(checkName(name, checkpoint));
		if (!Files.exists(images.resolve(CheckpointRecord.FILE))) {
			throw new BerthException("delete checkpoint", name, "\"" + name + "\" has no checkpoint named \""
					+ checkpoint + "\"");
		}
		try {
			Files2.deleteTree(images);
		} catch (IOException e) {
			throw EngineContext.translate("delete checkpoint", name, e);
		}
	}

	/** Whether the container has a stateful stop's checkpoint, which its next start resumes. */
	boolean hasStateful(String name) {
		return Files.exists(folder(name).resolve(CheckpointInfo.STATEFUL).resolve(CheckpointRecord.FILE));
	}

	/**
	 * The start of a container stopped with its state: that state resumed; when it cannot be, the sentence says how to
	 * start the container afresh instead.
	 */
	ContainerSnapshot resumeStateful(String name) throws BerthException {
		try {
			return restore(name, CheckpointInfo.STATEFUL);
		} catch (BerthException e) {
			throw new BerthException("start", name, e.getMessage() + " (\"" + name + "\" was stopped with its state;"
					+ " berth checkpoint --delete " + name + " " + CheckpointInfo.STATEFUL
					+ " discards it, and the next"
					+ " start starts it afresh)", e);
		}
	}

	ContainerSnapshot restore(String name, String reference) throws BerthException {
		Path criu = criu("restore", name);
		ContainerSnapshot snap = snapshots.require(name);
		if (snap.isActive()) {
			throw new BerthException("restore", name, "\"" + name + "\" is " + snap.state().cli() + ": a checkpoint"
					+ " is restored into a stopped container (stop it first)");
		}
		Path images = images(name, reference);
		CheckpointRecord rec;
		try {
			rec = CheckpointRecord.read(images);
		} catch (IOException e) {
			throw new BerthException("restore", name, e.getMessage(), e);
		}
		ContainerSpec spec = snap.spec();
		checkRestorable(name, rec, spec);
		SpecValidator.requireValid(spec, definitions.validationContext());
		List<HelperCommand.Bind> binds = Templates.binds(spec, ctx.helper());
		if (!binds.stream().map(HelperCommand.Bind::target).toList().equals(rec.bindTargets())) {
			throw new BerthException("restore", name, "the checkpoint's binds " + rec.bindTargets()
					+ " are not what \"" + name + "\" has now: it was checkpointed with another kind or template");
		}
		snapshots.publish(EngineEvent.Kind.STATE_CHANGED, snap.withState(StateMachine.transitional(name,
				snap.state(), Action.START)));
		RunDir.State state;
		try {
			state = runs.launch(spec, cgroupOf(name, rec),
					(plan, hostVeth) -> HelperCommand.restore(spec, plan, rec.ttyKey(),
							CriuArgs.restore(criu, images, criuBinds(binds),
									hostVeth == null ? null : ctx.network.precreate(name, hostVeth),
									rec.tcpEstablished())));
		} catch (BerthException e) {
			snapshots.publish(EngineEvent.Kind.STATE_CHANGED, snap.withState(ContainerState.STOPPED));
			List<String> errors = Criu.errors(images.resolve("restore.log"), 3);
			throw new BerthException("restore", name, "could not restore \"" + name + "\" from " + images + ": "
					+ e.getMessage() + (errors.isEmpty() ? "" : " (CRIU: " + String.join("; ", errors) + ")")
					+ "; CRIU's log: " + images.resolve("restore.log"), e);
		}
		snapshots.publish(EngineEvent.Kind.STATE_CHANGED, new ContainerSnapshot(spec, ContainerState.RUNNING,
				state.initPid(), state.startedAt(), snap.lastExit(), Map.of()));
		reconciler.watchFoundMonitors();
		reconciler.watch(name, state);
		namespaces.refresh();
		if (CheckpointInfo.STATEFUL.equals(rec.name())
				&& images.equals(folder(name).resolve(CheckpointInfo.STATEFUL))) {
			// a stateful stop's state is resumed once, as Incus does
			EngineContext.quietly("remove the resumed stateful checkpoint of", name, () -> Files2.deleteTree(images));
		}
		return snapshots.peek(name);
	}

	/** The images folder {@code reference} names: null the newest checkpoint, "/..." a folder, else one by name. */
	private Path images(String name, String reference) throws BerthException {
		if (reference == null) {
			List<CheckpointInfo> all = list(name);
			if (all.isEmpty()) {
				throw new BerthException("restore", name, "\"" + name + "\" has no checkpoints (berth checkpoint "
						+ name + " makes one)");
			}
			return Path.of(all.get(all.size() - 1).path());
		}
		if (reference.startsWith("/")) {
			return Path.of(reference).normalize();
		}
		Path p = folder(name).resolve(checkName(name, reference));
		if (!Files.isDirectory(p)) {
			throw new BerthException("restore", name, "\"" + name + "\" has no checkpoint named \"" + reference
					+ "\"");
		}
		return p;
	}

	/**
	 * The cgroup path a restore makes: the dumped run's under this engine's parent ({@code PARENT/NAME-ID}), which is
	 * another when the checkpoint came from another host or engine (a migration); a checkpoint that names another
	 * kind of path is refused.
	 */
	private String cgroupOf(String name, CheckpointRecord rec) throws BerthException {
		java.util.regex.Matcher m = Pattern.compile("(?:.+/)?" + Pattern.quote(name) + "-(\\d{1,19})")
				.matcher(rec.cgroup());
		if (!m.matches()) {
			throw new BerthException("restore", name, "the checkpoint names the cgroup \"" + rec.cgroup()
					+ "\", which is not a run of \"" + name + "\"");
		}
		return ctx.config.cgroupParent() + "/" + name + "-" + m.group(1);
	}

	/**
	 * A checkpoint is restored into the container it was taken of, with the namespaces, id maps and network it had
	 * then.
	 */
	private void checkRestorable(String name, CheckpointRecord rec, ContainerSpec spec) throws BerthException {
		if (!rec.container().equals(name)) {
			throw new BerthException("restore", name, "the checkpoint is of \"" + rec.container() + "\", not of \""
					+ name + "\"");
		}
		cgroupOf(name, rec);
		ContainerSpec then = rec.spec();
		List<String> changed = new ArrayList<>();
		if (!then.namespaces().equals(spec.namespaces())) {
			changed.add("namespaces");
		}
		if (!then.uidMaps().equals(spec.uidMaps()) || !then.gidMaps().equals(spec.gidMaps())) {
			changed.add("id maps");
		}
		if (then.network().mode() != spec.network().mode()) {
			changed.add("network");
		}
		if (then.kind() != spec.kind()) {
			changed.add("kind");
		}
		if (!changed.isEmpty()) {
			throw new BerthException("restore", name, "the " + String.join(", ", changed) + " of \"" + name
					+ "\" changed since the checkpoint was taken; a restore needs them as they were");
		}
	}
}
