package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.berth.core.wire.SpecJson;
import org.berth.core.BerthException;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.linux.internal.cgroup.Group;
import org.berth.core.linux.internal.snapshots.Archives;
import org.berth.core.linux.internal.snapshots.SnapshotStore;
import org.berth.core.linux.internal.snapshots.Trees;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/** Export to and import from a {@code .tar.zst} file ({@link Archives}). Called under the container's lock. */
final class Exports {

	private final EngineContext ctx;
	private final Snapshots snapshots;
	private final Definitions definitions;

	Exports(EngineContext ctx, Snapshots snapshots, Definitions definitions) {
		this.ctx = ctx;
		this.snapshots = snapshots;
		this.definitions = definitions;
	}

	/** Writes the export; with {@code withSnapshots} the container's snapshots too (none: the same archive). */
	Path export(String name, Path file, boolean withSnapshots) throws BerthException {
		ContainerSnapshot c = snapshots.require(name);
		if (c.spec().rootfs() != null) {
			throw new BerthException("export", name, "\"" + name + "\" runs on the root file system "
					+ c.spec().rootfs() + ", which Berth did not make; archive that folder yourself");
		}
		if (c.state().isTransitional()) {
			throw new BerthException("export", name, "\"" + name + "\" is " + c.state().cli()
					+ "; export it when it is running, frozen or stopped");
		}
		Group frozen = null;
		try {
			if (c.state() == ContainerState.RUNNING) {
				frozen = ctx.driver().open(ctx.requireRunning(c).cgroup());
				frozen.freeze();
			}
			boolean snapshotsToo = withSnapshots && Files.isDirectory(ctx.store.dir(name).resolve(SnapshotStore.DIR));
			Archives.write(ctx.store.dir(name), file, snapshotsToo ? List.of(ConfigStore.CONFIG, ConfigStore.ROOTFS,
					SnapshotStore.DIR) : List.of(ConfigStore.CONFIG, ConfigStore.ROOTFS));
			return file;
		} catch (IOException e) {
			throw EngineContext.translate("export", name, e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new BerthException("export", name, "interrupted while exporting \"" + name + "\"");
		} finally {
			if (frozen != null) {
				Group g = frozen;
				EngineContext.quietly("thaw", name, g::thaw);
			}
		}
	}

	/** The spec in an export, named {@code newName} when that is given. */
	static ContainerSpec specIn(Path file, String newName) throws BerthException {
		try {
			JsonObject doc = JsonParser.parseString(Archives.member(file, ConfigStore.CONFIG)).getAsJsonObject();
			ContainerSpec spec = SpecJson.fromJson(doc.getAsJsonObject("spec"));
			return newName == null ? spec : spec.withName(newName);
		} catch (IOException e) {
			throw EngineContext.translate("import", file.toString(), e);
		} catch (JsonParseException | IllegalStateException | NullPointerException | ClassCastException e) {
			throw new BerthException("import", file.toString(), file + " is not a Berth export: its "
					+ ConfigStore.CONFIG + " holds no container spec");
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new BerthException("import", file.toString(), "interrupted while reading " + file);
		}
	}

	ContainerSnapshot importFrom(Path file, ContainerSpec spec) throws BerthException {
		Path unpacked = ctx.store.root().resolve("." + spec.name() + ".import");
		try {
			Trees.delete(unpacked);
			Files.createDirectories(unpacked);
			Archives.read(file, unpacked);
			if (!Files.isDirectory(unpacked.resolve(ConfigStore.ROOTFS))) {
				throw new BerthException("import", file.toString(), file + " is not a Berth export: it has no "
						+ ConfigStore.ROOTFS + " folder");
			}
			ContainerSnapshot made = definitions.defineMoved(spec, unpacked.resolve(ConfigStore.ROOTFS), "import");
			Path snaps = unpacked.resolve(SnapshotStore.DIR);
			if (Files.isDirectory(snaps, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
				// their owners on disk are shifted at a restore's first start, as a clone's are (RootfsIds); a
				// restore keeps the new container's ids and address (RootfsSnapshots.restore)
				Files.move(snaps, ctx.store.dir(spec.name()).resolve(SnapshotStore.DIR),
						java.nio.file.StandardCopyOption.ATOMIC_MOVE);
			}
			return made;
		} catch (IOException e) {
			throw EngineContext.translate("import", file.toString(), e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new BerthException("import", file.toString(), "interrupted while unpacking " + file);
		} finally {
			EngineContext.quietly("remove", unpacked.toString(), () -> Trees.delete(unpacked));
		}
	}
}
