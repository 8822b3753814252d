package org.berth.core.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.berth.core.BerthException;
import org.berth.core.ShellWords;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * The remotes a user has named, in one file of theirs ({@code $XDG_CONFIG_HOME/berth/remotes.json}, else
 * {@code ~/.config/berth/remotes.json}; mode 0600, written whole to a new file that then replaces the old one). A file
 * that cannot be read as remotes is never overwritten: every change is refused with a sentence naming it, so nothing
 * the user wrote is lost.
 */
public final class Remotes {

	private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

	private final Path file;

	public Remotes(Path file) {
		this.file = file;
	}

	/** The file of this user's remotes (see the class comment; the system property berth.remotes names another). */
	public static Remotes ofUser() {
		String file = System.getProperty("berth.remotes");
		if (file != null && !file.isBlank()) {
			return new Remotes(Path.of(file));
		}
		String xdg = System.getenv("XDG_CONFIG_HOME");
		Path base = xdg != null && xdg.startsWith("/") ? Path.of(xdg)
				: Path.of(System.getProperty("user.home"), ".config");
		return new Remotes(base.resolve("berth").resolve("remotes.json"));
	}

	/**
	 * The ssh command that reaches the remotes: BERTH_SSH's words when it is set (split as a shell would, e.g.
	 * {@code ssh -F ./ssh_config}), else {@code ssh}. The command line and the console read it alike.
	 *
	 * @throws IllegalArgumentException with a sentence that names BERTH_SSH (e.g. a quote not closed)
	 */
	public static List<String> sshCommand() {
		String env = System.getenv("BERTH_SSH");
		try {
			return env == null || env.isBlank() ? List.of("ssh") : ShellWords.split(env);
		} catch (IllegalArgumentException e) {
			throw new IllegalArgumentException("BERTH_SSH: " + e.getMessage(), e);
		}
	}

	public Path file() {
		return file;
	}

	/** Every remote, by name. */
	public List<Remote> list() throws BerthException {
		return List.copyOf(read().values());
	}

	/** The remote of that name, if there is one. */
	public Optional<Remote> find(String name) throws BerthException {
		return Optional.ofNullable(read().get(name));
	}

	/** The remote of that name, or a sentence that lists the ones there are. */
	public Remote get(String name) throws BerthException {
		Map<String, Remote> all = read();
		Remote r = all.get(name);
		if (r == null) {
			throw new BerthException("remote", name, "there is no remote \"" + name + "\" ("
					+ (all.isEmpty() ? "none is set up; add one with berth remote add NAME ssh://host"
							: "there are " + String.join(", ", all.keySet()))
					+ ")");
		}
		return r;
	}

	/** Adds {@code remote}; refused when its name is taken. */
	public void add(Remote remote) throws BerthException {
		Map<String, Remote> all = read();
		requireFree(all, remote.name());
		all.put(remote.name(), remote);
		write(all);
	}

	/** Refuses, with a sentence naming what has it, a name that a remote has already. */
	public void requireFree(String name) throws BerthException {
		requireFree(read(), name);
	}

	private static void requireFree(Map<String, Remote> all, String name) throws BerthException {
		if (all.containsKey(name)) {
			throw new BerthException("remote", name, "there is a remote \"" + name + "\" already ("
					+ all.get(name).url() + "); remove it first or choose another name");
		}
	}

	/** Replaces the remote of that name (e.g. with its server's certificate accepted); refused when there is none. */
	public void replace(Remote remote) throws BerthException {
		Map<String, Remote> all = read();
		get(remote.name());
		all.put(remote.name(), remote);
		write(all);
	}

	/**
	 * This user's client certificate and key for Incus servers (PEM, next to the remotes file; the key 0600): made once
	 * by whoever first needs them, then sent to every Incus server the user enrols with.
	 */
	public Path clientCertificate() {
		return file.resolveSibling("client.crt");
	}

	/** See {@link #clientCertificate()}. */
	public Path clientKey() {
		return file.resolveSibling("client.key");
	}

	/** Removes the remote of that name; refused when there is none. */
	public Remote remove(String name) throws BerthException {
		Map<String, Remote> all = read();
		Remote removed = get(name);
		all.remove(name);
		write(all);
		return removed;
	}

	private Map<String, Remote> read() throws BerthException {
		String text;
		try {
			text = Files.readString(file, StandardCharsets.UTF_8);
		} catch (NoSuchFileException e) {
			return new TreeMap<>();
		} catch (IOException e) {
			throw new BerthException("remote", null, "cannot read " + file + ": " + e.getMessage(), e);
		}
		return parse(file, text);
	}

	/** The remotes in {@code text} (the file's content), or a sentence that says what is wrong and where. */
	static Map<String, Remote> parse(Path file, String text) throws BerthException {
		Map<String, Remote> all = new TreeMap<>();
		if (text.isBlank()) {
			return all;
		}
		try {
			JsonElement root = JsonParser.parseString(text);
			if (!root.isJsonObject() || !root.getAsJsonObject().has("remotes")
					|| !root.getAsJsonObject().get("remotes").isJsonArray()) {
				throw new IllegalArgumentException("it has no list \"remotes\"");
			}
			int index = 0;
			for (JsonElement e : root.getAsJsonObject().getAsJsonArray("remotes")) {
				index++;
				if (!e.isJsonObject() || !e.getAsJsonObject().has("name") || !e.getAsJsonObject().has("url")) {
					throw new IllegalArgumentException("entry " + index + " needs a \"name\" and a \"url\"");
				}
				JsonObject o = e.getAsJsonObject();
				Remote r;
				try {
					r = Remote.of(o.get("name").getAsString(), o.get("url").getAsString());
					if (o.has("fingerprint")) {
						r = r.withFingerprint(o.get("fingerprint").getAsString());
					}
				} catch (IllegalArgumentException | UnsupportedOperationException | IllegalStateException bad) {
					throw new IllegalArgumentException("entry " + index + ": " + bad.getMessage(), bad);
				}
				if (all.put(r.name(), r) != null) {
					throw new IllegalArgumentException("the name \"" + r.name() + "\" comes twice");
				}
			}
		} catch (JsonParseException | IllegalArgumentException | IllegalStateException e) {
			throw new BerthException("remote", null, file + " is not a list of remotes (" + e.getMessage()
					+ "); fix or move it, Berth does not change it", e);
		}
		return all;
	}

	/** The file's text for these remotes. */
	static String format(Map<String, Remote> all) {
		JsonArray list = new JsonArray();
		for (Remote r : all.values()) {
			JsonObject o = new JsonObject();
			o.addProperty("name", r.name());
			o.addProperty("url", r.url());
			if (r.fingerprint() != null) {
				o.addProperty("fingerprint", r.fingerprint());
			}
			list.add(o);
		}
		JsonObject root = new JsonObject();
		root.add("remotes", list);
		return GSON.toJson(root) + "\n";
	}

	private void write(Map<String, Remote> all) throws BerthException {
		try {
			Files.createDirectories(file.getParent());
			Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
			Files.deleteIfExists(tmp);
			Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			Files.writeString(tmp, format(all), StandardCharsets.UTF_8);
			try {
				Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			} catch (AtomicMoveNotSupportedException e) {
				Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
			}
		} catch (IOException e) {
			throw new BerthException("remote", null, "cannot write " + file + ": " + e.getMessage(), e);
		}
	}
}
