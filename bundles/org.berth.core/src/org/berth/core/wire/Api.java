package org.berth.core.wire;

import java.util.List;
import java.util.Map;

import org.berth.core.Problem;

/** The agent's own request and reply bodies (the engine's records travel as they are, through {@link Wire}). */
public final class Api {

	/** The prefix of every path. */
	public static final String PREFIX = "/1.0";

	/**
	 * The first byte of the agent's binary frames on an exec WebSocket ({@code …/containers/NAME/exec}): what follows
	 * is the command's standard output ({@code 1}) or standard error ({@code 2}).
	 */
	public static final byte EXEC_STDOUT = 1;
	public static final byte EXEC_STDERR = 2;

	private Api() {
	}

	/** A path segment with every character a path may not carry escaped ({@code my box} → {@code my%20box}). */
	public static String segment(String s) {
		return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
	}

	/**
	 * An error: {@code error} is one sentence for a person; {@code type} names the engine's exception where there is
	 * one (NoSuchContainer, ContainerExists, InvalidSpec, IllegalTransition, Forbidden, BadRequest, Failed), with
	 * what its client needs to rebuild it.
	 */
	public record ErrorBody(String error, String type, String name, String state, String action,
			List<Problem> problems) {

		public static ErrorBody of(String error, String type) {
			return new ErrorBody(error, type, null, null, null, null);
		}
	}

	/**
	 * {@code PUT /1.0/containers/NAME/state}.
	 *
	 * @param action  start, stop, kill, restart, freeze or thaw
	 * @param timeout seconds a stop or restart waits before it kills; null for the engine's default
	 */
	public record StateChange(String action, Long timeout) {
	}

	/** {@code POST …/clone} and {@code POST …/snapshots}: the new name. */
	public record NameRequest(String name) {
	}

	/** {@code POST …/containers/NAME/publish}: the image's alias and description. */
	public record PublishRequest(String alias, String description) {
	}

	/** {@code GET /1.0}: the agent and the user it sees. */
	public record AgentInfo(String api, String version, long uid, String user, Long pid, List<String> limitations) {
	}

	/**
	 * {@code GET …/history?tier=STEP}: the points of one tier, oldest first; {@code values} per metric column
	 * (cpu_percent, memory_bytes, …), null where a point has no value.
	 *
	 * @param stepMillis the tier's step
	 * @param times      epoch milliseconds
	 */
	public record History(String name, long stepMillis, long spanMillis, long[] times, Map<String, double[]> values) {
	}

	/**
	 * {@code GET /1.0/samples}: the newest sample of every running container that has one, as the agent's sampler
	 * took it; a client polls it to keep its own copy of the histories.
	 *
	 * @param intervalMillis how often the agent samples
	 * @param sweeps         how many sweeps the agent has made (a new one when it grows)
	 * @param tierSteps      the step of each tier of the histories, finest first (milliseconds)
	 * @param tierSpans      the span of each tier (milliseconds)
	 */
	public record Samples(long intervalMillis, long sweeps, long[] tierSteps, long[] tierSpans,
			Map<String, org.berth.core.UsageSample> latest) {
	}

	/**
	 * The text frames of a terminal or console WebSocket ({@code …/terminal}, {@code …/console}); the terminal's bytes
	 * travel as binary frames both ways. The client's first text frame on {@code …/terminal} is the
	 * {@link org.berth.core.TerminalRequest}; then the agent answers {@code open} (with the title), and later
	 * {@code exit} (with the exit code) before it closes. The client sends {@code resize} with columns and rows.
	 * {@code error} carries the sentence when the terminal cannot be opened.
	 */
	public record TerminalControl(String type, Integer columns, Integer rows, Integer exitCode, String title,
			String error) {

		public static TerminalControl resize(int columns, int rows) {
			return new TerminalControl("resize", columns, rows, null, null, null);
		}
	}

	/**
	 * {@code POST /1.0/containers/NAME/migrate}: the target ({@code ssh://[user@]host[:port]}); {@code ssh} and
	 * {@code remoteBerth} replace the agent's ssh command and the target's berth, and only root may name them (the
	 * agent runs them as root).
	 */
	public record MigrateRequest(String target, Boolean tcpEstablished, List<String> ssh, String remoteBerth) {
	}

	/**
	 * One line of the migrate answer (newline-delimited JSON): progress as it happens, then the result or the error,
	 * once.
	 */
	public record MigrateLine(org.berth.core.MigrationProgress progress, MigrateDone result, ErrorBody error) {
	}

	/** A finished migration on the wire: durations in milliseconds, the phases by their names. */
	public record MigrateDone(String container, String target, boolean live, long downtimeMs, long bytesSent,
			Map<String, Long> phasesMs) {

		public static MigrateDone of(org.berth.core.MigrationResult r) {
			Map<String, Long> phases = new java.util.LinkedHashMap<>();
			r.phases().entrySet().stream().sorted(Map.Entry.comparingByKey())
					.forEach(e -> phases.put(e.getKey().name(), e.getValue().toMillis()));
			return new MigrateDone(r.container(), r.target(), r.live(), r.downtime().toMillis(), r.bytesSent(),
					phases);
		}

		public org.berth.core.MigrationResult toResult() {
			Map<org.berth.core.MigrationProgress.Phase, java.time.Duration> phases = new java.util.EnumMap<>(
					org.berth.core.MigrationProgress.Phase.class);
			if (phasesMs != null) {
				phasesMs.forEach((k, v) -> phases.put(org.berth.core.MigrationProgress.Phase.valueOf(k),
						java.time.Duration.ofMillis(v)));
			}
			return new org.berth.core.MigrationResult(container, target, live, java.time.Duration.ofMillis(downtimeMs),
					bytesSent, phases);
		}
	}
}
