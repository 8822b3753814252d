package org.berth.core.linux.internal.engine;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.berth.core.BerthException;
import org.berth.core.ImageInfo;
import org.berth.core.linux.internal.snapshots.Trees;
import org.berth.core.wire.Wire;
import org.berth.core.wire.WireException;

/**
 * The local image store: {@code CONFIG_ROOT/.images/ALIAS/} holds {@code image.json} (an {@link ImageInfo}) and
 * {@code rootfs/}. An image is made whole in {@code ALIAS.partial} and renamed into place, so a crash leaves no half
 * image under its alias (a stale {@code .partial} is removed by the next attempt). Owners are kept as they are on
 * disk (ids inside the container: the first start of a container made from it shifts them where the file system
 * cannot idmap, see {@link RootfsIds}).
 */
final class Images {

	static final Pattern ALIAS = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}");
	private static final String INFO = "image.json";

	private final Path root;

	Images(Path root) {
		this.root = root;
	}

	/** Refuses an alias that is malformed or a template's name. */
	static void requireAlias(String operation, String alias) throws BerthException {
		if (alias == null || !ALIAS.matcher(alias).matches()) {
			throw new BerthException(operation, String.valueOf(alias), "an image alias has 1-64 characters"
					+ " [a-zA-Z0-9_.-] and starts with a letter or digit, not \"" + alias + "\"");
		}
		if (Templates.NAMES.contains(alias)) {
			throw new BerthException(operation, alias, "\"" + alias + "\" is a template's name; choose another alias");
		}
	}

	List<ImageInfo> list() throws IOException {
		List<ImageInfo> all = new ArrayList<>();
		if (!Files.isDirectory(root)) {
			return all;
		}
		try (Stream<Path> dirs = Files.list(root)) {
			for (Path dir : dirs.sorted().toList()) {
				String alias = dir.getFileName().toString();
				if (ALIAS.matcher(alias).matches()) {
					read(alias).ifPresent(all::add);
				}
			}
		}
		all.sort(Comparator.comparing(ImageInfo::alias));
		return all;
	}

	Optional<ImageInfo> read(String alias) throws IOException {
		Path info = root.resolve(alias).resolve(INFO);
		if (!Files.isRegularFile(info) || !Files.isDirectory(rootfs(alias))) {
			return Optional.empty();
		}
		try {
			return Optional.of(Wire.fromJson(Files.readString(info), ImageInfo.class));
		} catch (WireException e) {
			throw new IOException("the image " + alias + " has an unreadable " + info + ": " + e.getMessage());
		}
	}

	ImageInfo require(String operation, String alias) throws BerthException {
		requireAlias(operation, alias);
		try {
			return read(alias).orElseThrow(() -> new BerthException(operation, alias, "there is no image \"" + alias
					+ "\"; `berth image list` shows them"));
		} catch (IOException e) {
			throw EngineContext.translate(operation, alias, e);
		}
	}

	Path rootfs(String alias) {
		return root.resolve(alias).resolve("rootfs");
	}

	/** Copies {@code tree} into a new image. */
	ImageInfo publish(String alias, Path tree, String description, String base, String origin)
			throws BerthException {
		return make("publish", alias, description, base, origin, rootfs -> Trees.copy(tree, rootfs));
	}

	/** Unpacks a tarball read from {@code in} into a new image (GNU tar: numeric owners, xattrs, ACLs). */
	ImageInfo importTar(String alias, InputStream in, String description, String origin) throws BerthException {
		return make("import", alias, description, null, origin, rootfs -> {
			untar(in, Files.createDirectory(rootfs, PosixFilePermissions.asFileAttribute(PosixFilePermissions
					.fromString("rwxr-xr-x"))), List.of());
			if (OciLayouts.isLayout(rootfs)) {
				// a tarball of an OCI image layout: its layers, flattened, are the root file system
				Path layout = rootfs.resolveSibling("oci-layout");
				Files.move(rootfs, layout);
				Files.createDirectory(rootfs, PosixFilePermissions.asFileAttribute(PosixFilePermissions
						.fromString("rwxr-xr-x")));
				for (Path layer : OciLayouts.layers(layout)) {
					OciLayouts.apply(layer, rootfs);
				}
				Trees.delete(layout);
			}
		});
	}

	void delete(String alias) throws BerthException {
		require("delete image", alias);
		Path dir = root.resolve(alias);
		Path doomed = root.resolve(alias + ".deleting");
		try {
			Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE); // gone from the list at once
			Trees.delete(doomed);
		} catch (IOException e) {
			throw EngineContext.translate("delete image", alias, e);
		}
	}

	/** Makes {@code rootfs}, which does not exist yet. */
	private interface Filler {
		void fill(Path rootfs) throws IOException, InterruptedException, BerthException;
	}

	private ImageInfo make(String operation, String alias, String description, String base, String origin,
			Filler filler) throws BerthException {
		requireAlias(operation, alias);
		Path dir = root.resolve(alias);
		Path partial = root.resolve(alias + ".partial");
		try {
			if (Files.exists(dir)) {
				throw new BerthException(operation, alias, "there is an image \"" + alias
						+ "\" already; delete it first or choose another alias");
			}
			Files2.privateDirectories(root);
			if (Files.exists(partial)) {
				Trees.delete(partial);
			}
			Files.createDirectory(partial);
			Path rootfs = partial.resolve("rootfs"); // made by the filler (cp -a makes it, tar needs it made)
			filler.fill(rootfs);
			ImageInfo info = new ImageInfo(alias, description, base, origin, Instant.now(), Trees.size(rootfs));
			Files2.writeDurably(partial.resolve(INFO), Wire.toJson(info).getBytes(StandardCharsets.UTF_8),
					PosixFilePermissions.fromString("rw-r--r--"));
			Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
			return info;
		} catch (IOException e) {
			EngineContext.quietly("remove the partial image", alias, () -> Trees.delete(partial));
			throw new BerthException(operation, alias, "could not make the image \"" + alias + "\": "
					+ EngineContext.describe(e), e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			EngineContext.quietly("remove the partial image", alias, () -> Trees.delete(partial));
			throw new BerthException(operation, alias, "interrupted while making the image \"" + alias + "\"");
		} catch (BerthException e) {
			EngineContext.quietly("remove the partial image", alias, () -> Trees.delete(partial));
			throw e;
		}
	}

	/** GNU tar from a stream; the compression is told by the first bytes (tar guesses only for files). */
	static void untar(InputStream raw, Path into, List<String> options) throws IOException, InterruptedException {
		BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
		in.mark(8);
		byte[] magic = in.readNBytes(6);
		in.reset();
		List<String> cmd = new ArrayList<>(List.of("tar", "-x", "-C", into.toString(), "--numeric-owner",
				"--same-permissions", "--xattrs", "--xattrs-include=*", "--acls", "-f", "-"));
		String filter = compression(magic);
		if (filter != null) {
			cmd.add(1, filter);
		}
		cmd.addAll(1, options);
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		Thread feeder = Thread.ofVirtual().start(() -> {
			try (OutputStream out = p.getOutputStream()) {
				in.transferTo(out);
			} catch (IOException e) {
				// tar ended first: its message says why
			}
		});
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		int code = p.waitFor();
		feeder.join();
		if (code != 0) {
			throw new IOException("tar could not unpack it: "
					+ (out.isEmpty() ? "exit " + code : out.lines().limit(3).reduce((a, b) -> a + "; " + b).get()));
		}
	}

	/** tar's option for the compression these first bytes show, or null for a plain tar. */
	static String compression(byte[] magic) {
		if (starts(magic, 0x1f, 0x8b)) {
			return "--gzip";
		}
		if (starts(magic, 0xfd, '7', 'z', 'X', 'Z', 0)) {
			return "--xz";
		}
		if (starts(magic, 0x28, 0xb5, 0x2f, 0xfd)) {
			return "--zstd";
		}
		if (starts(magic, 'B', 'Z', 'h')) {
			return "--bzip2";
		}
		return null;
	}

	private static boolean starts(byte[] b, int... prefix) {
		if (b.length < prefix.length) {
			return false;
		}
		for (int i = 0; i < prefix.length; i++) {
			if ((b[i] & 0xff) != prefix[i]) {
				return false;
			}
		}
		return true;
	}
}
