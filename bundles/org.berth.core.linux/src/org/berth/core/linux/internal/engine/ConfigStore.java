package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.berth.core.wire.SpecJson;
import org.berth.core.ContainerSpec;
import org.berth.core.SpecValidator;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import org.berth.core.linux.internal.sys.EngineLog;

/**
 * Containers' persistent configuration: {@code /var/lib/berth/NAME/config.json} (the spec) beside
 * {@code rootfs/} for containers whose root file system Berth made from a template.
 */
final class ConfigStore {

	static final String CONFIG = "config.json";
	static final String ROOTFS = "rootfs";
	private static final int FORMAT = 1;
	private final Path root;

	/** Only for writing (pretty printing a tree): reading needs no Gson instance. */
	private static final class Printer {
		static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
	}

	/** A config file that could not be read, named with the reason. */
	record Broken(Path file, String reason) {
	}

	ConfigStore(Path root) {
		this.root = root;
	}

	Path root() {
		return root;
	}

	Path dir(String name) {
		return root.resolve(name);
	}

	Path rootfs(String name) {
		return dir(name).resolve(ROOTFS);
	}

	boolean exists(String name) {
		return Files.isRegularFile(dir(name).resolve(CONFIG));
	}

	/**
	 * Writes the spec atomically and durably ({@link Files2#writeDurably}), readable by root alone (0600), in a folder
	 * others may only pass through (0711: a container's root, a host uid of its own, reaches its rootfs).
	 */
	void save(ContainerSpec spec) throws IOException {
		Path dir = dir(spec.name());
		Files2.privateDirectories(dir);
		Files2.tighten(root); // made listable by an older Berth: the containers' names are root's business
		JsonObject doc = new JsonObject();
		doc.addProperty("format", FORMAT);
		doc.add("spec", SpecJson.toJson(spec));
		Files2.writeDurably(dir.resolve(CONFIG), Printer.GSON.toJson(doc).getBytes(StandardCharsets.UTF_8),
				Files2.PRIVATE_FILE);
	}

	ContainerSpec load(String name) throws IOException {
		Path file = dir(name).resolve(CONFIG);
		try {
			JsonObject doc = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
			JsonElement spec = doc.get("spec");
			if (spec == null || !spec.isJsonObject()) {
				throw new JsonParseException("no container spec in it");
			}
			return SpecJson.fromJson(spec.getAsJsonObject());
		} catch (JsonParseException | IllegalStateException | NullPointerException e) {
			throw new IOException(file + " is not a Berth container config: " + e.getMessage(), e);
		}
	}

	/** Loads every container config; those that cannot be read are reported in {@code broken}. */
	List<ContainerSpec> loadAll(List<Broken> broken) throws IOException {
		List<ContainerSpec> specs = new ArrayList<>();
		if (!Files.isDirectory(root)) {
			return specs;
		}
		try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
			for (Path d : dirs) {
				String name = d.getFileName().toString();
				if (SpecValidator.isValidName(name) && Files.isRegularFile(d.resolve(CONFIG))) {
					load(name, broken).ifPresent(specs::add);
				}
			}
		} catch (AccessDeniedException e) {
			return specs; // root's folder (0711) seen by a normal user: no container of root's is this user's to see
		}
		return specs;
	}

	/** The names of the containers that have a config (no config is read). */
	List<String> names() throws IOException {
		List<String> names = new ArrayList<>();
		if (!Files.isDirectory(root)) {
			return names;
		}
		try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
			for (Path d : dirs) {
				String name = d.getFileName().toString();
				if (SpecValidator.isValidName(name) && Files.isRegularFile(d.resolve(CONFIG))) {
					names.add(name);
				}
			}
		} catch (AccessDeniedException e) {
			return names;
		}
		return names;
	}

	/** Loads the configs of these containers that exist; those that cannot be read are reported in {@code broken}. */
	List<ContainerSpec> loadSome(Collection<String> names, List<Broken> broken) {
		List<ContainerSpec> specs = new ArrayList<>();
		for (String name : names) {
			if (SpecValidator.isValidName(name) && exists(name)) {
				load(name, broken).ifPresent(specs::add);
			}
		}
		return specs;
	}

	private Optional<ContainerSpec> load(String name, List<Broken> broken) {
		Path file = dir(name).resolve(CONFIG);
		try {
			ContainerSpec spec = load(name);
			if (!spec.name().equals(name)) {
				broken.add(new Broken(file, "it names container \"" + spec.name() + "\" but lies in the folder of \""
						+ name + "\""));
				return Optional.empty();
			}
			return Optional.of(spec);
		} catch (IOException e) {
			broken.add(new Broken(file, e.getMessage()));
			return Optional.empty();
		}
	}

	/** Removes the container's directory with its root file system. */
	void delete(String name) throws IOException {
		Files2.deleteTree(dir(name));
	}

	/**
	 * Removes a destroyed container's folder (and its usage history's file): its config first, so that a removal cut
	 * short leaves no container behind; with {@code ownRootfs} the root file system in it goes too (one given by path
	 * lies elsewhere).
	 */
	void destroy(String name, boolean ownRootfs) throws IOException {
		// its usage history goes too: a later container of the same name starts with none
		Files.deleteIfExists(root().resolve(Sessions.HISTORY).resolve(name + ".history"));
		if (ownRootfs) {
			delete(name);
		} else {
			Files.deleteIfExists(dir(name).resolve(CONFIG));
			Files2.deleteTree(dir(name));
		}
	}

	/** Undoes a half-made definition: nothing of it may stay behind (best effort: the definition failed already). */
	void forget(String name) {
		try {
			delete(name);
		} catch (IOException e) {
			EngineLog.log(System.Logger.Level.WARNING, "could not remove the half-made container " + dir(name) + ": "
					+ e.getMessage(), e);
		}
	}

	/**
	 * Copies the root file system Berth made for {@code source} as that of {@code target}, keeping owners, modes,
	 * links and special files ({@code cp -a}; blocks shared where the file system can, {@code --reflink=auto}).
	 */
	void copyRootfs(String source, String target) throws IOException, InterruptedException {
		Path from = rootfs(source);
		Path to = rootfs(target);
		Files.createDirectories(to.getParent());
		Process p = new ProcessBuilder("cp", "-a", "--reflink=auto", from.toString(), to.toString())
				.redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes()).trim();
		if (p.waitFor() != 0) {
			throw new IOException("cp failed: " + out);
		}
	}
}
