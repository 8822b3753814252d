package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.berth.core.wire.SpecJson;
import org.berth.core.BerthException;
import org.berth.core.ContainerDiff;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.NetworkSpec;
import org.berth.core.NetworkMode;
import org.berth.core.ContainerState;
import org.berth.core.EngineEvent;
import org.berth.core.ImageInfo;
import org.berth.core.SnapshotInfo;
import org.berth.core.SnapshotSchedule;
import org.berth.core.SpecDiff;
import org.berth.core.SpecValidator;
import org.berth.core.TreeDiff;
import org.berth.core.linux.internal.cgroup.Group;
import org.berth.core.linux.internal.snapshots.SnapshotStore;
import org.berth.core.linux.internal.snapshots.TreeScan;

/**
 * Snapshots of containers' root file systems and specs ({@link SnapshotStore}), and comparisons of containers and
 * snapshots. Called under the container's lock.
 */
final class RootfsSnapshots {

	private final EngineContext ctx;
	private final Snapshots snapshots;
	private final Definitions definitions;

	RootfsSnapshots(EngineContext ctx, Snapshots snapshots, Definitions definitions) {
		this.ctx = ctx;
		this.snapshots = snapshots;
		this.definitions = definitions;
	}

	private SnapshotStore store(String name) {
		return new SnapshotStore(ctx.store.dir(name));
	}

	/** The container, if Berth made its root file system (one given by path is the user's to save). */
	private ContainerSnapshot requireOwnRootfs(String operation, String name) throws BerthException {
		ContainerSnapshot c = snapshots.require(name);
		if (c.spec().rootfs() != null) {
			throw new BerthException(operation, name, "\"" + name + "\" runs on the root file system "
					+ c.spec().rootfs() + ", which Berth did not make; snapshots are of root file systems made from a"
					+ " template");
		}
		return c;
	}

	private static void requireSnapshotName(String operation, String name, String snapshot) throws BerthException {
		if (!SpecValidator.isValidName(snapshot)) {
			throw new BerthException(operation, name, "\"" + snapshot + "\" is not a valid snapshot name: "
					+ SpecValidator.NAME_RULE);
		}
	}

	private SnapshotStore.Stored requireSnapshot(String operation, String name, String snapshot)
			throws BerthException {
		requireSnapshotName(operation, name, snapshot);
		try {
			return store(name).read(snapshot).orElseThrow(() -> new BerthException(operation, name + "/" + snapshot,
					"\"" + name + "\" has no snapshot \"" + snapshot + "\""));
		} catch (IOException e) {
			throw EngineContext.translate(operation, name + "/" + snapshot, e);
		}
	}

	SnapshotInfo create(String name, String requested) throws BerthException {
		ContainerSnapshot c = requireOwnRootfs("snapshot", name);
		SnapshotStore store = store(name);
		String snapshot = requested == null ? store.nextName() : requested;
		requireSnapshotName("snapshot", name, snapshot);
		if (store.exists(snapshot)) {
			throw new BerthException("snapshot", name, "\"" + name + "\" has a snapshot \"" + snapshot
					+ "\" already; delete it first or choose another name");
		}
		if (c.state().isTransitional()) {
			throw new BerthException("snapshot", name, "\"" + name + "\" is " + c.state().cli()
					+ "; take the snapshot when it is running, frozen or stopped");
		}
		return whileFrozen("snapshot", c, () -> info(name, store.create(snapshot, ctx.store.rootfs(name), SpecJson
				.toJson(c.spec()), Instant.now())));
	}

	/** What copies a container's files: the copy may be interrupted. */
	private interface Copy<T> {
		T run() throws IOException, InterruptedException, BerthException;
	}

	/**
	 * Runs {@code copy} with {@code c} frozen when it runs (its files must not change while they are copied; a frozen
	 * container stays so), thawed after whatever happened.
	 */
	private <T> T whileFrozen(String operation, ContainerSnapshot c, Copy<T> copy) throws BerthException {
		String name = c.name();
		Group frozen = null;
		try {
			if (c.state() == ContainerState.RUNNING) {
				frozen = ctx.driver().open(ctx.requireRunning(c).cgroup());
				frozen.freeze();
			}
			return copy.run();
		} catch (IOException e) {
			throw EngineContext.translate(operation, name, e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new BerthException(operation, name, "interrupted while copying the files of \"" + name + "\"");
		} finally {
			if (frozen != null) {
				Group g = frozen;
				EngineContext.quietly("thaw", name, g::thaw);
			}
		}
	}

	private static SnapshotInfo info(String name, SnapshotStore.Stored s) {
		return new SnapshotInfo(name, s.name(), s.created(), s.sizeBytes(), s.copyOnWrite(),
				SpecJson.fromJson(s.spec()).withName(name));
	}

	List<SnapshotInfo> list(String name) throws BerthException {
		snapshots.require(name);
		try {
			List<SnapshotInfo> all = new ArrayList<>();
			for (SnapshotStore.Stored s : store(name).list()) {
				all.add(info(name, s));
			}
			return all;
		} catch (IOException e) {
			throw EngineContext.translate("list the snapshots of", name, e);
		}
	}

	ContainerSnapshot restore(String name, String snapshot) throws BerthException {
		ContainerSnapshot c = requireOwnRootfs("restore", name);
		SnapshotStore.Stored s = requireSnapshot("restore", name, snapshot);
		if (c.isActive()) {
			throw new BerthException("restore", name, "stop \"" + name + "\" before restoring a snapshot: its files"
					+ " are replaced");
		}
		ContainerSpec spec = keepIdentity(SpecJson.fromJson(s.spec()).withName(name), c.spec());
		SpecValidator.requireValid(spec, definitions.validationContext());
		try {
			store(name).restore(snapshot, ctx.store.rootfs(name));
			ctx.store.save(spec);
		} catch (IOException e) {
			throw EngineContext.translate("restore", name + "/" + snapshot, e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new BerthException("restore", name, "interrupted while restoring \"" + name + "\"; its files are"
					+ " as they were");
		}
		ContainerSnapshot restored = c.withSpec(spec);
		snapshots.publish(EngineEvent.Kind.UPDATED, restored);
		return restored;
	}

	/**
	 * A snapshot's spec as the container it is restored into may run it: that container's block of ids and veth
	 * address, which may differ from the snapshot's (an imported container has a block and an address of its own;
	 * the snapshot's may be another container's now). Pure.
	 */
	static ContainerSpec keepIdentity(ContainerSpec fromSnapshot, ContainerSpec current) {
		ContainerSpec.Builder b = fromSnapshot.toBuilder();
		if (!fromSnapshot.uidMaps().isEmpty() && !current.uidMaps().isEmpty()) {
			b.uidMaps(current.uidMaps()).gidMaps(current.gidMaps());
		}
		if (fromSnapshot.network().mode() == NetworkMode.VETH && current.network().mode() == NetworkMode.VETH
				&& current.network().address() != null) {
			b.network(NetworkSpec.veth(fromSnapshot.network().bridge(), current.network().address()));
		}
		return b.build();
	}

	void delete(String name, String snapshot) throws BerthException {
		snapshots.require(name);
		requireSnapshot("delete the snapshot", name, snapshot);
		try {
			store(name).delete(snapshot);
		} catch (IOException e) {
			throw EngineContext.translate("delete the snapshot", name + "/" + snapshot, e);
		}
	}

	ContainerSnapshot createFrom(String name, String snapshot, String newName) throws BerthException {
		snapshots.require(name);
		SnapshotStore.Stored s = requireSnapshot("create", name, snapshot);
		ContainerSpec spec = SpecJson.fromJson(s.spec()).withName(newName);
		return definitions.defineCopy(spec, store(name).rootfs(snapshot), "create " + newName + " from");
	}

	// ---- schedules ----------------------------------------------------------------------------------------------

	/** Beside the container's config: it moves with a rename and goes with a destroy. */
	static final String SCHEDULE = "snapshot-schedule.json";

	private static final java.time.format.DateTimeFormatter STAMP = java.time.format.DateTimeFormatter
			.ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC);

	SnapshotSchedule schedule(String name) throws BerthException {
		snapshots.require(name);
		Path file = ctx.store.dir(name).resolve(SCHEDULE);
		try {
			if (!java.nio.file.Files.isRegularFile(file)) {
				return null;
			}
			com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(java.nio.file.Files.readString(file))
					.getAsJsonObject();
			return new SnapshotSchedule(SnapshotSchedule.parseEvery(o.get("every").getAsString()),
					o.get("keep").getAsInt());
		} catch (IOException e) {
			throw EngineContext.translate("read the snapshot schedule of", name, e);
		} catch (RuntimeException e) {
			throw new BerthException("schedule", name, file + " is not a snapshot schedule (" + e.getMessage()
					+ "); set it again with berth snapshot schedule");
		}
	}

	void setSchedule(String name, SnapshotSchedule schedule) throws BerthException {
		requireOwnRootfs("schedule snapshots of", name);
		Path file = ctx.store.dir(name).resolve(SCHEDULE);
		try {
			if (schedule == null) {
				java.nio.file.Files.deleteIfExists(file);
			} else {
				Files2.writeDurably(file, ("{\"every\":\"" + schedule.everyText() + "\",\"keep\":" + schedule.keep()
						+ "}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8),
						java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
			}
		} catch (IOException e) {
			throw EngineContext.translate("save the snapshot schedule of", name, e);
		}
	}

	/** Takes {@code name}'s snapshot when one is due at {@code now} and deletes the automatic ones beyond keep. */
	List<String> runSchedule(String name, Instant now) throws BerthException {
		SnapshotSchedule schedule = snapshots.contains(name) ? schedule(name) : null;
		if (schedule == null) {
			return List.of();
		}
		List<String> done = new ArrayList<>();
		try {
			List<SnapshotStore.Stored> auto = store(name).list().stream()
					.filter(s -> s.name().startsWith(SnapshotSchedule.PREFIX)).toList();
			if (schedule.due(auto.stream().map(SnapshotStore.Stored::created).toList(), now)) {
				ContainerSnapshot c = snapshots.require(name);
				if (c.state().isTransitional()) {
					return List.of(name + ": the scheduled snapshot waits, the container is " + c.state().cli());
				}
				SnapshotInfo taken = create(name, SnapshotSchedule.PREFIX + STAMP.format(now));
				done.add(name + ": took " + taken.name());
				auto = store(name).list().stream().filter(s -> s.name().startsWith(SnapshotSchedule.PREFIX))
						.toList();
			}
			for (SnapshotStore.Stored old : schedule.surplus(auto, SnapshotStore.Stored::created)) {
				store(name).delete(old.name());
				done.add(name + ": deleted " + old.name() + " (the schedule keeps " + schedule.keep() + ")");
			}
		} catch (IOException e) {
			throw EngineContext.translate("run the snapshot schedule of", name, e);
		}
		return done;
	}

	/** Saves the container's files as image {@code alias}; a running container is frozen meanwhile. */
	ImageInfo publish(String name, String alias, String description) throws BerthException {
		ContainerSnapshot c = requireOwnRootfs("publish", name);
		if (Templates.HOST.equals(c.spec().template())) {
			throw new BerthException("publish", name, "\"" + name + "\" runs the host's /usr (the host template),"
					+ " which an image cannot carry; publish a busybox or debian container");
		}
		Images.requireAlias("publish", alias);
		if (c.state().isTransitional()) {
			throw new BerthException("publish", name, "\"" + name + "\" is " + c.state().cli()
					+ "; publish it when it is running, frozen or stopped");
		}
		return whileFrozen("publish", c, () -> ctx.images.publish(alias, ctx.store.rootfs(name), description, c
				.spec().template(), "published from " + name));
	}

	/** Defines {@code spec} on a copy of image {@code alias}'s files, with the image's base as its template. */
	ContainerSnapshot createFromImage(ContainerSpec spec, String alias) throws BerthException {
		ImageInfo image = ctx.images.require("create " + spec.name() + " from image", alias);
		return definitions.defineCopy(spec.toBuilder().template(image.base()).rootfs(null).build(),
				ctx.images.rootfs(alias), "create " + spec.name() + " from image " + alias + ":");
	}

	/** One side of a comparison: "NAME" (its spec and files now) or "NAME/SNAP". */
	private record Side(ContainerSpec spec, Path rootfs) {
	}

	private Side side(String ref) throws BerthException {
		int slash = ref.indexOf('/');
		if (slash < 0) {
			ContainerSnapshot c = snapshots.require(ref);
			return new Side(c.spec(), c.spec().rootfs() == null ? ctx.store.rootfs(ref) : Path.of(c.spec().rootfs()));
		}
		String name = ref.substring(0, slash);
		String snapshot = ref.substring(slash + 1);
		snapshots.require(name);
		SnapshotStore.Stored s = requireSnapshot("compare", name, snapshot);
		return new Side(SpecJson.fromJson(s.spec()).withName(name), store(name).rootfs(snapshot));
	}

	/** Reads both sides without a lock: their files may change while they are read, as with any reader. */
	ContainerDiff diff(String a, String b) throws BerthException {
		Side x = side(a);
		Side y = side(b);
		try {
			List<TreeDiff.Change> files = TreeScan.compare(x.rootfs(), y.rootfs());
			return new ContainerDiff(a, b, SpecDiff.compare(x.spec(), y.spec()), files);
		} catch (IOException e) {
			throw EngineContext.translate("compare", a + " and " + b, e);
		}
	}
}
