package org.berth.core.linux.internal.engine;

import org.berth.core.linux.internal.snapshots.Trees;
import java.io.OutputStream;
import java.io.InputStream;
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

	/**
	 * {@link org.berth.core.ContainerEngine#pullArchive}, first half, under the container's lock: the tree copied out
	 * (as {@link #pull} does, owners as ids inside) into a new private folder of the engine's, returned.
	 */
	Path pullToScratch(String name, String inside) throws BerthException {
		Path dir = privateScratch(name, "pull");
		boolean done = false;
		try {
			pull(name, inside, dir, true);
			done = true;
			return dir;
		} finally {
			if (!done) {
				EngineContext.quietly("remove", dir.toString(), () -> Trees.delete(dir));
			}
		}
	}

	/**
	 * The second half, without the lock (a slow client holds up no start or stop): GNU tar writes the folder's
	 * entries to {@code out}; the folder is removed at the end.
	 */
	static void streamScratch(String name, Path dir, OutputStream out) throws BerthException {
		try {
			List<String> top;
			try (var entries = Files.list(dir)) {
				top = entries.map(e -> e.getFileName().toString()).sorted().toList();
			}
			List<String> cmd = new java.util.ArrayList<>(List.of("tar", "--numeric-owner", "--xattrs", "-C",
					dir.toString(), "-cf", "-", "--"));
			cmd.addAll(top);
			Process tar = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
			try (InputStream archive = tar.getInputStream()) {
				archive.transferTo(out);
			} catch (IOException e) {
				tar.destroy(); // the client went away: tar need not finish
				throw e;
			}
			if (tar.waitFor() != 0) {
				throw new BerthException("pull", name, "tar could not pack what was copied out of \"" + name
						+ "\" (exit " + tar.exitValue() + ")");
			}
		} catch (IOException e) {
			throw EngineContext.translate("pull", name, e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new BerthException("pull", name, "interrupted while copying out of \"" + name + "\"");
		} finally {
			EngineContext.quietly("remove", dir.toString(), () -> Trees.delete(dir));
		}
	}

	/**
	 * {@link org.berth.core.ContainerEngine#pushArchive}: the archive unpacked by GNU tar into a private folder of the
	 * engine's (owners not taken from it: the files are root's, then the container root's; absolute names and
	 * {@code ..} refused by tar), then each top entry pushed as {@link #push} does.
	 */
	int pushArchive(String name, Path archive, String inside) throws BerthException {
		Path dir = privateScratch(name, "push");
		try {
			refuseSpecialFiles(name, archive);
			Trees.run(List.of("tar", "--no-same-owner", "-C", dir.toString(), "-xf", archive.toString()),
					"unpack the archive for " + name);
			int n = 0;
			List<Path> top;
			try (var entries = Files.list(dir)) {
				top = entries.sorted().toList();
			}
			if (top.isEmpty()) {
				throw new BerthException("push", name + ":" + inside, "the archive holds nothing to copy");
			}
			for (Path e : top) {
				n += push(name, e, inside, true);
			}
			return n;
		} catch (IOException e) {
			throw EngineContext.translate("push", name + ":" + inside, e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new BerthException("push", name, "interrupted while copying into \"" + name + "\"");
		} finally {
			EngineContext.quietly("remove", dir.toString(), () -> Trees.delete(dir));
		}
	}

	/**
	 * Device nodes and FIFOs in an archive a client sent are refused before anything is unpacked: through the agent
	 * a user copies files, folders and links, and the agent makes no device node for anyone.
	 */
	private static void refuseSpecialFiles(String name, Path archive) throws IOException, InterruptedException,
			BerthException {
		Process list = new ProcessBuilder("tar", "--numeric-owner", "-tvf", archive.toString())
				.redirectError(ProcessBuilder.Redirect.PIPE).start();
		List<String> lines;
		try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(list.getInputStream(),
				java.nio.charset.StandardCharsets.UTF_8))) {
			lines = out.lines().toList();
		}
		String err = new String(list.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
		if (list.waitFor() != 0) {
			throw new BerthException("push", name, "the archive is not a tar archive tar can read" + (err.isEmpty()
					? "" : ": " + err));
		}
		for (String line : lines) {
			if (!line.isEmpty() && "bcp".indexOf(line.charAt(0)) >= 0) {
				throw new BerthException("push", name, "the archive holds a device node or FIFO ("
						+ line.substring(line.lastIndexOf(' ') + 1) + "); berth file push copies files, folders and"
						+ " links");
			}
		}
	}

	/** A new folder only root may enter, under the engine's config root (on the same file system as the roots). */
	private Path privateScratch(String name, String what) throws BerthException {
		Path dir = ctx.store.root().resolve("." + what + "-" + name + "-" + Long.toUnsignedString(System.nanoTime(),
				36));
		try {
			Files2.privateDirectories(dir);
			return dir;
		} catch (IOException e) {
			throw EngineContext.translate(what, name, e);
		}
	}
}
