package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** File helpers the JDK lacks. */
final class Files2 {

	/** A folder of Berth's own: its owner may list it, others only pass through (a container's root to its rootfs). */
	static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx--x--x");
	/** A config or state file of Berth's own: its owner's alone. */
	static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");

	private Files2() {
	}

	/**
	 * Makes {@code dir} and the missing folders above it with {@link #PRIVATE_DIR} (whatever the umask); folders that
	 * exist keep their mode.
	 */
	static void privateDirectories(Path dir) throws IOException {
		if (Files.isDirectory(dir)) {
			return;
		}
		Path parent = dir.toAbsolutePath().getParent();
		if (parent != null) {
			privateDirectories(parent);
		}
		try {
			Files.createDirectory(dir);
			Files.setPosixFilePermissions(dir, PRIVATE_DIR);
		} catch (java.nio.file.FileAlreadyExistsException e) {
			// made by another process meanwhile
		}
	}

	/** The uid that owns {@code path} on disk (not through a link). */
	static int ownerUid(Path path) throws IOException {
		return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
	}

	/**
	 * Makes a folder of ours {@link #PRIVATE_DIR}: takes the read permission of group and others (an older Berth made it
	 * listable), and gives the search permission back where it lacks it (containers' roots pass through it).
	 */
	static void tighten(Path dir) throws IOException {
		Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
		if (!perms.equals(PRIVATE_DIR) && (perms.contains(PosixFilePermission.GROUP_READ)
				|| perms.contains(PosixFilePermission.OTHERS_READ)
				|| !perms.contains(PosixFilePermission.OTHERS_EXECUTE))
				&& Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))) {
			Files.setPosixFilePermissions(dir, PRIVATE_DIR);
		}
	}

	/**
	 * Writes {@code file} so that a crash or a power cut leaves the old content or the new, never a part: a temp file
	 * of a unique name beside it (mode {@code perms}), fsync, rename over the file, fsync of the folder.
	 */
	static void writeDurably(Path file, byte[] data, Set<PosixFilePermission> perms) throws IOException {
		write(file, data, perms, true);
	}

	/**
	 * Writes {@code file} as {@link #writeDurably} does without the two fsyncs (about 1.5 ms on this disk): a crash of
	 * the process leaves the old content or the new, a power cut may lose both. For a record of what the kernel holds
	 * (a start's cgroup, a veth), which no power cut leaves behind either.
	 */
	static void writeAtomically(Path file, byte[] data, Set<PosixFilePermission> perms) throws IOException {
		write(file, data, perms, false);
	}

	private static void write(Path file, byte[] data, Set<PosixFilePermission> perms, boolean durably)
			throws IOException {
		Path dir = file.toAbsolutePath().getParent();
		Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp",
				PosixFilePermissions.asFileAttribute(perms));
		try {
			try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
				ByteBuffer b = ByteBuffer.wrap(data);
				while (b.hasRemaining()) {
					ch.write(b);
				}
				if (durably) {
					ch.force(true);
				}
			}
			Files.setPosixFilePermissions(tmp, perms); // the umask may have taken some away
			Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		} finally {
			Files.deleteIfExists(tmp);
		}
		if (!durably) {
			return;
		}
		try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
			d.force(true);
		} catch (IOException e) {
			// a folder that cannot be opened for fsync (some file systems): the rename is done all the same
		}
	}

	/**
	 * Deletes {@code root} and everything below it without following symbolic links; absent is fine. Each folder is
	 * opened once and its entries deleted relative to that open folder ({@link SecureDirectoryStream}), so a link or a
	 * folder swapped in while it runs (by a container's process) never leads it outside the tree.
	 */
	static void deleteTree(Path root) throws IOException {
		BasicFileAttributeView view = Files.getFileAttributeView(root, BasicFileAttributeView.class,
				LinkOption.NOFOLLOW_LINKS);
		boolean isDir;
		try {
			isDir = view.readAttributes().isDirectory();
		} catch (NoSuchFileException e) {
			return;
		}
		if (!isDir) {
			Files.deleteIfExists(root);
			return;
		}
		try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
			if (ds instanceof SecureDirectoryStream<Path> sds) {
				deleteContents(sds);
			} else {
				throw new IOException("no secure directory stream for " + root + " on this platform");
			}
		} catch (NoSuchFileException e) {
			return;
		}
		Files.deleteIfExists(root);
	}

	private static void deleteContents(SecureDirectoryStream<Path> dir) throws IOException {
		for (Path entry : dir) {
			Path name = entry.getFileName();
			boolean isDir;
			try {
				isDir = dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
						.readAttributes().isDirectory();
			} catch (NoSuchFileException e) {
				continue;
			}
			if (!isDir) {
				try {
					dir.deleteFile(name);
				} catch (NoSuchFileException e) {
					// gone meanwhile
				}
				continue;
			}
			try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
				deleteContents(sub);
			} catch (NoSuchFileException e) {
				continue;
			}
			try {
				dir.deleteDirectory(name);
			} catch (NoSuchFileException e) {
				// gone meanwhile
			}
		}
	}
}
