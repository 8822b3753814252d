package org.berth.core.linux.internal.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

import org.berth.core.FileEntry;
import org.berth.core.linux.internal.sys.Errno;
import org.berth.core.linux.internal.sys.Sys;
import org.berth.core.linux.internal.sys.SysException;

/**
 * Files inside a container's root file system, reached from the host. Every path inside is resolved by the kernel
 * with {@code openat2(RESOLVE_IN_ROOT)} on a descriptor of the root: an absolute symbolic link, a ".." or a
 * "/etc -> /" planted by the container's processes ends at the container's root, never at a host file. Names are
 * then made with {@code mkdirat}/{@code symlinkat} in a directory opened that way, and files written or read
 * through the descriptor openat2 gave. Only the root file system is reached, not what is mounted inside a running
 * container (its /dev, /run).
 */
public final class ContainerFiles implements AutoCloseable {

	private static final long RESOLVE = Sys.RESOLVE_IN_ROOT | Sys.RESOLVE_NO_MAGICLINKS;
	private final int root;
	private final String name;

	/**
	 * How owners map between the host and the container: {@code toHost} gives the host id of an id inside (its uid
	 * map), {@code toInside} the reverse (-1 when the host id is not mapped).
	 */
	public record IdMapping(LongUnaryOperator uidToHost, LongUnaryOperator gidToHost, LongUnaryOperator uidToInside,
			LongUnaryOperator gidToInside) {
		public static final IdMapping IDENTITY = new IdMapping(x -> x, x -> x, x -> x, x -> x);
	}

	private final IdMapping ids;
	private final boolean ownersOut;

	private ContainerFiles(int root, String name, IdMapping ids, boolean ownersOut) {
		this.root = root;
		this.name = name;
		this.ids = ids;
		this.ownersOut = ownersOut;
	}

	/**
	 * Opens the root file system {@code rootfs} of the container {@code name}.
	 *
	 * @param ownersOut whether files copied out get the owners they have inside (only root may give them)
	 */
	public static ContainerFiles open(Path rootfs, String name, IdMapping ids, boolean ownersOut)
			throws SysException {
		return new ContainerFiles(Sys.open(rootfs, Sys.O_PATH | Sys.O_DIRECTORY | Sys.O_CLOEXEC), name, ids,
				ownersOut);
	}

	private String where(String inside) {
		return name + ":" + inside;
	}

	private int resolve(String inside, int flags, int mode) throws SysException {
		return Sys.openat2(root, inside, flags | Sys.O_CLOEXEC, mode, RESOLVE, where(inside));
	}

	/** "/a/b/c" → "/a/b"; "/a" and "a" → "/". */
	static String parent(String inside) {
		String p = strip(inside);
		int slash = p.lastIndexOf('/');
		return slash <= 0 ? "/" : p.substring(0, slash);
	}

	/** The last name of a path ("/a/b/" → "b"); "" for the root. */
	static String base(String inside) {
		String p = strip(inside);
		return p.substring(p.lastIndexOf('/') + 1);
	}

	private static String strip(String inside) {
		String p = inside;
		while (p.length() > 1 && p.endsWith("/")) {
			p = p.substring(0, p.length() - 1);
		}
		return p;
	}

	static String child(String dir, String child) {
		return dir.endsWith("/") ? dir + child : dir + "/" + child;
	}

	/** Whether {@code inside} is a directory (symbolic links followed inside the root). */
	public boolean isDirectory(String inside) {
		try {
			Sys.close(resolve(inside, Sys.O_PATH | Sys.O_DIRECTORY, 0), where(inside));
			return true;
		} catch (SysException e) {
			return false;
		}
	}

	/** The {@code unix:} attributes of what an open descriptor refers to. */
	private static Map<String, Object> attributes(int fd) throws IOException {
		return Files.readAttributes(Path.of("/proc/self/fd/" + fd), "unix:mode,uid,gid");
	}

	// ---- push ---------------------------------------------------------------------------------------------------

	/**
	 * Copies the local file or tree (with {@code recursive}) {@code local} to {@code inside}. Modes are kept; owners
	 * are the local ones as ids inside the container (mapped to the host by its uid and gid maps).
	 *
	 * @return how many files, directories and links were made
	 */
	public int push(Path local, String inside, boolean recursive) throws IOException {
		BasicFileAttributes a = Files.readAttributes(local, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		if (a.isDirectory() && !recursive) {
			throw new IOException(local + " is a directory; give -r to copy it with what is in it");
		}
		if (!a.isDirectory()) {
			pushOne(local, inside);
			return 1;
		}
		int[] made = {0};
		Files.walkFileTree(local, new SimpleFileVisitor<>() {
			@Override
			public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
				pushOne(dir, target(dir));
				made[0]++;
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
				pushOne(file, target(file));
				made[0]++;
				return FileVisitResult.CONTINUE;
			}

			private String target(Path p) {
				String rel = local.relativize(p).toString();
				return rel.isEmpty() ? inside : child(inside, rel);
			}
		});
		return made[0];
	}

	private void pushOne(Path local, String inside) throws IOException {
		Map<String, Object> a = Files.readAttributes(local, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
		int mode = (Integer) a.get("mode");
		long uid = ids.uidToHost().applyAsLong(((Integer) a.get("uid")) & 0xffffffffL);
		long gid = ids.gidToHost().applyAsLong(((Integer) a.get("gid")) & 0xffffffffL);
		String base = base(inside);
		if (base.isEmpty() || base.equals(".") || base.equals("..")) {
			throw new IOException(where(inside) + " names no file to write");
		}
		int dir = resolve(parent(inside), Sys.O_PATH | Sys.O_DIRECTORY, 0);
		try {
			switch (mode & 0170000) {
				case 0040000 -> {
					try {
						Sys.mkdirat(dir, base, mode & 07777, where(inside));
					} catch (SysException e) {
						if (e.errno() != Errno.EEXIST) {
							throw e;
						}
					}
					int fd = resolve(inside, Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
					try {
						Sys.fchown(fd, uid, gid, where(inside));
						Sys.fchmod(fd, mode & 07777, where(inside));
					} finally {
						Sys.close(fd, where(inside));
					}
				}
				case 0120000 -> Sys.symlinkat(Files.readSymbolicLink(local).toString(), dir, base, where(inside));
				case 0100000 -> writeFile(local, inside, mode & 07777, uid, gid);
				default ->
					throw new IOException(local + " is not a file, directory or symbolic link; it was not copied");
			}
		} finally {
			Sys.close(dir, where(parent(inside)));
		}
	}

	private void writeFile(Path local, String inside, int mode, long uid, long gid) throws IOException {
		int fd = resolve(inside, Sys.O_WRONLY | Sys.O_CREAT | Sys.O_TRUNC, mode);
		try (InputStream in = Files.newInputStream(local)) {
			byte[] buf = new byte[1 << 16];
			for (int n; (n = in.read(buf)) > 0;) {
				for (int off = 0; off < n;) {
					off += Sys.write(fd, buf, off, n - off, where(inside));
				}
			}
			Sys.fchown(fd, uid, gid, where(inside));
			Sys.fchmod(fd, mode, where(inside));
		} finally {
			Sys.close(fd, where(inside));
		}
	}

	// ---- browse, read and write (the console's Files page) ------------------------------------------------------

	/**
	 * What is in the directory {@code dir} (symbolic links on the way followed inside the root), sorted by name;
	 * owners as ids inside the container (-1 for a host id it has no name for).
	 */
	public List<FileEntry> list(String dir) throws IOException {
		int fd = resolve(dir, Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
		try {
			Path here = Path.of("/proc/self/fd/" + fd);
			List<FileEntry> out = new ArrayList<>();
			try (DirectoryStream<Path> entries = Files.newDirectoryStream(here)) {
				for (Path e : entries) {
					Map<String, Object> a;
					try {
						a = Files.readAttributes(e, "unix:mode,uid,gid,size,lastModifiedTime",
								LinkOption.NOFOLLOW_LINKS);
					} catch (NoSuchFileException gone) {
						continue; // removed meanwhile
					}
					int mode = (Integer) a.get("mode");
					FileEntry.Type type = switch (mode & 0170000) {
						case 0040000 -> FileEntry.Type.DIRECTORY;
						case 0100000 -> FileEntry.Type.FILE;
						case 0120000 -> FileEntry.Type.LINK;
						default -> FileEntry.Type.OTHER;
					};
					String target = type == FileEntry.Type.LINK ? Files.readSymbolicLink(e).toString() : null;
					out.add(new FileEntry(e.getFileName().toString(), type, (Long) a.get("size"), mode & 07777,
							ids.uidToInside().applyAsLong(((Integer) a.get("uid")) & 0xffffffffL),
							ids.gidToInside().applyAsLong(((Integer) a.get("gid")) & 0xffffffffL),
							((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).toInstant(), target));
				}
			}
			out.sort(java.util.Comparator.comparing(FileEntry::name));
			return out;
		} finally {
			Sys.close(fd, where(dir));
		}
	}

	/** The bytes of the regular file {@code inside}; refused when it is larger than {@code max}. */
	public byte[] read(String inside, int max) throws IOException {
		int fd = resolve(inside, Sys.O_RDONLY | Sys.O_NONBLOCK, 0);
		try {
			requireRegular(fd, inside);
			java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
			byte[] buf = new byte[1 << 16];
			for (int n; (n = Sys.read(fd, buf, 0, buf.length, where(inside))) > 0;) {
				out.write(buf, 0, n);
				if (out.size() > max) {
					throw new IOException(where(inside) + " is larger than " + max + " bytes; copy it out with berth"
							+ " file pull");
				}
			}
			return out.toByteArray();
		} finally {
			Sys.close(fd, where(inside));
		}
	}

	/**
	 * Replaces the content of the regular file {@code inside}, keeping its owner and mode, or makes it (mode 0644,
	 * owned by the container's root when this process is root). Never writes to anything but a regular file (a device node or a FIFO planted
	 * inside is refused before a byte is written).
	 */
	public void write(String inside, byte[] content) throws IOException {
		String b = base(inside);
		if (b.isEmpty() || b.equals(".") || b.equals("..")) {
			throw new IOException(where(inside) + " names no file to write");
		}
		int fd;
		boolean made = false;
		try {
			fd = resolve(inside, Sys.O_WRONLY | Sys.O_CREAT | Sys.O_EXCL | Sys.O_NONBLOCK, 0644);
			made = true;
		} catch (SysException e) {
			if (e.errno() != Errno.EEXIST) {
				throw e;
			}
			fd = resolve(inside, Sys.O_WRONLY | Sys.O_TRUNC | Sys.O_NONBLOCK, 0);
		}
		try {
			requireRegular(fd, inside);
			for (int off = 0; off < content.length;) {
				off += Sys.write(fd, content, off, content.length - off, where(inside));
			}
			if (made && ownersOut) { // root gives it to the container's root; another user's file stays its own
				Sys.fchown(fd, ids.uidToHost().applyAsLong(0), ids.gidToHost().applyAsLong(0), where(inside));
				Sys.fchmod(fd, 0644, where(inside));
			}
		} finally {
			Sys.close(fd, where(inside));
		}
	}

	private void requireRegular(int fd, String inside) throws IOException {
		int mode = (Integer) attributes(fd).get("mode");
		if ((mode & 0170000) != 0100000) {
			throw new IOException(where(inside) + " is not a regular file");
		}
	}

	// ---- pull ---------------------------------------------------------------------------------------------------

	/**
	 * Copies {@code inside} (a tree with {@code recursive}) to the local {@code local}. Modes are kept; as root the
	 * owners are the ids inside the container.
	 *
	 * @return how many files, directories and links were made
	 */
	public int pull(String inside, Path local, boolean recursive) throws IOException {
		if (isDirectory(inside) && !recursive) {
			throw new IOException(where(inside) + " is a directory; give -r to copy it with what is in it");
		}
		return pullOne(inside, local, isDirectory(inside));
	}

	private int pullOne(String inside, Path local, boolean directory) throws IOException {
		if (!directory) {
			int fd = resolve(inside, Sys.O_RDONLY, 0);
			try (OutputStream out = Files.newOutputStream(local)) {
				byte[] buf = new byte[1 << 16];
				for (int n; (n = Sys.read(fd, buf, 0, buf.length, where(inside))) > 0;) {
					out.write(buf, 0, n);
				}
				keepOwnerAndMode(fd, local);
			} finally {
				Sys.close(fd, where(inside));
			}
			return 1;
		}
		int fd = resolve(inside, Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
		int made = 1;
		try {
			Files.createDirectories(local);
			List<String> names = new ArrayList<>();
			Path dir = Path.of("/proc/self/fd/" + fd); // the directory openat2 opened, not a path looked up again
			try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
				entries.forEach(e -> names.add(e.getFileName().toString()));
			}
			for (String n : names) {
				Path entry = dir.resolve(n); // one name in that directory, not followed
				BasicFileAttributes a = Files.readAttributes(entry, BasicFileAttributes.class,
						LinkOption.NOFOLLOW_LINKS);
				if (a.isSymbolicLink()) {
					Files.createSymbolicLink(local.resolve(n), Files.readSymbolicLink(entry));
					made++;
				} else if (a.isDirectory() || a.isRegularFile()) {
					made += pullOne(child(inside, n), local.resolve(n), a.isDirectory());
				}
			}
			keepOwnerAndMode(fd, local);
		} finally {
			Sys.close(fd, where(inside));
		}
		return made;
	}

	private void keepOwnerAndMode(int fd, Path local) throws IOException {
		Map<String, Object> a = attributes(fd);
		Files.setAttribute(local, "unix:mode", ((Integer) a.get("mode")) & 07777);
		if (ownersOut) {
			long uid = ids.uidToInside().applyAsLong(((Integer) a.get("uid")) & 0xffffffffL);
			long gid = ids.gidToInside().applyAsLong(((Integer) a.get("gid")) & 0xffffffffL);
			if (uid >= 0 && gid >= 0) {
				Files.setAttribute(local, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
				Files.setAttribute(local, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
			}
		}
	}

	@Override
	public void close() {
		try {
			Sys.close(root, name);
		} catch (SysException e) {
			// a descriptor we opened; nothing to do
		}
	}
}
