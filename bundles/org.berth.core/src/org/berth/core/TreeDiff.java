package org.berth.core;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The files added, removed and changed between two trees, each given as a map of path to {@link Entry} (what a walk
 * of a root file system found). Content is compared by hash, asked of a {@link Hasher} only for regular files on both
 * sides. Pure: the walk and the hashing are the caller's.
 */
public final class TreeDiff {

	/** What a file is. */
	public enum Type {
		FILE, DIRECTORY, SYMLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO, SOCKET;

		/** The word for a listing: "file", "char-device". */
		public String word() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}
	}

	/**
	 * One file of a tree.
	 *
	 * @param path   its path from the tree's root, starting with "/"
	 * @param type   what it is
	 * @param size   its size in bytes (regular files and symbolic links)
	 * @param mode   its permission bits with set-id and sticky bits (07777)
	 * @param uid    its owner as stored (on the host)
	 * @param gid    its group as stored
	 * @param rdev   the device number of a device node, else 0
	 * @param target the target of a symbolic link, else null
	 * @param xattrs its extended attributes (every namespace: user, security, trusted, system ACLs) as
	 *               "name=HASH" sorted by name and joined by ", " (HASH: the first 12 hex digits of the value's
	 *               sha-256); "" when it has none
	 */
	public record Entry(String path, Type type, long size, int mode, long uid, long gid, long rdev, String target,
			String xattrs) {
		public Entry {
			xattrs = xattrs == null ? "" : xattrs;
		}

		/** An entry without extended attributes. */
		public Entry(String path, Type type, long size, int mode, long uid, long gid, long rdev, String target) {
			this(path, type, size, mode, uid, gid, rdev, target, "");
		}
	}

	/** Whether a path was added, removed or changed. */
	public enum Kind {
		ADDED, REMOVED, CHANGED;

		/** The sign of a listing: + - ~. */
		public char sign() {
			return switch (this) {
				case ADDED -> '+';
				case REMOVED -> '-';
				case CHANGED -> '~';
			};
		}
	}

	/**
	 * One thing that differs about a changed file.
	 *
	 * @param field "type", "size", "mode", "owner", "xattrs", "content" (sha-256), "target" or "device"
	 * @param a     its value on the first side
	 * @param b     its value on the second side
	 */
	public record Detail(String field, String a, String b) {
	}

	/**
	 * A path that differs.
	 *
	 * @param path    the path
	 * @param kind    added (only on the second side), removed (only on the first) or changed
	 * @param type    what it is (on the second side when it is there)
	 * @param details for a changed path, what changed; else empty
	 */
	public record Change(String path, Kind kind, Type type, List<Detail> details) {
		public Change {
			details = List.copyOf(details);
		}

		/** "+ /etc/new", "~ /etc/hostname (size 5 → 6, content)". */
		@Override
		public String toString() {
			StringBuilder s = new StringBuilder().append(kind.sign()).append(' ').append(path);
			if (!details.isEmpty()) {
				s.append(" (");
				for (int i = 0; i < details.size(); i++) {
					Detail d = details.get(i);
					s.append(i == 0 ? "" : ", ").append(d.field());
					if (!d.field().equals("content")) {
						s.append(' ').append(d.a()).append(" → ").append(d.b());
					}
				}
				s.append(')');
			}
			return s.toString();
		}
	}

	/** The content hash of a regular file on one side. */
	@FunctionalInterface
	public interface Hasher {
		/**
		 * @param first true for the first tree, false for the second
		 * @param path  the file's path in that tree
		 */
		String hash(boolean first, String path) throws IOException;
	}

	private TreeDiff() {
	}

	/** The differences between the trees {@code a} and {@code b}, sorted by path. */
	public static List<Change> compare(Map<String, Entry> a, Map<String, Entry> b, Hasher hasher) throws IOException {
		TreeSet<String> paths = new TreeSet<>(a.keySet());
		paths.addAll(b.keySet());
		List<Change> changes = new ArrayList<>();
		for (String path : paths) {
			Entry x = a.get(path);
			Entry y = b.get(path);
			if (x == null) {
				changes.add(new Change(path, Kind.ADDED, y.type(), List.of()));
			} else if (y == null) {
				changes.add(new Change(path, Kind.REMOVED, x.type(), List.of()));
			} else {
				List<Detail> details = details(x, y, hasher);
				if (!details.isEmpty()) {
					changes.add(new Change(path, Kind.CHANGED, y.type(), details));
				}
			}
		}
		return changes;
	}

	private static List<Detail> details(Entry x, Entry y, Hasher hasher) throws IOException {
		List<Detail> d = new ArrayList<>();
		if (x.type() != y.type()) {
			d.add(new Detail("type", x.type().word(), y.type().word()));
		}
		if (x.mode() != y.mode()) {
			d.add(new Detail("mode", octal(x.mode()), octal(y.mode())));
		}
		if (x.uid() != y.uid() || x.gid() != y.gid()) {
			d.add(new Detail("owner", x.uid() + ":" + x.gid(), y.uid() + ":" + y.gid()));
		}
		if (!x.xattrs().equals(y.xattrs())) {
			d.add(new Detail("xattrs", x.xattrs().isEmpty() ? "none" : x.xattrs(), y.xattrs().isEmpty() ? "none"
					: y.xattrs()));
		}
		if (x.type() != y.type()) {
			return d;
		}
		switch (x.type()) {
			case FILE -> {
				if (x.size() != y.size()) {
					d.add(new Detail("size", Long.toString(x.size()), Long.toString(y.size())));
				}
				String hx = hasher.hash(true, x.path());
				String hy = hasher.hash(false, y.path());
				if (!Objects.equals(hx, hy)) {
					d.add(new Detail("content", hx, hy));
				}
			}
			case SYMLINK -> {
				if (!Objects.equals(x.target(), y.target())) {
					d.add(new Detail("target", x.target(), y.target()));
				}
			}
			case CHAR_DEVICE, BLOCK_DEVICE -> {
				if (x.rdev() != y.rdev()) {
					d.add(new Detail("device", device(x.rdev()), device(y.rdev())));
				}
			}
			default -> {
				// a directory's content is its entries; fifos and sockets have none
			}
		}
		return d;
	}

	/** "0644". */
	public static String octal(int mode) {
		return String.format(Locale.ROOT, "%04o", mode);
	}

	/** "1:3" (major:minor of a Linux dev_t). */
	static String device(long rdev) {
		long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
		long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
		return major + ":" + minor;
	}
}
