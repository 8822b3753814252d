package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.berth.core.BerthException;
import org.berth.core.ContainerSpec;
import org.berth.core.IdMap;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceType;
import org.berth.core.linux.internal.sys.EngineLog;

/**
 * The owners on disk of a root file system that a container with its own user namespace runs on. Where the file system
 * can be idmapped (ext4, xfs, btrfs, tmpfs, overlayfs on this kernel) the files stay host root's and the helper shows
 * them through an idmapped mount ({@link HelperCommand#idmapsRootfs}). Where it cannot (ramfs, NFS, many FUSE file
 * systems) the files are shifted once, at the start, to the container's block of host ids, as LXC and Incus do; the
 * root folder's owner on disk says which block a tree is in, so a clone, an import or a snapshot of a shifted tree is
 * shifted again to its new container's block (or back to 0 on a file system that can idmap) at its first start. The
 * helper does the walk ({@code shift-ids}: no symbolic link followed, no other mount entered, set-id bits and file
 * capabilities kept); whether a file system can idmap is asked once per file system ({@code probe-idmap}) and kept
 * in the run folder until the next boot.
 */
final class RootfsIds {

	/** A Berth id block starts at a multiple of this (IdRanges). */
	private static final long BLOCK = 65536;

	private final Path cacheDir;

	RootfsIds(Path runRoot) {
		this.cacheDir = runRoot.resolve(".idmap");
	}

	/**
	 * Makes the owners on disk of {@code rootfs} fit how the container will see it, and returns the root folder's
	 * owner after that (what {@link HelperCommand#idmapsRootfs} decides by).
	 */
	int prepare(ContainerSpec spec, Path rootfs, int owner, Path helper) throws BerthException {
		Optional<IdMap> root = rootMap(spec);
		if (root.isEmpty()) {
			return owner;
		}
		long base = root.get().outsideId();
		boolean ours = owner == 0 || (owner >= BLOCK && owner % BLOCK == 0);
		if (!ours) {
			return owner; // a tree someone else owns: left as it is
		}
		long target = canIdmap(rootfs, helper) ? 0 : base;
		if (owner == target) {
			return owner;
		}
		long started = System.nanoTime();
		String out = run(helper, "shift-ids", rootfs.toString(), Long.toString(owner), Long.toString(target),
				Long.toString(root.get().count()));
		String[] counts = out.startsWith("shifted ") ? out.substring(8).trim().split(" ") : new String[]{"?", "?"};
		EngineLog.log(Level.WARNING, "\"" + spec.name() + "\": "
				+ (target == 0 ? "its root file system is on a file system that can be idmapped: its files were"
						+ " given back their own ids (from host ids " + owner + "…)"
						: "the file system of " + rootfs + " cannot be idmapped: its files were given the container's"
								+ " host ids once (" + target + "…, from " + owner + "…)")
				+ ": " + counts[0] + " files in " + (System.nanoTime() - started) / 1_000_000 + " ms"
				+ ("0".equals(counts.length > 1 ? counts[1] : "0") ? ""
						: "; " + counts[1] + " kept an owner outside the container's ids"));
		return (int) target;
	}

	/** The map of the container's root, when it has a user namespace of its own with the same uid and gid block. */
	static Optional<IdMap> rootMap(ContainerSpec spec) {
		if (spec.mode(NamespaceType.USER) != NamespaceMode.NEW || spec.uidMaps().isEmpty()) {
			return Optional.empty();
		}
		IdMap uid = spec.uidMaps().stream().filter(m -> m.insideId() == 0).findFirst().orElse(null);
		IdMap gid = spec.gidMaps().stream().filter(m -> m.insideId() == 0).findFirst().orElse(null);
		if (uid == null || gid == null || uid.outsideId() != gid.outsideId() || uid.count() != gid.count()) {
			return Optional.empty();
		}
		return Optional.of(uid);
	}

	/** Whether the file system of {@code dir} can be idmapped: asked once per file system, kept until reboot. */
	boolean canIdmap(Path dir, Path helper) throws BerthException {
		Path cached;
		try {
			cached = cacheDir.resolve(Long.toHexString((Long) Files.getAttribute(dir, "unix:dev",
					LinkOption.NOFOLLOW_LINKS)));
			if (Files.exists(cached)) {
				return Files.readString(cached).startsWith("idmap ok");
			}
		} catch (IOException e) {
			throw EngineContext.translate("read the file system of", dir.toString(), e);
		}
		String answer = run(helper, "probe-idmap", dir.toString());
		try {
			Files2.privateDirectories(cacheDir);
			Files2.writeDurably(cached, answer.getBytes(StandardCharsets.UTF_8), Files2.PRIVATE_FILE);
		} catch (IOException e) {
			EngineLog.log(Level.DEBUG, "could not keep the answer of probe-idmap in " + cached + ": " + e);
		}
		return answer.startsWith("idmap ok");
	}

	/** Runs a short helper command and gives back its first line of output (exit 0, or 3 for probe-idmap's no). */
	private static String run(Path helper, String... args) throws BerthException {
		List<String> cmd = new java.util.ArrayList<>(List.of(helper.toString()));
		cmd.addAll(List.of(args));
		try {
			Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
			p.getOutputStream().close();
			String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (!p.waitFor(10, TimeUnit.MINUTES)) {
				p.destroyForcibly();
				throw new BerthException(args[0], args[1], "the helper did not answer");
			}
			int rc = p.exitValue();
			if (rc != 0 && !(rc == 3 && args[0].equals("probe-idmap"))) {
				throw new BerthException(args[0], args[1], out.replaceFirst("^ERROR ", ""));
			}
			return out;
		} catch (IOException e) {
			throw new BerthException(args[0], args[1], "could not run the helper: " + e.getMessage(), e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new BerthException(args[0], args[1], "interrupted");
		}
	}
}
