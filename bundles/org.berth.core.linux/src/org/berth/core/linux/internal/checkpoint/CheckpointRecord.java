package org.berth.core.linux.internal.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.berth.core.ContainerSpec;
import org.berth.core.wire.SpecJson;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * What Berth writes beside CRIU's images ({@value #FILE}): the run that was dumped (its cgroup path, which the restore
 * makes again, the console's key, the binds in the order CRIU knows them by) and the spec it ran with.
 *
 * @param cgroup      the cgroup path of the dumped run, relative to the hierarchies' roots
 * @param ttyKey      CRIU's key of the console ({@link CriuArgs#ttyKey})
 * @param bindTargets where Berth's binds were inside the container, in CRIU's order ({@code bind0}, ...)
 */
public record CheckpointRecord(String container, String name, Instant created, String cgroup, String ttyKey,
		List<String> bindTargets, boolean leftRunning, boolean tcpEstablished, ContainerSpec spec) {

	public static final String FILE = "checkpoint.json";

	public void write(Path dir) throws IOException {
		JsonObject o = new JsonObject();
		o.addProperty("container", container);
		o.addProperty("name", name);
		o.addProperty("created", created.toString());
		o.addProperty("cgroup", cgroup);
		o.addProperty("ttyKey", ttyKey);
		JsonArray binds = new JsonArray();
		bindTargets.forEach(binds::add);
		o.add("bindTargets", binds);
		o.addProperty("leftRunning", leftRunning);
		o.addProperty("tcpEstablished", tcpEstablished);
		o.add("spec", SpecJson.toJson(spec));
		Path tmp = dir.resolve(FILE + ".tmp");
		Files.writeString(tmp, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o),
				StandardCharsets.UTF_8);
		Files.move(tmp, dir.resolve(FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
	}

	/**
	 * Reads the record in {@code dir}.
	 *
	 * @throws IOException with a sentence when there is none or it is not one Berth wrote
	 */
	public static CheckpointRecord read(Path dir) throws IOException {
		Path file = dir.resolve(FILE);
		String text;
		try {
			text = Files.readString(file, StandardCharsets.UTF_8);
		} catch (NoSuchFileException e) {
			throw new IOException(dir + " holds no checkpoint of Berth's (no " + FILE + ")", e);
		}
		try {
			JsonObject o = JsonParser.parseString(text).getAsJsonObject();
			List<String> binds = new ArrayList<>();
			JsonElement b = o.get("bindTargets");
			if (b != null && b.isJsonArray()) {
				b.getAsJsonArray().forEach(e -> binds.add(e.getAsString()));
			}
			return new CheckpointRecord(string(o, "container"), string(o, "name"),
					Instant.parse(string(o, "created")), string(o, "cgroup"), string(o, "ttyKey"), List.copyOf(binds),
					o.has("leftRunning") && o.get("leftRunning").getAsBoolean(),
					o.has("tcpEstablished") && o.get("tcpEstablished").getAsBoolean(),
					SpecJson.fromJson(o.getAsJsonObject("spec")));
		} catch (RuntimeException e) {
			throw new IOException(file + " is not a checkpoint record Berth can read: " + e.getMessage(), e);
		}
	}

	private static String string(JsonObject o, String field) {
		JsonElement e = o.get(field);
		if (e == null || !e.isJsonPrimitive()) {
			throw new JsonParseException("no \"" + field + "\"");
		}
		return e.getAsString();
	}
}
