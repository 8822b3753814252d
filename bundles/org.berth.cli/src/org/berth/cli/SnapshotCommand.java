package org.berth.cli;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.berth.core.BerthException;
import org.berth.core.ContainerSnapshot;
import org.berth.core.SnapshotInfo;
import org.berth.core.SnapshotSchedule;
import org.berth.core.Sizes;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth snapshot create|list|restore|delete}: saved copies of a container's root file system and spec.
 */
@Command(name = "snapshot", description = "Take, list, restore and delete snapshots of a container's root file"
		+ " system and spec.",
		footer = {"", "Examples:", "  berth snapshot create c1 before-upgrade",
				"  berth snapshot list c1", "  berth snapshot restore c1 before-upgrade",
				"  berth create c2 --from c1/before-upgrade"})
final class SnapshotCommand extends BaseCommand {

	SnapshotCommand(Context ctx) {
		super(ctx);
	}

	/** The command with its sub-commands. */
	static CommandLine commandLine(Context ctx) {
		CommandLine cl = new CommandLine(new SnapshotCommand(ctx));
		cl.addSubcommand("create", new Create(ctx));
		cl.addSubcommand("list", new ListSnapshots(ctx));
		cl.addSubcommand("restore", new Restore(ctx));
		cl.addSubcommand("delete", new Delete(ctx));
		cl.addSubcommand("schedule", new Schedule(ctx));
		return cl;
	}

	@Override
	public Integer call() {
		throw usage("say what to do: create, list, restore, delete or schedule");
	}

	@Command(name = "create", description = "Save the container's root file system and spec; a running container is"
			+ " frozen while its files are copied.")
	static final class Create extends BaseCommand {

		@Parameters(index = "0", paramLabel = "NAME", description = "The container.")
		String name;

		@Parameters(index = "1", arity = "0..1", paramLabel = "SNAP", description = "The snapshot's name (default"
				+ " the first free snapN).")
		String snapshot;

		Create(Context ctx) {
			super(ctx);
		}

		@Override
		public Integer call() throws BerthException {
			SnapshotInfo s = Context.await(ctx.engineFor(List.of(name)).createSnapshot(name, snapshot));
			ctx.out.println(s.reference() + ": created, " + Sizes.formatBytes(s.sizeBytes()) + " (" + s.kind() + ")");
			return 0;
		}
	}

	@Command(name = "list", description = "List the container's snapshots, oldest first: name, time, size, kind.")
	static final class ListSnapshots extends BaseCommand {

		private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
				.withZone(ZoneId.systemDefault());

		@Parameters(index = "0", paramLabel = "NAME", description = "The container.")
		String name;

		@Option(names = "--json", description = "Write JSON: an array of objects with the fields name, created,"
				+ " sizeBytes and kind (copy-on-write or copy).")
		boolean json;

		/** One snapshot in {@code snapshot list --json}. The field names are an interface. */
		record Entry(String name, String created, long sizeBytes, String kind) {
		}

		ListSnapshots(Context ctx) {
			super(ctx);
		}

		@Override
		public Integer call() throws BerthException {
			List<SnapshotInfo> all = Context.await(ctx.engineFor(List.of(name)).snapshots(name));
			if (json) {
				List<Entry> entries = new ArrayList<>();
				for (SnapshotInfo s : all) {
					entries.add(new Entry(s.name(), s.created().toString(), s.sizeBytes(), s.kind()));
				}
				Json.print(ctx.out, entries);
				return 0;
			}
			Table table = new Table("NAME", "CREATED", "SIZE", "KIND");
			for (SnapshotInfo s : all) {
				table.row(s.name(), TIME.format(s.created()), Sizes.formatBytes(s.sizeBytes()), s.kind());
			}
			table.print(ctx.out);
			return 0;
		}
	}

	@Command(name = "restore", description = "Put a stopped container's root file system and spec back as they were"
			+ " in the snapshot.")
	static final class Restore extends BaseCommand {

		@Parameters(index = "0", paramLabel = "NAME", description = "The container (stopped).")
		String name;

		@Parameters(index = "1", paramLabel = "SNAP", description = "The snapshot.")
		String snapshot;

		Restore(Context ctx) {
			super(ctx);
		}

		@Override
		public Integer call() throws BerthException {
			ContainerSnapshot c = Context.await(ctx.engine().restoreSnapshot(name, snapshot));
			ctx.out.println(c.name() + ": restored from " + snapshot);
			return 0;
		}
	}

	@Command(name = "delete", description = "Remove a snapshot.")
	static final class Delete extends BaseCommand {

		@Parameters(index = "0", paramLabel = "NAME", description = "The container.")
		String name;

		@Parameters(index = "1", paramLabel = "SNAP", description = "The snapshot.")
		String snapshot;

		Delete(Context ctx) {
			super(ctx);
		}

		@Override
		public Integer call() throws BerthException {
			Context.await(ctx.engineFor(List.of(name)).deleteSnapshot(name, snapshot));
			ctx.out.println(name + "/" + snapshot + ": deleted");
			return 0;
		}
	}

	@Command(name = "schedule", description = "Show or set when snapshots are taken by themselves (by the agent, every"
			+ " minute it looks): one every PERIOD, named auto-TIME, the newest N kept; snapshots you named are never"
			+ " deleted.")
	static final class Schedule extends BaseCommand {

		@Parameters(index = "0", paramLabel = "NAME", description = "The container.")
		String name;

		@Option(names = "--every", paramLabel = "PERIOD", description = "hourly, daily, weekly, or 30m, 6h, 1d, 2w.")
		String every;

		@Option(names = "--keep", paramLabel = "N", description = "How many automatic snapshots stay (default 7).")
		Integer keep;

		@Option(names = "--off", description = "No more automatic snapshots (those taken stay).")
		boolean off;

		Schedule(Context ctx) {
			super(ctx);
		}

		@Override
		public Integer call() throws BerthException {
			if (off && (every != null || keep != null)) {
				throw usage("--off cannot be given with --every or --keep");
			}
			if (off) {
				Context.await(ctx.engineFor(List.of(name)).setSnapshotSchedule(name, null));
				ctx.out.println(name + ": no scheduled snapshots");
				return 0;
			}
			if (every == null && keep == null) {
				SnapshotSchedule s = Context.await(ctx.engineFor(List.of(name)).snapshotSchedule(name));
				ctx.out.println(name + ": " + (s == null ? "no scheduled snapshots" : describe(s)));
				return 0;
			}
			if (every == null) {
				throw usage("--keep needs --every: say how often");
			}
			SnapshotSchedule s;
			try {
				s = new SnapshotSchedule(SnapshotSchedule.parseEvery(every), keep == null ? 7 : keep);
			} catch (IllegalArgumentException e) {
				throw usage(e.getMessage());
			}
			Context.await(ctx.engineFor(List.of(name)).setSnapshotSchedule(name, s));
			ctx.out.println(name + ": " + describe(s));
			return 0;
		}

		private static String describe(SnapshotSchedule s) {
			return "a snapshot every " + s.everyText() + ", the newest " + s.keep() + " kept (taken by berth-agent)";
		}
	}
}
