package org.berth.cli;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.berth.core.BerthException;
import org.berth.core.CheckpointInfo;
import org.berth.core.CheckpointRequest;
import org.berth.core.Sizes;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth checkpoint NAME [CHECKPOINT]}: CRIU's images of a running container's processes; {@code --list} and
 * {@code --delete} for those it has.
 */
@Command(name = "checkpoint", description = "Save a running container's processes with CRIU (memory, open files, pipes,"
		+ " sockets, the console) and, unless --leave-running, stop it; berth restore resumes it. --list shows the"
		+ " container's checkpoints.",
		footer = {"", "Examples:", "  berth checkpoint c1                   # stop c1, its processes saved",
				"  berth checkpoint c1 before --leave-running", "  berth checkpoint --list c1",
				"  berth restore c1 before", "  berth checkpoint --delete c1 before"})
final class CheckpointCommand extends BaseCommand {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
			.withZone(ZoneId.systemDefault());

	@Parameters(index = "0", paramLabel = "NAME", description = "The container.")
	String name;

	@Parameters(index = "1", arity = "0..1", paramLabel = "CHECKPOINT", description = "The checkpoint's name (default"
			+ " ck-DATE-TIME, in UTC).")
	String checkpoint;

	@Option(names = "--leave-running", description = "Keep the container running after the checkpoint.")
	boolean leaveRunning;

	@Option(names = "--tcp-established", description = "Save established TCP connections too: a restore gives them"
			+ " back, their peers keep them.")
	boolean tcpEstablished;

	@Option(names = "--dir", paramLabel = "DIR", description = "Write the images to this absolute folder (new or empty)"
			+ " instead of the container's own checkpoints folder.")
	String dir;

	@Option(names = "--list", description = "List the container's checkpoints: name, time, size.")
	boolean list;

	@Option(names = "--json", description = "With --list: write JSON, an array of objects with the fields name,"
			+ " created, sizeBytes, path, leftRunning and tcpEstablished.")
	boolean json;

	@Option(names = "--delete", description = "Remove the checkpoint CHECKPOINT.")
	boolean delete;

	/** One checkpoint in {@code checkpoint --list --json}. The field names are an interface. */
	record Entry(String name, String created, long sizeBytes, String path, boolean leftRunning,
			boolean tcpEstablished) {
	}

	CheckpointCommand(Context ctx) {
		super(ctx);
	}

	@Override
	public Integer call() throws BerthException {
		if (list && delete) {
			throw usage("give --list or --delete, not both");
		}
		if ((list || delete) && (leaveRunning || tcpEstablished || dir != null)) {
			throw usage("--leave-running, --tcp-established and --dir are for taking a checkpoint, not with --list or"
					+ " --delete");
		}
		if (json && !list) {
			throw usage("--json goes with --list");
		}
		if (list) {
			return list();
		}
		if (delete) {
			if (checkpoint == null) {
				throw usage("say which checkpoint to delete: berth checkpoint --delete " + name + " CHECKPOINT");
			}
			Context.await(ctx.engineFor(List.of(name)).deleteCheckpoint(name, checkpoint));
			ctx.out.println(name + ": checkpoint " + checkpoint + " deleted");
			return 0;
		}
		CheckpointInfo c = Context.await(ctx.engine().checkpoint(name,
				new CheckpointRequest(checkpoint, dir, leaveRunning, tcpEstablished)));
		ctx.out.println(name + ": checkpoint " + c.name() + " written, " + Sizes.formatBytes(c.sizeBytes()) + " in "
				+ c.path() + (leaveRunning ? " (still running)" : " (stopped; berth restore " + name
						+ (dir != null ? " --dir " + c.path() : " " + c.name()) + " resumes it)"));
		return 0;
	}

	private int list() throws BerthException {
		List<CheckpointInfo> all = Context.await(ctx.engineFor(List.of(name)).checkpoints(name));
		if (json) {
			List<Entry> entries = new ArrayList<>();
			for (CheckpointInfo c : all) {
				entries.add(new Entry(c.name(), c.created().toString(), c.sizeBytes(), c.path(), c.leftRunning(),
						c.tcpEstablished()));
			}
			Json.print(ctx.out, entries);
			return 0;
		}
		Table table = new Table("NAME", "CREATED", "SIZE", "TCP");
		for (CheckpointInfo c : all) {
			table.row(c.name(), TIME.format(c.created()), Sizes.formatBytes(c.sizeBytes()),
					c.tcpEstablished() ? "yes" : "no");
		}
		table.print(ctx.out);
		return 0;
	}
}
