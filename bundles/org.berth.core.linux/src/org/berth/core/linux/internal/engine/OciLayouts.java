package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * An OCI image layout (what {@code skopeo copy … oci:DIR} and {@code buildah push … oci:DIR} write, here unpacked
 * from a tarball of it) flattened into one root file system: its manifest's layers applied in order, with the
 * layers' whiteouts ({@code .wh.NAME} removes NAME of the layers below, {@code .wh..wh..opq} empties its folder).
 * A whiteout never reaches through a symbolic link, and a blob is only ever named by a well-formed sha256 digest.
 */
final class OciLayouts {

	private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
	private static final String OPAQUE = ".wh..wh..opq";

	private OciLayouts() {
	}

	/** Whether {@code dir} holds an OCI image layout. */
	static boolean isLayout(Path dir) {
		return Files.isRegularFile(dir.resolve("oci-layout"), LinkOption.NOFOLLOW_LINKS)
				&& Files.isRegularFile(dir.resolve("index.json"), LinkOption.NOFOLLOW_LINKS)
				&& Files.isDirectory(dir.resolve("blobs"), LinkOption.NOFOLLOW_LINKS);
	}

	/** The layers of the layout's image, lowest first (for an index of several images: amd64's, else the first). */
	static List<Path> layers(Path layout) throws IOException {
		JsonObject manifest = json(layout, manifestDigest(layout, json(layout.resolve("index.json")), 0));
		List<Path> layers = new ArrayList<>();
		JsonArray list = manifest.has("layers") ? manifest.getAsJsonArray("layers") : new JsonArray();
		for (JsonElement l : list) {
			layers.add(blob(layout, l.getAsJsonObject().get("digest").getAsString()));
		}
		if (layers.isEmpty()) {
			throw new IOException("the OCI image's manifest names no layers");
		}
		return layers;
	}

	private static String manifestDigest(Path layout, JsonObject index, int depth) throws IOException {
		JsonArray manifests = index.has("manifests") ? index.getAsJsonArray("manifests") : new JsonArray();
		if (manifests.isEmpty() || depth > 2) {
			throw new IOException("the OCI layout's index names no image");
		}
		JsonObject chosen = manifests.get(0).getAsJsonObject();
		for (JsonElement m : manifests) {
			JsonObject o = m.getAsJsonObject();
			if (o.has("platform") && "amd64".equals(o.getAsJsonObject("platform").get("architecture")
					.getAsString())) {
				chosen = o;
				break;
			}
		}
		String digest = chosen.get("digest").getAsString();
		String type = chosen.has("mediaType") ? chosen.get("mediaType").getAsString() : "";
		if (type.contains("index") || type.contains("manifest.list")) {
			return manifestDigest(layout, json(layout, digest), depth + 1);
		}
		return digest;
	}

	private static JsonObject json(Path layout, String digest) throws IOException {
		return json(blob(layout, digest));
	}

	private static JsonObject json(Path file) throws IOException {
		try {
			return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
		} catch (RuntimeException e) {
			throw new IOException(file.getFileName() + " of the OCI layout is not the JSON it should be");
		}
	}

	private static Path blob(Path layout, String digest) throws IOException {
		if (!DIGEST.matcher(digest).matches()) {
			throw new IOException("\"" + digest + "\" is not a sha256 digest");
		}
		Path blob = layout.resolve("blobs/sha256").resolve(digest.substring(7));
		if (!Files.isRegularFile(blob, LinkOption.NOFOLLOW_LINKS)) {
			throw new IOException("the OCI layout lacks the blob " + digest);
		}
		return blob;
	}

	/** Applies {@code layer} (a tar, plain or compressed) onto {@code rootfs}: its whiteouts, then its files. */
	static void apply(Path layer, Path rootfs) throws IOException, InterruptedException {
		for (String name : members(layer)) {
			String clean = name.replaceFirst("^(\\./|/)+", "");
			int slash = clean.lastIndexOf('/');
			String dir = slash < 0 ? "" : clean.substring(0, slash);
			String base = clean.substring(slash + 1);
			if (base.equals(OPAQUE)) {
				Path d = inside(rootfs, dir);
				if (d != null && Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
					try (DirectoryStream<Path> entries = Files.newDirectoryStream(d)) {
						for (Path e : entries) {
							Files2.deleteTree(e);
						}
					}
				}
			} else if (base.startsWith(".wh.") && base.length() > 4) {
				Path gone = inside(rootfs, dir.isEmpty() ? base.substring(4) : dir + "/" + base.substring(4));
				if (gone != null && Files.exists(gone, LinkOption.NOFOLLOW_LINKS)) {
					Files2.deleteTree(gone);
				}
			}
		}
		try (InputStream in = Files.newInputStream(layer)) {
			Images.untar(in, rootfs, List.of("--exclude=.wh.*"));
		}
	}

	/**
	 * {@code relative} under {@code root} when every folder on the way is a real folder (no symbolic link, no ".."),
	 * else null: a whiteout that would reach elsewhere is skipped.
	 */
	static Path inside(Path root, String relative) {
		Path p = root;
		String[] parts = relative.split("/");
		for (int i = 0; i < parts.length; i++) {
			String part = parts[i];
			if (part.isEmpty() || part.equals(".")) {
				continue;
			}
			if (part.equals("..")) {
				return null;
			}
			p = p.resolve(part);
			if (i < parts.length - 1 && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
				return null;
			}
		}
		return p.equals(root) ? null : p;
	}

	private static List<String> members(Path layer) throws IOException, InterruptedException {
		byte[] magic;
		try (InputStream in = Files.newInputStream(layer)) {
			magic = in.readNBytes(6);
		}
		List<String> cmd = new ArrayList<>(List.of("tar", "-t", "-f", layer.toString()));
		String filter = Images.compression(magic);
		if (filter != null) {
			cmd.add(1, filter);
		}
		Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
		List<String> names = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
		String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		if (p.waitFor() != 0) {
			throw new IOException("a layer of the OCI image is not a tarball: " + err);
		}
		return names;
	}
}
