package org.berth.core.linux.internal.snapshots;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.berth.core.linux.internal.sys.EngineLog;

/** Whole root file systems: copy, size, delete. */
public final class Trees {

	/** File systems where {@code cp --reflink=auto} shares blocks instead of copying them. */
	private static final Set<String> REFLINKS = Set.of("btrfs", "xfs", "bcachefs");

	private Trees() {
	}

	/**
	 * Copies the tree {@code from} as {@code to} (which must not exist) with everything a root file system needs:
	 * owners, modes, times, hard links, symbolic links, device nodes, extended attributes and ACLs ({@code cp -a});
	 * blocks are shared where the file system can ({@code --reflink=auto}).
	 */
	public static void copy(Path from, Path to) throws IOException, InterruptedException {
		run(List.of("cp", "-a", "--reflink=auto", "--", from.toString(), to.toString()), "copy " + from);
	}

	/** Runs a command that must succeed; its output is the reason when it does not. */
	public static void run(List<String> command, String what) throws IOException, InterruptedException {
		Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes()).trim();
		if (!p.waitFor(1, TimeUnit.HOURS)) {
			p.destroyForcibly();
			throw new IOException("could not " + what + ": " + command.get(0) + " did not end within an hour");
		}
		if (p.exitValue() != 0) {
			throw new IOException("could not " + what + ": " + (out.isEmpty() ? command.get(0) + " failed with "
					+ p.exitValue() : out));
		}
	}

	/** Whether a copy in {@code dir} shares blocks with its source (a file system with reflinks). */
	public static boolean sharesBlocks(Path dir) throws IOException {
		return REFLINKS.contains(Files.getFileStore(dir).type());
	}

	/** The bytes of the files under {@code root}; a file with several hard links counts once. */
	public static long size(Path root) throws IOException {
		long[] total = {0};
		Set<Object> seen = new HashSet<>();
		Files.walkFileTree(root, new SimpleFileVisitor<>() {
			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
				if (attrs.isRegularFile() || attrs.isSymbolicLink()) {
					Object key = attrs.fileKey();
					if (key == null || seen.add(key)) {
						total[0] += attrs.size();
					}
				}
				return FileVisitResult.CONTINUE;
			}
		});
		return total[0];
	}

	/** The attributes the kernel has in the "unix" view: uid, gid, mode, rdev, nlink. */
	static Map<String, Object> unix(Path p) throws IOException {
		return Files.readAttributes(p, "unix:uid,gid,mode,rdev,size", LinkOption.NOFOLLOW_LINKS);
	}

	/** Deletes {@code root} and everything below it without following symbolic links; absent is fine. */
	public static void delete(Path root) throws IOException {
		if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		Files.walkFileTree(root, new SimpleFileVisitor<>() {
			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
				Files.deleteIfExists(file);
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
				if (e instanceof NoSuchFileException) {
					return FileVisitResult.CONTINUE;
				}
				throw e;
			}

			@Override
			public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
				if (e != null && !(e instanceof NoSuchFileException)) {
					throw e;
				}
				Files.deleteIfExists(dir);
				return FileVisitResult.CONTINUE;
			}
		});
	}

	/** {@link #delete}, after a failure that is what the user sees: a failure of its own is logged. */
	static void deleteQuietly(Path root) {
		try {
			delete(root);
		} catch (IOException e) {
			EngineLog.log(Level.WARNING, "could not remove " + root + ": " + e.getMessage(), e);
		}
	}
}
