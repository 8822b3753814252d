package org.berth.core.linux.internal.snapshots;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.berth.core.TreeDiff;
import org.berth.core.linux.internal.sys.Sys;

/** A root file system read for {@link TreeDiff}: every path with its type, size, mode, owner, device and target. */
public final class TreeScan {

	private static final int S_IFMT = 0170000;

	private TreeScan() {
	}

	/** Every file under {@code root} (itself as "/"), without following symbolic links. */
	public static Map<String, TreeDiff.Entry> scan(Path root) throws IOException {
		Map<String, TreeDiff.Entry> entries = new TreeMap<>();
		Files.walkFileTree(root, new SimpleFileVisitor<>() {
			@Override
			public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
				add(dir);
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
				add(file);
				return FileVisitResult.CONTINUE;
			}

			private void add(Path p) throws IOException {
				String path = pathOf(root, p);
				entries.put(path, entry(path, p));
			}
		});
		return entries;
	}

	/** "/" for the root, "/etc/hostname" below it. */
	static String pathOf(Path root, Path p) {
		Path rel = root.relativize(p);
		return rel.toString().isEmpty() ? "/" : "/" + rel;
	}

	/** The entry of the file at {@code p}, named {@code path}. */
	public static TreeDiff.Entry entry(String path, Path p) throws IOException {
		Map<String, Object> a = Trees.unix(p);
		int mode = (Integer) a.get("mode");
		TreeDiff.Type type = typeOf(mode);
		return new TreeDiff.Entry(path, type, type == TreeDiff.Type.DIRECTORY ? 0 : (Long) a.get("size"),
				mode & 07777, ((Integer) a.get("uid")) & 0xffffffffL, ((Integer) a.get("gid")) & 0xffffffffL,
				type == TreeDiff.Type.CHAR_DEVICE || type == TreeDiff.Type.BLOCK_DEVICE ? (Long) a.get("rdev") : 0,
				type == TreeDiff.Type.SYMLINK ? Files.readSymbolicLink(p).toString() : null, xattrs(p));
	}

	/** "name=HASH, …" of every extended attribute ({@link TreeDiff.Entry#xattrs}). */
	static String xattrs(Path p) throws IOException {
		StringBuilder s = new StringBuilder();
		for (Map.Entry<String, byte[]> x : Sys.xattrs(p).entrySet()) {
			s.append(s.length() == 0 ? "" : ", ").append(x.getKey()).append('=').append(HexFormat.of()
					.formatHex(digest().digest(x.getValue())), 0, 12);
		}
		return s.toString();
	}

	private static MessageDigest digest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	/** The type of a {@code st_mode}. */
	static TreeDiff.Type typeOf(int mode) {
		return switch (mode & S_IFMT) {
			case 0040000 -> TreeDiff.Type.DIRECTORY;
			case 0120000 -> TreeDiff.Type.SYMLINK;
			case 0020000 -> TreeDiff.Type.CHAR_DEVICE;
			case 0060000 -> TreeDiff.Type.BLOCK_DEVICE;
			case 0010000 -> TreeDiff.Type.FIFO;
			case 0140000 -> TreeDiff.Type.SOCKET;
			default -> TreeDiff.Type.FILE;
		};
	}

	/** The SHA-256 of a regular file's content, in hex, read without following a symbolic link in its place. */
	public static String sha256(Path file) throws IOException {
		MessageDigest md = digest();
		try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
			byte[] buf = new byte[1 << 16];
			for (int n; (n = in.read(buf)) > 0;) {
				md.update(buf, 0, n);
			}
		}
		return HexFormat.of().formatHex(md.digest());
	}

	/** The differences between the trees at {@code a} and {@code b}. */
	public static List<TreeDiff.Change> compare(Path a, Path b) throws IOException {
		return TreeDiff.compare(scan(a), scan(b), (first, path) -> sha256((first ? a : b).resolve(path.substring(1))));
	}
}
