package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongUnaryOperator;

import org.berth.core.BerthException;
import org.berth.core.ContainerSpec;
import org.berth.core.FileEntry;
import org.berth.core.IdMap;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceType;
import org.berth.core.linux.internal.files.ContainerFiles;

/** {@code berth file push/pull}: files between the host and a container's root ({@link ContainerFiles}). */
final class Transfers {

	private final EngineContext ctx;
	private final Snapshots snapshots;

	Transfers(EngineContext ctx, Snapshots snapshots) {
		this.ctx = ctx;
		this.snapshots = snapshots;
	}

	private ContainerFiles open(String name) throws BerthException {
		ContainerSpec spec = snapshots.require(name).spec();
		Path rootfs = spec.rootfs() == null ? ctx.store.rootfs(name) : Path.of(spec.rootfs());
		try {
			return ContainerFiles.open(rootfs, name, mapping(spec, Files2.ownerUid(rootfs)),
					ctx.processes.runsAsRoot());
		} catch (IOException e) {
			throw EngineContext.translate("open the root file system of", name, e);
		}
	}

	/**
	 * How ids inside map to owners on disk: the same ids where the container sees its root file system through an
	 * idmapped mount (its template's, owned by host root: {@link HelperCommand#idmapsRootfs}) or shares the host's
	 * user namespace; its id maps where the root file system is shifted on disk (owned by the container's root
	 * outside).
	 */
	static ContainerFiles.IdMapping mapping(ContainerSpec spec, int rootfsOwnerUid) {
		if (spec.mode(NamespaceType.USER) != NamespaceMode.NEW || spec.uidMaps().isEmpty()
				|| HelperCommand.idmapsRootfs(spec, rootfsOwnerUid)) {
			return ContainerFiles.IdMapping.IDENTITY;
		}
		return new ContainerFiles.IdMapping(toHost(spec.uidMaps()), toHost(spec.gidMaps()), toInside(spec.uidMaps()),
				toInside(spec.gidMaps()));
	}

	/** An id inside to the host's; one not mapped becomes the container's root. */
	static LongUnaryOperator toHost(List<IdMap> maps) {
		return id -> {
			for (IdMap m : maps) {
				if (id >= m.insideId() && id < m.insideId() + m.count()) {
					return m.outsideId() + id - m.insideId();
				}
			}
			return id == 0 || maps.isEmpty() ? id : toHost(maps).applyAsLong(0);
		};
	}

	/** A host id to the one inside, -1 when it is not mapped. */
	static LongUnaryOperator toInside(List<IdMap> maps) {
		return id -> {
			for (IdMap m : maps) {
				if (id >= m.outsideId() && id < m.outsideId() + m.count()) {
					return m.insideId() + id - m.outsideId();
				}
			}
			return -1;
		};
	}

	int push(String name, Path local, String inside, boolean recursive) throws BerthException {
		try (ContainerFiles files = open(name)) {
			String target = files.isDirectory(inside) ? child(inside, local.toAbsolutePath().normalize()
					.getFileName().toString()) : inside;
			return files.push(local, target, recursive);
		} catch (IOException e) {
			throw EngineContext.translate("push", local + " to " + name + ":" + inside, e);
		}
	}

	int pull(String name, String inside, Path local, boolean recursive) throws BerthException {
		try (ContainerFiles files = open(name)) {
			String base = inside.replaceAll("/+$", "");
			base = base.substring(base.lastIndexOf('/') + 1);
			Path target = Files.isDirectory(local) && !base.isEmpty() ? local.resolve(base) : local;
			return files.pull(inside, target, recursive);
		} catch (IOException e) {
			throw EngineContext.translate("pull", name + ":" + inside + " to " + local, e);
		}
	}

	List<FileEntry> list(String name, String dir) throws BerthException {
		try (ContainerFiles files = open(name)) {
			return files.list(dir);
		} catch (IOException e) {
			throw EngineContext.translate("list", name + ":" + dir, e);
		}
	}

	byte[] read(String name, String path, int max) throws BerthException {
		try (ContainerFiles files = open(name)) {
			return files.read(path, max);
		} catch (IOException e) {
			throw EngineContext.translate("read", name + ":" + path, e);
		}
	}

	void write(String name, String path, byte[] content) throws BerthException {
		try (ContainerFiles files = open(name)) {
			files.write(path, content);
		} catch (IOException e) {
			throw EngineContext.translate("write", name + ":" + path, e);
		}
	}

	private static String child(String dir, String name) {
		return dir.endsWith("/") ? dir + name : dir + "/" + name;
	}
}
