package org.berth.core.wire;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The agent's audit trail as files: {@code audit.jsonl}, one {@link Entry} a line, and the older
 * {@code audit.jsonl.1} … {@code .KEEP} it was rotated into. Read by the agent for its API and by root's
 * {@code berth events} when no agent is asked.
 */
public final class AuditTrail {

	/** The default place of the trail. */
	public static final Path DEFAULT = Path.of("/var/log/berth/audit.jsonl");

	/** How many rotated files are kept beside the current one. */
	public static final int KEEP = 5;

	/**
	 * One line of the trail: a change someone asked for, or a refusal.
	 *
	 * @param time      when (ISO-8601)
	 * @param uid       the client's user id (SO_PEERCRED)
	 * @param user      its name
	 * @param pid       the client's process id; -1 when unknown
	 * @param what      the method and path, e.g. {@code PUT /1.0/containers/c1/state}
	 * @param action    the state action or what the request does (start, define, exec, …); null when the path says
	 * @param container the container it is about; null when none
	 * @param status    the HTTP status of the answer
	 * @param result    "ok", or the sentence the client got
	 */
	public record Entry(String time, long uid, String user, long pid, String what, String action, String container,
			int status, String result) {

		/** Whether it is about {@code name} (any container for null). */
		public boolean about(String name) {
			return name == null || name.equals(container);
		}

		/** Whether {@code who} (a user name or a numeric id; anyone for null) asked for it. */
		public boolean by(String who) {
			return who == null || who.equals(user) || who.equals(Long.toString(uid));
		}
	}

	private AuditTrail() {
	}

	/** The file rotated {@code n} times ({@code audit.jsonl.n}). */
	public static Path rotated(Path file, int n) {
		return file.resolveSibling(file.getFileName() + "." + n);
	}

	/**
	 * The newest {@code limit} entries about {@code container} by {@code user} (null: all), oldest first, from the
	 * rotated files and the current one. Lines that are not entries (a torn last line) are skipped.
	 *
	 * @throws IOException when a file exists but cannot be read
	 */
	public static List<Entry> read(Path file, String container, String user, int limit) throws IOException {
		Deque<Entry> newest = new ArrayDeque<>();
		for (int n = KEEP; n >= 0; n--) {
			Path f = n == 0 ? file : rotated(file, n);
			try (BufferedReader lines = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
				String line;
				while ((line = lines.readLine()) != null) {
					Entry e = parse(line);
					if (e != null && e.about(container) && e.by(user)) {
						newest.addLast(e);
						if (newest.size() > limit) {
							newest.removeFirst();
						}
					}
				}
			} catch (NoSuchFileException e) {
				// not rotated that often yet
			}
		}
		return List.copyOf(newest);
	}

	private static Entry parse(String line) {
		if (line.isBlank()) {
			return null;
		}
		try {
			Entry e = Wire.gson().fromJson(line, Entry.class);
			return e == null || e.time() == null ? null : e;
		} catch (RuntimeException e) {
			return null; // a torn or foreign line
		}
	}
}
