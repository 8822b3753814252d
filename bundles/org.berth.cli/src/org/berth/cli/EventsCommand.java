package org.berth.cli;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.berth.client.AgentEngine;
import org.berth.core.BerthException;
import org.berth.core.ContainerEngine;
import org.berth.core.EngineEvent;
import org.berth.core.EngineListener;
import org.berth.core.wire.AuditTrail;
import org.berth.core.wire.Wire;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth events}: the audit trail (who asked the agent for which change, and what came of it), then with
 * {@code --follow} the lifecycle events as they happen, until Ctrl-C.
 */
@Command(name = "events", description = "Show who changed what through the agent (its audit trail); with --follow,"
		+ " then the lifecycle events as they happen.",
		footer = {"", "Through the agent (a user other than root, or BERTH_AGENT=1) the trail comes from the agent; as"
				+ " root otherwise it is read from /var/log/berth/audit.jsonl.",
				"Examples: berth events --container web",
				"          berth events --user alice -n 50",
				"          berth events --follow --json"})
final class EventsCommand extends BaseCommand {

	@Option(names = {"-f", "--follow"}, description = "Then print the lifecycle events as they happen (Ctrl-C ends).")
	boolean follow;

	@Option(names = "--json", description = "One JSON object a line: the trail's entries (type audit), then the events"
			+ " (type event).")
	boolean json;

	@Option(names = {"-c", "--container"}, paramLabel = "NAME", description = "Only what is about this container.")
	String container;

	@Option(names = {"-u", "--user"}, paramLabel = "USER", description = "Only what this user (name or uid) asked"
			+ " for.")
	String user;

	@Option(names = {"-n", "--lines"}, paramLabel = "N", description = "How many of the newest entries (default 20).")
	int lines = 20;

	EventsCommand(Context ctx) {
		super(ctx);
	}

	@Override
	public Integer call() throws BerthException, InterruptedException {
		if (lines < 1 || lines > 100_000) {
			throw usage("--lines: " + lines + " is not a number of entries from 1 to 100000");
		}
		if (follow && user != null) {
			throw usage("--user filters the audit trail, and lifecycle events name no user: use --follow without"
					+ " --user");
		}
		ContainerEngine engine = ctx.engine();
		BlockingQueue<EngineEvent> events = new LinkedBlockingQueue<>();
		EngineListener listener = events::add;
		if (follow) {
			engine.addListener(listener); // before the trail is read: nothing falls between the two
			if (engine instanceof AgentEngine agent) {
				agent.follow();
			}
		}
		List<AuditTrail.Entry> trail = Context.await(engine.auditTrail(container, user, lines));
		for (AuditTrail.Entry e : trail) {
			ctx.out.println(json ? json(e) : text(e));
		}
		ctx.out.flush();
		if (!follow) {
			return 0;
		}
		try {
			while (true) {
				EngineEvent e = events.take();
				if (container == null || container.equals(e.name())) {
					ctx.out.println(json ? json(e, Instant.now()) : text(e, Instant.now()));
					ctx.out.flush();
				}
			}
		} finally {
			engine.removeListener(listener);
		}
	}

	/** {@code 2026-12-03T23:40:01Z  alice(1000)  start  c1  ok}. */
	static String text(AuditTrail.Entry e) {
		String action = e.action() != null ? e.action() : e.what();
		return e.time() + "  " + e.user() + "(" + e.uid() + ")  " + action + "  "
				+ (e.container() == null ? "-" : e.container()) + "  "
				+ (e.status() / 100 == 2 ? "ok" : e.status() + " " + e.result());
	}

	/** {@code 2026-12-03T23:40:01Z  event  state  c1  running}. */
	static String text(EngineEvent e, Instant at) {
		return at + "  event  " + kind(e) + "  " + e.name() + "  "
				+ (e.snapshot() == null ? "-" : e.snapshot().state().name().toLowerCase(java.util.Locale.ROOT));
	}

	static String json(AuditTrail.Entry e) {
		JsonObject o = new JsonObject();
		o.addProperty("type", "audit");
		Wire.toTree(e).getAsJsonObject().entrySet().forEach(f -> o.add(f.getKey(), f.getValue()));
		return o.toString();
	}

	static String json(EngineEvent e, Instant at) {
		JsonObject o = new JsonObject();
		o.addProperty("type", "event");
		o.addProperty("time", at.toString());
		o.addProperty("kind", kind(e));
		o.addProperty("container", e.name());
		if (e.snapshot() != null) {
			o.addProperty("state", e.snapshot().state().name().toLowerCase(java.util.Locale.ROOT));
		}
		return o.toString();
	}

	private static String kind(EngineEvent e) {
		return switch (e.kind()) {
			case DEFINED -> "defined";
			case UPDATED -> "updated";
			case STATE_CHANGED -> "state";
			case DESTROYED -> "destroyed";
		};
	}
}
