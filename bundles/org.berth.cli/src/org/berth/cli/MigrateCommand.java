package org.berth.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.berth.core.BerthException;
import org.berth.core.ContainerEngine;
import org.berth.core.MigrationProgress;
import org.berth.core.MigrationRequest;
import org.berth.core.MigrationResult;
import org.berth.core.Sizes;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth migrate NAME --to ssh://[user@]host[:port]}: move a container to another Berth host, a running one
 * live. The phases go to standard error as they happen; the result (downtime, bytes sent) to standard output.
 */
@Command(name = "migrate", description = {"Move a container to another Berth host over ssh. A running container"
		+ " moves live: its files are sent while it runs, then it is frozen and dumped (CRIU), the rest is sent and"
		+ " the target resumes it; it is removed here only once it runs there, and resumes here when anything fails"
		+ " before. A stopped container moves with its files.",
		"The target runs its own berth (as root) and is reached with ssh and rsync as root: root's ssh configuration,"
				+ " keys and known hosts (the agent's, for a member of group berth). For root, BERTH_SSH replaces the ssh"
				+ " command (e.g. BERTH_SSH='ssh -F ./ssh_config')."},
		footer = {"", "Examples:", "  berth migrate c1 --to ssh://root@host2",
				"  berth migrate web --to ssh://host2:2222 --tcp-established"})
final class MigrateCommand extends BaseCommand {

	@Parameters(index = "0", paramLabel = "NAME", description = "The container (running or stopped).")
	String name;

	@Option(names = "--to", required = true, paramLabel = "TARGET", description = "The other Berth host:"
			+ " ssh://[user@]host[:port].")
	String to;

	@Option(names = "--tcp-established", description = "Carry established TCP connections along (their peers keep"
			+ " them).")
	boolean tcpEstablished;

	@Option(names = "--remote-berth", paramLabel = "COMMAND", description = "The berth command on the target"
			+ " (default: berth on its PATH).")
	String remoteBerth;

	@Option(names = "--json", description = "Print the result as JSON.")
	boolean json;

	MigrateCommand(Context ctx) {
		super(ctx);
	}

	@Override
	public Integer call() throws BerthException {
		String env = System.getenv("BERTH_SSH");
		List<String> ssh = env == null || env.isBlank() ? List.of() : Context.sshCommand();
		ContainerEngine engine = ctx.engine();
		MigrationResult r = Context.await(engine.migrate(name, new MigrationRequest(to, ssh, remoteBerth,
				tcpEstablished), new Reporter()));
		if (json) {
			Map<String, Object> o = new LinkedHashMap<>();
			o.put("container", r.container());
			o.put("target", r.target());
			o.put("live", r.live());
			o.put("downtimeMs", r.downtime().toMillis());
			o.put("bytesSent", r.bytesSent());
			Map<String, Long> phases = new LinkedHashMap<>();
			for (MigrationProgress.Phase p : MigrationProgress.Phase.values()) {
				if (r.phases().containsKey(p)) {
					phases.put(p.name().toLowerCase(Locale.ROOT), r.phases().get(p).toMillis());
				}
			}
			o.put("phasesMs", phases);
			Json.print(ctx.out, o);
		} else {
			ctx.out.println(name + ": " + (r.live() ? "running" : "moved") + " on " + r.target()
					+ (r.live() ? String.format(Locale.ROOT, "; down %.3f s", r.downtime().toNanos() / 1e9) : "")
					+ ", " + Sizes.formatBytes(r.bytesSent()) + " sent");
		}
		return 0;
	}

	/** The phases on standard error, one line each step of a tenth (rsync's progress comes in hundredths). */
	private final class Reporter implements java.util.function.Consumer<MigrationProgress> {

		private MigrationProgress.Phase phase;
		private String message;
		private int tenth = -1;

		@Override
		public void accept(MigrationProgress p) {
			int t = p.fraction() < 0 ? -1 : (int) Math.floor(p.fraction() * 10);
			if (p.phase() == phase && p.message().equals(message) && t == tenth) {
				return;
			}
			phase = p.phase();
			message = p.message();
			tenth = t;
			String done = p.fraction() < 0 ? "" : String.format(Locale.ROOT, " %3d%%", Math.round(p.fraction() * 100));
			ctx.err.println(p.phase().label() + done + ": " + p.message());
		}
	}
}
