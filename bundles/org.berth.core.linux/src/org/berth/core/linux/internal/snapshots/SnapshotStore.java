package org.berth.core.linux.internal.snapshots;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.berth.core.linux.internal.sys.EngineLog;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * The snapshots of one container, kept in its config folder: {@code /var/lib/berth/NAME/snapshots/SNAP/} holds
 * {@code spec.json} (the spec as the config has it), {@code info.json} (when, how big, how copied) and
 * {@code rootfs/}. A snapshot is copied into a hidden {@code .SNAP.partial} folder and renamed when whole, so a
 * copy cut short is never listed. Called under the container's lock.
 */
public final class SnapshotStore {

	public static final String DIR = "snapshots";
	static final String SPEC = "spec.json";
	static final String INFO = "info.json";
	static final String ROOTFS = "rootfs";

	private final Path dir;

	/**
	 * A snapshot on disk.
	 *
	 * @param name        its name
	 * @param created     when it was taken
	 * @param sizeBytes   the bytes of its files
	 * @param copyOnWrite whether its files share blocks (reflinks)
	 * @param spec        the spec as JSON, as the container's config holds it
	 */
	public record Stored(String name, Instant created, long sizeBytes, boolean copyOnWrite, JsonObject spec) {
	}

	/** @param containerDir the container's config folder ({@code /var/lib/berth/NAME}) */
	public SnapshotStore(Path containerDir) {
		this.dir = containerDir.resolve(DIR);
	}

	public Path rootfs(String snapshot) {
		return dir.resolve(snapshot).resolve(ROOTFS);
	}

	public boolean exists(String snapshot) {
		return Files.isRegularFile(dir.resolve(snapshot).resolve(INFO));
	}

	/** The first free name "snap0", "snap1", ... */
	public String nextName() {
		for (int i = 0;; i++) {
			String name = "snap" + i;
			if (!Files.exists(dir.resolve(name))) {
				return name;
			}
		}
	}

	/**
	 * Copies {@code rootfs} (with owners, modes, links, special files, extended attributes; blocks shared where the
	 * file system can) and writes the spec beside it.
	 */
	public Stored create(String snapshot, Path rootfs, JsonObject spec, Instant now)
			throws IOException, InterruptedException {
		Files.createDirectories(dir);
		Path partial = dir.resolve("." + snapshot + ".partial");
		Trees.delete(partial);
		try {
			Files.createDirectories(partial);
			Trees.copy(rootfs, partial.resolve(ROOTFS));
			boolean cow = Trees.sharesBlocks(partial);
			Stored stored = new Stored(snapshot, now, Trees.size(partial.resolve(ROOTFS)), cow, spec);
			Files.writeString(partial.resolve(SPEC), spec.toString(), StandardCharsets.UTF_8);
			JsonObject info = new JsonObject();
			info.addProperty("format", 1);
			info.addProperty("created", now.toString());
			info.addProperty("sizeBytes", stored.sizeBytes());
			info.addProperty("copyOnWrite", cow);
			Files.writeString(partial.resolve(INFO), info.toString(), StandardCharsets.UTF_8);
			Files.move(partial, dir.resolve(snapshot), StandardCopyOption.ATOMIC_MOVE);
			return stored;
		} catch (IOException | InterruptedException | RuntimeException e) {
			Trees.deleteQuietly(partial);
			throw e;
		}
	}

	/** The snapshots, oldest first; one whose files cannot be read is left out. */
	public List<Stored> list() throws IOException {
		List<Stored> all = new ArrayList<>();
		if (!Files.isDirectory(dir)) {
			return all;
		}
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
			for (Path d : entries) {
				String name = d.getFileName().toString();
				if (!name.startsWith(".")) {
					try {
						read(name).ifPresent(all::add);
					} catch (IOException e) {
						EngineLog.log(System.Logger.Level.WARNING, "left out of the list: " + e.getMessage(), e);
					}
				}
			}
		}
		all.sort(Comparator.comparing(Stored::created).thenComparing(Stored::name));
		return all;
	}

	/** One snapshot, if it is there and whole. */
	public Optional<Stored> read(String snapshot) throws IOException {
		Path d = dir.resolve(snapshot);
		if (!Files.isRegularFile(d.resolve(INFO)) || !Files.isRegularFile(d.resolve(SPEC))) {
			return Optional.empty();
		}
		try {
			JsonObject info = JsonParser.parseString(Files.readString(d.resolve(INFO))).getAsJsonObject();
			JsonObject spec = JsonParser.parseString(Files.readString(d.resolve(SPEC))).getAsJsonObject();
			return Optional.of(new Stored(snapshot, Instant.parse(info.get("created").getAsString()),
					info.get("sizeBytes").getAsLong(), info.get("copyOnWrite").getAsBoolean(), spec));
		} catch (JsonParseException | IllegalStateException | NullPointerException
				| java.time.format.DateTimeParseException e) {
			throw new IOException(d + " is not a Berth snapshot: " + e.getMessage(), e);
		}
	}

	/**
	 * Makes {@code rootfs} a copy of the snapshot's: the copy is made beside it first, then the two are swapped and
	 * the old one removed, so a copy cut short leaves the container's files as they were.
	 */
	public void restore(String snapshot, Path rootfs) throws IOException, InterruptedException {
		Path fresh = rootfs.resolveSibling(ROOTFS + ".restoring");
		Path old = rootfs.resolveSibling(ROOTFS + ".old");
		Trees.delete(fresh);
		Trees.delete(old);
		try {
			Trees.copy(rootfs(snapshot), fresh);
		} catch (IOException | InterruptedException | RuntimeException e) {
			Trees.deleteQuietly(fresh);
			throw e;
		}
		Files.move(rootfs, old, StandardCopyOption.ATOMIC_MOVE);
		try {
			Files.move(fresh, rootfs, StandardCopyOption.ATOMIC_MOVE);
		} catch (IOException e) {
			Files.move(old, rootfs, StandardCopyOption.ATOMIC_MOVE); // the container's files as they were
			Trees.deleteQuietly(fresh);
			throw e;
		}
		Trees.delete(old);
	}

	/** Removes one snapshot. */
	public void delete(String snapshot) throws IOException {
		Path d = dir.resolve(snapshot);
		Path gone = dir.resolve("." + snapshot + ".deleting");
		Files.move(d, gone, StandardCopyOption.ATOMIC_MOVE); // no longer listed, even if the removal is cut short
		Trees.delete(gone);
	}
}
