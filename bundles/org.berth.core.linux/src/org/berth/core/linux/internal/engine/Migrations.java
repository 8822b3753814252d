package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import org.berth.core.BerthException;
import org.berth.core.CheckpointRequest;
import org.berth.core.ContainerExistsException;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.EngineEvent;
import org.berth.core.IdMap;
import org.berth.core.MigrationProgress;
import org.berth.core.MigrationProgress.Phase;
import org.berth.core.MigrationRequest;
import org.berth.core.MigrationResult;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceType;
import org.berth.core.NetworkMode;
import org.berth.core.SpecValidator;
import org.berth.core.linux.MigrationLanding;
import org.berth.core.linux.internal.checkpoint.Criu;
import org.berth.core.linux.internal.migration.Command;
import org.berth.core.linux.internal.migration.RsyncOutput;
import org.berth.core.linux.internal.migration.SenderView;
import org.berth.core.linux.internal.migration.Session;
import org.berth.core.linux.internal.migration.SshTarget;
import org.berth.core.wire.SpecJson;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Migration of a container to another Berth host over ssh, and the target's side of it. Called under the
 * container's lock (nothing else starts, stops or changes it meanwhile).
 * <p>
 * The source drives, over one ssh connection (a master that every command goes through); the target runs its own
 * {@code berth}: {@code berth migrate-receive NAME} defines the container there from the spec on its input and
 * answers where its files go ({@link MigrationLanding}). The container's folder (root file system, snapshots, their
 * schedule) is sent with rsync while the container runs, and {@code berth migrate-receive --resume NAME} is started
 * there and waits, its JVM and engine up; then CRIU freezes and dumps the container here (it is down from that
 * moment), one rsync sends what changed and the images, and the waiting berth is told the checkpoint's name and
 * resumes it. Only once the target runs it is it removed here; when any step before fails, the target's half-made
 * copy is removed and the container resumes here from its images. A stopped container moves with its files alone.
 */
final class Migrations {

	private static final Duration REMOTE_TIMEOUT = Duration.ofMinutes(5);
	/** rsync's status when files it listed were gone when it came to read them. */
	private static final int RSYNC_VANISHED = 24;
	private static final Duration SEND_TIMEOUT = Duration.ofHours(12);
	/** Every {@code berth} the source runs on the target uses that host's engine in its own process, no agent. */
	private static final List<String> REMOTE_ENV = List.of("BERTH_AGENT=0");

	private final EngineContext ctx;
	private final Snapshots snapshots;
	private final Checkpoints checkpoints;
	private final Definitions definitions;

	Migrations(EngineContext ctx, Snapshots snapshots, Checkpoints checkpoints, Definitions definitions) {
		this.ctx = ctx;
		this.snapshots = snapshots;
		this.checkpoints = checkpoints;
		this.definitions = definitions;
	}

	// ---- the source's side ------------------------------------------------------------------------------------

	MigrationResult migrate(String name, MigrationRequest request, Consumer<MigrationProgress> progress)
			throws BerthException {
		SshTarget target;
		try {
			target = SshTarget.parse(request.target());
		} catch (IllegalArgumentException e) {
			throw new BerthException("migrate", name, e.getMessage());
		}
		Consumer<MigrationProgress> hear = progress == null ? p -> {
		} : progress;
		Map<Phase, Duration> took = new EnumMap<>(Phase.class);
		ContainerSnapshot snap = snapshots.require(name);
		ContainerSpec spec = snap.spec();
		if (spec.rootfs() != null) {
			throw new BerthException("migrate", name, "the root file system of \"" + name + "\" is the host's folder "
					+ spec.rootfs() + ", which a migration does not move: only containers whose files Berth keeps"
					+ " can migrate");
		}
		boolean live = switch (snap.state()) {
			case RUNNING -> true;
			case STOPPED -> false;
			default -> throw new BerthException("migrate", name, "\"" + name + "\" is " + snap.state().cli()
					+ ": a running or a stopped container can migrate");
		};
		long phase = System.nanoTime();
		hear.accept(new MigrationProgress(Phase.CHECK, -1, "checking that \"" + name + "\" can move"));
		// one container moves: none may share its namespaces, either way, running or not (it is removed here after)
		for (org.berth.core.NamespaceSpec ns : spec.namespaces().values()) {
			if (ns.mode() == NamespaceMode.SHARE) {
				throw new BerthException("migrate", name, "\"" + name + "\" shares the " + ns.type().procName()
						+ " namespace of \"" + ns.shareWith() + "\": a migration moves one container whose namespaces"
						+ " are its own or the host's");
			}
		}
		definitions.requireUnshared("migrate", name, ": a migration moves one container; change \"%s\" first");
		if (live) {
			Criu.locate().orElseThrow(() -> new BerthException("migrate", name, Criu.missing()));
			checkpoints.requireDumpable(name, snap); // before the target is asked: the user reads the obstacle
		}
		Path control;
		try {
			control = Files.createTempDirectory("berth-ssh-"); // 0700: the master connection's socket is root's
		} catch (IOException e) {
			throw new BerthException("migrate", name, "could not make a folder for ssh's connection: " + e.getMessage(),
					e);
		}
		target = target.through(control.resolve("master"));
		try {
			hear.accept(new MigrationProgress(Phase.CHECK, -1, "connecting to " + target));
			connect(name, target, request, control);
			hear.accept(new MigrationProgress(Phase.CHECK, -1, "asking " + target + " to take \"" + name + "\""));
			MigrationLanding landing = receive(name, target, request, spec);
			took.put(Phase.CHECK, since(phase));
			long[] sent = {0};
			String dumped = null;
			long down = 0;
			Session resume = null;
			try {
				if (live && !landing.criu()) {
					throw new BerthException("migrate", name, target + " has no CRIU that works (releng/setup-criu"
							+ " provides one there); a stopped container can move without it");
				}
				phase = System.nanoTime();
				sent[0] += sendFolder(name, target, request, landing, null, Phase.TRANSFER, hear);
				if (live) {
					// the target's berth starts now, so that its JVM and engine are up when the images arrive
					resume = startResume(name, target, request);
				}
				took.put(Phase.TRANSFER, since(phase));
				if (live) {
					phase = System.nanoTime();
					down = phase;
					hear.accept(new MigrationProgress(Phase.DUMP, -1, "freezing \"" + name + "\" and writing its"
							+ " processes"));
					dumped = "migration-" + System.currentTimeMillis();
					checkpoints.checkpoint(name, new CheckpointRequest(dumped, null, false,
							request.tcpEstablished()));
					took.put(Phase.DUMP, since(phase));
					phase = System.nanoTime();
					sent[0] += sendFolder(name, target, request, landing, dumped, Phase.COPY, hear);
					took.put(Phase.COPY, since(phase));
					phase = System.nanoTime();
					hear.accept(new MigrationProgress(Phase.RESTORE, -1, "resuming \"" + name + "\" on " + target));
					resumeThere(name, target, resume, dumped);
					took.put(Phase.RESTORE, since(phase));
				}
			} catch (BerthException | RuntimeException e) {
				if (resume != null) {
					resume.close();
				}
				throw recover(name, target, request, dumped, e, hear);
			}
			Duration downtime = live ? since(down) : Duration.ZERO;
			phase = System.nanoTime();
			hear.accept(new MigrationProgress(Phase.CLEAN_UP, -1, "removing \"" + name + "\" here"));
			cleanUp(name, target, request, dumped);
			took.put(Phase.CLEAN_UP, since(phase));
			return new MigrationResult(name, target.toString(), live, downtime, sent[0], took);
		} finally {
			disconnect(target, request, control);
		}
	}

	/**
	 * Opens the one ssh connection every later command goes through; a target that does not answer, or does not let
	 * this user in, is found here, before anything changed.
	 */
	private static void connect(String name, SshTarget target, MigrationRequest request, Path control)
			throws BerthException {
		Path log = control.resolve("master.log");
		try {
			Process p = new ProcessBuilder(target.master(request.ssh())).redirectErrorStream(true)
					.redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File(
							"/dev/null")))
					.start();
			boolean ended = p.waitFor(REMOTE_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
			if (!ended) {
				p.destroyForcibly();
				p.waitFor();
			}
			if (!ended || p.exitValue() != 0) {
				List<String> said = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
				throw new BerthException("migrate", name, "could not reach " + target + ": " + (!ended
						? "ssh did not connect in " + REMOTE_TIMEOUT.toMinutes() + " minutes"
						: said.isEmpty() ? "ssh ended with status " + p.exitValue()
								: String.join("; ", said.subList(Math.max(0, said.size() - 3), said.size())))
						+ " (it keeps running here)");
			}
		} catch (IOException e) {
			throw new BerthException("migrate", name, "could not run ssh: " + e.getMessage() + " (install"
					+ " openssh-client)", e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new BerthException("migrate", name, "interrupted while connecting to " + target);
		}
	}

	/** Ends the connection and removes its folder. */
	private static void disconnect(SshTarget target, MigrationRequest request, Path control) {
		if (Files.exists(target.control())) {
			try {
				Command.run(target.exit(request.ssh()), null, null, Duration.ofSeconds(30));
			} catch (IOException e) {
				// no master to end
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
		EngineContext.quietly("remove ssh's folder of the migration of", target.toString(),
				() -> Files2.deleteTree(control));
	}

	/** The target's {@code berth migrate-receive --resume NAME}, once it says it is ready. */
	private Session startResume(String name, SshTarget target, MigrationRequest request) throws BerthException {
		List<String> remote = List.of(request.remoteBerth(), "migrate-receive", "--resume", name);
		Session s;
		try {
			s = Session.start(target.command(request.ssh(), REMOTE_ENV, remote));
		} catch (IOException e) {
			throw new BerthException("migrate", name, "could not run ssh: " + e.getMessage(), e);
		}
		try {
			String line = s.nextLine(REMOTE_TIMEOUT);
			if (!"ready".equals(line)) {
				Command.Result r = s.finish(Duration.ofSeconds(10));
				throw new BerthException("migrate", name, "the berth of " + target + " did not get ready to resume \""
						+ name + "\": " + (line != null ? "it said \"" + abbreviate(line) + "\"" : r.why()));
			}
			return s;
		} catch (InterruptedException e) {
			s.close();
			Thread.currentThread().interrupt();
			throw new BerthException("migrate", name, "interrupted while the target got ready");
		}
	}

	/** Tells the waiting target which checkpoint to resume, and waits until it runs there. */
	private static void resumeThere(String name, SshTarget target, Session resume, String checkpoint)
			throws BerthException {
		try {
			resume.sendLast(checkpoint);
			Command.Result r = resume.finish(REMOTE_TIMEOUT);
			if (!r.ok()) {
				throw new BerthException("migrate", name, target + " could not resume \"" + name + "\": " + r.why());
			}
		} catch (IOException e) {
			resume.close();
			throw new BerthException("migrate", name, target + " could not resume \"" + name + "\": its berth went"
					+ " away (" + e.getMessage() + ")", e);
		} catch (InterruptedException e) {
			resume.close();
			Thread.currentThread().interrupt();
			throw new BerthException("migrate", name, "interrupted while " + target + " resumed it");
		}
	}

	private static Duration since(long nanos) {
		return Duration.ofNanos(System.nanoTime() - nanos);
	}

	/** The target defines the container and says where its files go. */
	private MigrationLanding receive(String name, SshTarget target, MigrationRequest request, ContainerSpec spec)
			throws BerthException {
		byte[] json = SpecJson.toJson(spec).toString().getBytes(StandardCharsets.UTF_8);
		Command.Result r = remote(name, target, request, List.of("migrate-receive", name), json);
		if (!r.ok()) {
			throw new BerthException("migrate", name, target + " did not take \"" + name + "\": " + r.why()
					+ " (it keeps running here)");
		}
		try {
			JsonObject o = JsonParser.parseString(r.stdout().trim()).getAsJsonObject();
			return new MigrationLanding(o.get("container").getAsString(), Path.of(o.get("folder").getAsString()),
					o.get("criu").getAsBoolean());
		} catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
			abandon(name, target, request);
			throw new BerthException("migrate", name, target + " answered what is not a landing for \"" + name
					+ "\" (is its berth as new as this one?): " + abbreviate(r.stdout()));
		}
	}

	/**
	 * The container's folder to the target: root file system, snapshots and their schedule, and the checkpoint
	 * {@code checkpoint} when it is not null (one rsync for both: one file list, one round trip); not its config (the
	 * target wrote its own) nor its other checkpoints (taken of runs on this host).
	 */
	private long sendFolder(String name, SshTarget target, MigrationRequest request, MigrationLanding landing,
			String checkpoint, Phase phase, Consumer<MigrationProgress> hear) throws BerthException {
		List<String> filter = new ArrayList<>(List.of("--exclude=/" + ConfigStore.CONFIG));
		if (checkpoint != null) {
			filter.addAll(List.of("--include=/" + Checkpoints.FOLDER + "/", "--include=/" + Checkpoints.FOLDER + "/"
					+ checkpoint + "/***"));
		}
		filter.add("--exclude=/" + Checkpoints.FOLDER + "/" + (checkpoint != null ? "*" : ""));
		return send(name, target, request, ctx.store.dir(name).toString(), landing.folder().toString(), filter, phase,
				checkpoint == null ? "the files" : "what changed in the files, and the checkpoint,", hear);
	}

	/** Where the local rsync sees the container's folder ({@link SenderView}): beside ssh's socket, root's alone. */
	private static Path view(SshTarget target) {
		return target.control().resolveSibling("view");
	}

	/** rsync of one folder; its progress heard; the bytes it sent. */
	private long send(String name, SshTarget target, MigrationRequest request, String from, String to,
			List<String> options, Phase phase, String what, Consumer<MigrationProgress> hear) throws BerthException {
		Path view = view(target);
		try {
			Files.createDirectories(view);
		} catch (IOException e) {
			throw new BerthException("migrate", name, "could not make the folder " + view + ": " + e.getMessage(), e);
		}
		List<String> rsync = new ArrayList<>(target.rsync(request.ssh(), view.toString(), to, Optional.empty()));
		rsync.addAll(1, options);
		List<String> argv = SenderView.wrap(from, view.toString(), rsync);
		long[] bytes = {0};
		double[] last = {-1};
		hear.accept(new MigrationProgress(phase, 0, "sending " + what + " of \"" + name + "\""));
		Command.Result r = run(name, argv, null, line -> {
			RsyncOutput.bytesSent(line).ifPresent(b -> bytes[0] = b);
			RsyncOutput.fraction(line).ifPresent(f -> {
				if (f - last[0] >= 0.01) {
					last[0] = f;
					hear.accept(new MigrationProgress(phase, f, "sending " + what + " of \"" + name + "\""));
				}
			});
		}, SEND_TIMEOUT);
		// while it runs, its files come and go: one listed and gone before it was read (rsync's status 24) is sent, or
		// removed there, by the copy after the freeze
		boolean vanished = r.status() == RSYNC_VANISHED && phase == Phase.TRANSFER;
		if (!r.ok() && !vanished) {
			throw new BerthException("migrate", name, "could not send " + what + " of \"" + name + "\" to "
					+ target + ": " + r.why());
		}
		hear.accept(new MigrationProgress(phase, 1, "sent " + what + " of \"" + name + "\" ("
				+ org.berth.core.Sizes.formatBytes(bytes[0]) + ")"));
		return bytes[0];
	}

	/** The target's berth with {@code args}, about the container {@code name}. */
	private Command.Result remote(String name, SshTarget target, MigrationRequest request, List<String> args,
			byte[] input) throws BerthException {
		List<String> remote = new ArrayList<>();
		remote.add(request.remoteBerth());
		remote.addAll(args);
		return run(name, target.command(request.ssh(), REMOTE_ENV, remote), input, null, REMOTE_TIMEOUT);
	}

	private static Command.Result run(String name, List<String> argv, byte[] input, Consumer<String> lines,
			Duration timeout) throws BerthException {
		try {
			return Command.run(argv, input, lines, timeout);
		} catch (IOException e) {
			// rsync runs through unshare, which says itself when rsync is missing
			throw new BerthException("migrate", name, "could not run " + argv.get(0) + ": " + e.getMessage()
					+ (argv.get(0).equals("ssh") ? " (install openssh-client)" : ""), e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new BerthException("migrate", name, "interrupted while running " + argv.get(0));
		}
	}

	/**
	 * After a failure: the target's copy removed, the container resumed here from its images when it was dumped. The
	 * sentence says what failed and where the container is now.
	 */
	private BerthException recover(String name, SshTarget target, MigrationRequest request, String dumped,
			Exception cause, Consumer<MigrationProgress> hear) {
		String why = cause.getMessage();
		hear.accept(new MigrationProgress(Phase.CLEAN_UP, -1, "the migration failed; removing what it made on "
				+ target));
		String abandoned = abandon(name, target, request);
		String here;
		if (dumped == null) {
			here = snapshots.get(name).map(ContainerSnapshot::isActive).orElse(false) ? "it keeps running here"
					: "it stays here";
		} else {
			hear.accept(new MigrationProgress(Phase.CLEAN_UP, -1, "resuming \"" + name + "\" here"));
			try {
				checkpoints.restore(name, dumped);
				EngineContext.quietly("delete the migration's checkpoint of", name,
						() -> checkpoints.delete(name, dumped));
				here = "it runs here again, resumed from its checkpoint";
			} catch (BerthException e) {
				here = "it could not resume here either (" + e.getMessage()
						+ "); its checkpoint is kept: berth restore "
						+ name + " " + dumped + " resumes it";
			}
		}
		return new BerthException("migrate", name, "migrating \"" + name + "\" to " + target + " failed: " + why
				+ "; " + here + (abandoned == null ? "" : "; " + abandoned), cause);
	}

	/** Removes the target's copy; null when it is gone, else a sentence saying what is left there. */
	private String abandon(String name, SshTarget target, MigrationRequest request) {
		try {
			Command.Result r = remote(name, target, request, List.of("migrate-receive", "--abandon", name), null);
			return r.ok() ? null : "its copy on " + target + " may be left: " + r.why();
		} catch (BerthException e) {
			return "its copy on " + target + " may be left: " + e.getMessage();
		}
	}

	/** The target runs it: the checkpoint there, and everything of it here, go. */
	private void cleanUp(String name, SshTarget target, MigrationRequest request, String dumped) {
		if (dumped != null) {
			EngineContext.quietly("delete the checkpoint on the target of", name, () -> {
				Command.Result r = remote(name, target, request, List.of("checkpoint", "--delete", name, dumped),
						null);
				if (!r.ok()) {
					throw new IOException(r.why());
				}
			});
		}
		EngineContext.quietly("remove the migrated", name, () -> definitions.destroy(name));
	}

	private static String abbreviate(String s) {
		String t = s.strip();
		return t.length() > 200 ? t.substring(0, 200) + "…" : t;
	}

	// ---- the target's side ------------------------------------------------------------------------------------

	/** {@link org.berth.core.linux.LocalEngine#receiveMigration}. */
	MigrationLanding receive(ContainerSpec spec) throws BerthException {
		String name = spec.name();
		if (snapshots.contains(name) || ctx.store.exists(name)) {
			throw new ContainerExistsException("receive", name);
		}
		if (spec.rootfs() != null) {
			throw new BerthException("receive", name, "\"" + name + "\" has its root file system in a host folder; a"
					+ " migration brings only containers whose files Berth keeps");
		}
		for (ContainerSnapshot other : snapshots.values()) {
			ContainerSpec o = other.spec();
			if (spec.mode(NamespaceType.USER) == NamespaceMode.NEW && o.mode(NamespaceType.USER) == NamespaceMode.NEW
					&& (overlap(spec.uidMaps(), o.uidMaps()) || overlap(spec.gidMaps(), o.gidMaps()))) {
				throw new BerthException("receive", name, "the host ids of \"" + name + "\" (" + spec.uidMaps()
						+ ") are those of \"" + o.name() + "\" here; a migration keeps them");
			}
			if (spec.network().mode() == NetworkMode.VETH && o.network().mode() == NetworkMode.VETH
					&& Objects.equals(spec.network().address(), o.network().address())) {
				throw new BerthException("receive", name, "the address " + spec.network().address() + " of \"" + name
						+ "\" is that of \"" + o.name() + "\" here; a migration keeps it");
			}
		}
		SpecValidator.requireValid(spec, definitions.validationContext());
		Path folder = ctx.store.dir(name);
		try {
			Files2.privateDirectories(folder);
			Files.createDirectories(ctx.store.rootfs(name));
			Files.createDirectories(folder.resolve(Checkpoints.FOLDER), PosixFilePermissions.asFileAttribute(
					PosixFilePermissions.fromString("rwx------")));
			ctx.store.save(spec);
		} catch (IOException e) {
			EngineContext.quietly("remove the half-made", name, () -> Files2.deleteTree(folder));
			ctx.store.forget(name);
			throw new BerthException("receive", name, "could not make a place for \"" + name + "\": " + e.getMessage(),
					e);
		}
		snapshots.publish(EngineEvent.Kind.DEFINED, ContainerSnapshot.stopped(spec));
		return new MigrationLanding(name, folder, Criu.locate().isPresent());
	}

	private static boolean overlap(List<IdMap> a, List<IdMap> b) {
		for (IdMap x : a) {
			for (IdMap y : b) {
				if (x.outsideId() < y.outsideId() + y.count() && y.outsideId() < x.outsideId() + x.count()) {
					return true;
				}
			}
		}
		return false;
	}

	/** {@link org.berth.core.linux.LocalEngine#abandonMigration}: the container is ended if it runs, and removed. */
	void abandon(String name, RunControl runs) throws BerthException {
		ContainerSnapshot snap = snapshots.require(name);
		if (snap.state() != ContainerState.STOPPED) {
			runs.stop(name, Duration.ZERO, org.berth.core.Action.KILL);
		}
		definitions.destroy(name);
	}

}
