package org.berth.core;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One entry of a directory inside a container's root file system, as the console's Files page lists it.
 *
 * @param name     its name in the directory
 * @param type     file, directory, symbolic link or something else (a device node, a FIFO, a socket)
 * @param size     bytes (a link: the length of its target)
 * @param mode     the permission bits (07777)
 * @param uid      the owner as a user id inside the container (-1: a host id the container has no name for)
 * @param gid      the group as an id inside the container (-1 likewise)
 * @param modified when its content last changed
 * @param target   a link's target (as written in the link); null for the others
 */
public record FileEntry(String name, Type type, long size, int mode, long uid, long gid, Instant modified,
		String target) {

	/** What an entry is. */
	public enum Type {
		FILE, DIRECTORY, LINK, OTHER;

		/** "file", "directory", "link", "other". */
		public String label() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	public FileEntry {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(type, "type");
	}

	/** "rwxr-xr-x" for 0755; with the type in front as ls shows it ("drwxr-xr-x"). */
	public String permissions() {
		StringBuilder b = new StringBuilder(switch (type) {
			case DIRECTORY -> "d";
			case LINK -> "l";
			case OTHER -> "?";
			case FILE -> "-";
		});
		String letters = "rwxrwxrwx";
		for (int i = 0; i < 9; i++) {
			b.append((mode & (0400 >> i)) != 0 ? letters.charAt(i) : '-');
		}
		return b.toString();
	}
}
