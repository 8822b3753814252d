package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import org.berth.core.wire.SpecJson;
import org.berth.core.Signals;

/**
 * A container's runtime directory on tmpfs, {@code /run/berth/NAME/}: what a later process of Berth needs to
 * find a running container again. The monitor (the C helper) writes {@code exit}, {@code monitor.pid},
 * {@code monitor.done} and the console log; Berth writes {@code state.json}.
 */
final class RunDir {
	/** Whitespace runs, compiled once (String.split compiles a pattern per call). */
	private static final Pattern WHITESPACE = Pattern.compile("\\s+");

	static final String STATE = "state.json";
	/** A start in progress ({@link #markStarting}). */
	static final String PENDING = "start.pending";
	static final String EXIT = "exit";
	static final String MONITOR_DONE = "monitor.done";
	static final String CONSOLE_LOG = "console.log";
	static final String HELPER_LOG = "helper.log";
	/** The monitor takes the sysinfo listener of an exec here (native/sysinfo.h). */
	static final String NOTIFY_SOCKET = "notify.sock";

	private final Path dir;

	/**
	 * What Berth records once a container runs.
	 *
	 * @param initPid        host PID of init
	 * @param initStartTicks init's start time from /proc/PID/stat, to tell a reused PID apart
	 * @param monitorPid     host PID of the monitor
	 * @param cgroup         the cgroup (relative to each hierarchy) of this run
	 * @param startedAtMillis when it started
	 * @param hostVeth       the host end of its veth pair, or null
	 */
	record State(long initPid, long initStartTicks, long monitorPid, String cgroup, long startedAtMillis,
			String hostVeth) {
		Instant startedAt() {
			return Instant.ofEpochMilli(startedAtMillis);
		}
	}

	RunDir(Path dir) {
		this.dir = dir;
	}

	Path path() {
		return dir;
	}

	Path file(String name) {
		return dir.resolve(name);
	}

	/** Creates the directory and forgets the last run's state (keeps the console log of earlier runs). */
	void prepareForStart() throws IOException {
		Files.createDirectories(dir);
		for (String f : List.of(STATE, EXIT, MONITOR_DONE, "monitor.pid")) {
			Files.deleteIfExists(dir.resolve(f));
		}
	}

	void writeState(State state) throws IOException {
		Path tmp = dir.resolve(STATE + ".tmp");
		JsonObject o = new JsonObject();
		o.addProperty("initPid", state.initPid());
		o.addProperty("initStartTicks", state.initStartTicks());
		o.addProperty("monitorPid", state.monitorPid());
		o.addProperty("cgroup", state.cgroup());
		o.addProperty("startedAtMillis", state.startedAtMillis());
		if (state.hostVeth() != null) {
			o.addProperty("hostVeth", state.hostVeth());
		}
		Files.writeString(tmp, o.toString(), StandardCharsets.UTF_8);
		Files.move(tmp, dir.resolve(STATE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	/** The recorded state, or empty when none or unreadable (a broken file means "not running"). */
	Optional<State> readState() {
		try {
			return Optional.of(parseState(Files.readString(dir.resolve(STATE))));
		} catch (NoSuchFileException e) {
			return Optional.empty();
		} catch (IOException | JsonParseException | IllegalStateException | NumberFormatException e) {
			return Optional.empty();
		}
	}

	/** The state in {@code state.json}; by hand, not by reflection (see {@link SpecJson}). */
	static State parseState(String json) {
		JsonObject o = JsonParser.parseString(json).getAsJsonObject();
		JsonElement veth = o.get("hostVeth");
		return new State(field(o, "initPid").getAsLong(), field(o, "initStartTicks").getAsLong(),
				field(o, "monitorPid").getAsLong(), field(o, "cgroup").getAsString(),
				field(o, "startedAtMillis").getAsLong(), veth == null || veth.isJsonNull() ? null : veth.getAsString());
	}

	private static JsonElement field(JsonObject o, String name) {
		JsonElement e = o.get(name);
		if (e == null || !e.isJsonPrimitive()) {
			throw new JsonParseException("no " + name + " in it");
		}
		return e;
	}

	/**
	 * A start in progress: the cgroup it made and the host end of its veth (null: none), recorded before either is
	 * made and cleared when the start ends either way. One left behind (the process was killed half-way) names
	 * what to sweep ({@link Reconciler}).
	 */
	record Pending(String cgroup, String hostVeth) {
	}

	/** Atomically, not durably, as the state itself: neither the cgroup nor the veth outlives a reboot. */
	void markStarting(Pending p) throws IOException {
		Files.createDirectories(dir);
		Files2.writeAtomically(dir.resolve(PENDING), (p.cgroup() + "\n" + (p.hostVeth() == null ? "" : p.hostVeth())
				+ "\n").getBytes(StandardCharsets.UTF_8), Files2.PRIVATE_FILE);
	}

	Optional<Pending> pendingStart() {
		try {
			List<String> lines = Files.readAllLines(dir.resolve(PENDING));
			if (lines.isEmpty() || lines.get(0).isBlank()) {
				return Optional.empty();
			}
			String veth = lines.size() > 1 && !lines.get(1).isBlank() ? lines.get(1).trim() : null;
			return Optional.of(new Pending(lines.get(0).trim(), veth));
		} catch (IOException e) {
			return Optional.empty();
		}
	}

	void clearPending() throws IOException {
		Files.deleteIfExists(dir.resolve(PENDING));
	}

	void clearState() throws IOException {
		Files.deleteIfExists(dir.resolve(STATE));
	}

	/** The monitor's exit record ("exited 0", "killed 9 reboot"), or empty. */
	Optional<String> exitRecord() {
		try {
			return Optional.of(Files.readString(dir.resolve(EXIT)).trim());
		} catch (IOException e) {
			return Optional.empty();
		}
	}

	/**
	 * Records that the run ended in a checkpoint (CRIU ended its processes), in place of the monitor's "killed 9":
	 * later readers, another process's engine included, say so.
	 */
	void recordCheckpoint(String checkpoint) throws IOException {
		Path tmp = dir.resolve("." + EXIT + ".tmp");
		Files.writeString(tmp, "checkpointed " + checkpoint + "\n");
		Files.move(tmp, dir.resolve(EXIT), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
				java.nio.file.StandardCopyOption.REPLACE_EXISTING);
	}

	boolean monitorDone() {
		return Files.exists(dir.resolve(MONITOR_DONE));
	}

	/** Removes the whole directory (on destroy). */
	void delete() throws IOException {
		Files2.deleteTree(dir);
	}

	/**
	 * Turns an exit record into words: "exited 0" → "exited with status 0", "killed 9" → "killed by SIGKILL",
	 * "checkpointed ck1" → "checkpointed as ck1 (berth restore resumes it)".
	 */
	static String describeExit(String record) {
		if (record == null || record.isBlank()) {
			return null;
		}
		String[] parts = WHITESPACE.split(record.trim());
		boolean reboot = parts.length > 2 && parts[2].equals("reboot");
		String text = record;
		if (parts[0].equals("checkpointed") && parts.length > 1) {
			return "checkpointed as " + parts[1] + (parts[1].equals("stateful") ? " (berth start resumes it)"
					: " (berth restore resumes it)");
		}
		try {
			if (parts[0].equals("exited") && parts.length > 1) {
				text = "exited with status " + Integer.parseInt(parts[1]);
			} else if (parts[0].equals("killed") && parts.length > 1) {
				int signal = Integer.parseInt(parts[1]);
				// reboot(2) inside a pid namespace ends its init with SIGINT (power off, halt) or SIGHUP (restart)
				if (signal == 2) {
					return "powered off";
				}
				if (signal == 1 && reboot) {
					return "rebooted";
				}
				text = "killed by " + Signals.name(signal);
			}
		} catch (NumberFormatException e) {
			return record;
		}
		return reboot ? text + " (reboot requested)" : text;
	}
}
