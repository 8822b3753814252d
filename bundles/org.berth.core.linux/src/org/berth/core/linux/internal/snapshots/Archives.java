package org.berth.core.linux.internal.snapshots;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Exports: a container's folder ({@code config.json} first, then {@code rootfs/}) as a zstd-compressed tar archive
 * written by GNU tar, which keeps numeric owners, modes, hard links, device nodes, extended attributes (all of
 * them, not only user.*) and ACLs.
 */
public final class Archives {

	/** The options that keep everything a root file system has, when writing and reading alike. */
	private static final List<String> KEEP = List.of("--zstd", "--xattrs", "--xattrs-include=*", "--acls",
			"--numeric-owner");

	private Archives() {
	}

	/**
	 * Writes {@code members} of {@code dir} ({@code config.json} first, then {@code rootfs}, maybe {@code snapshots})
	 * to {@code file}, through a temporary file beside it, so a cut-short export leaves no archive that looks whole.
	 * A snapshot still being made or removed (a hidden folder) is left out.
	 */
	public static void write(Path dir, Path file, List<String> members) throws IOException, InterruptedException {
		Path partial = file.resolveSibling(file.getFileName() + ".partial");
		List<String> cmd = new ArrayList<>(List.of("tar"));
		cmd.addAll(KEEP);
		cmd.addAll(List.of("--exclude=" + SnapshotStore.DIR + "/.*", "-cpf", partial.toString(), "-C",
				dir.toString(), "--"));
		cmd.addAll(members);
		try {
			Trees.run(cmd, "export " + dir);
			Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		} finally {
			Files.deleteIfExists(partial);
		}
	}

	/** The content of one member ({@code config.json}) of an archive, read without unpacking the rest. */
	public static String member(Path file, String member) throws IOException, InterruptedException {
		Process p = new ProcessBuilder("tar", "--zstd", "--occurrence=1", "-xOf", file.toString(), "--", member)
				.redirectError(ProcessBuilder.Redirect.PIPE).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || out.isEmpty()) {
			p.destroyForcibly();
			throw new IOException(file + " is not a Berth export" + (err.isEmpty() ? "" : ": " + err));
		}
		return out;
	}

	/** Unpacks the archive into {@code dir} (which must exist), owners and modes as stored. */
	public static void read(Path file, Path dir) throws IOException, InterruptedException {
		List<String> cmd = new ArrayList<>(List.of("tar"));
		cmd.addAll(KEEP);
		cmd.addAll(List.of("--same-owner", "-xpf", file.toString(), "-C", dir.toString()));
		Trees.run(cmd, "import " + file);
	}
}
