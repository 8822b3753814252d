package org.berth.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.berth.core.BerthException;
import org.berth.core.ContainerDiff;
import org.berth.core.SpecDiff;
import org.berth.core.TreeDiff;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "diff", description = "Show what differs between two containers or snapshots: the spec, and the"
		+ " files added (+), removed (-) and changed (~: type, size, mode, owner, xattrs, content, link target,"
		+ " device).",
		footer = {"", "Examples:", "  berth diff c1 c1/snap0", "  berth diff c1 c2 --json"})
final class DiffCommand extends BaseCommand {

	@Parameters(index = "0", paramLabel = "A", description = "A container (NAME) or a snapshot (NAME/SNAP).")
	String a;

	@Parameters(index = "1", paramLabel = "B", description = "The other side, compared with A.")
	String b;

	@Option(names = "--json", description = "Write JSON: an object with a, b, spec (field, a, b) and files (path,"
			+ " change: added, removed or changed, type, details: field, a, b).")
	boolean json;

	/** One file in {@code diff --json}. The field names are an interface. */
	record FileEntry(String path, String change, String type, List<TreeDiff.Detail> details) {
	}

	/** {@code diff --json}. */
	record Document(String a, String b, List<SpecDiff.Change> spec, List<FileEntry> files) {
	}

	DiffCommand(Context ctx) {
		super(ctx);
	}

	@Override
	public Integer call() throws BerthException {
		ContainerDiff d = Context.await(ctx.engine().diff(a, b));
		if (json) {
			List<FileEntry> files = new ArrayList<>();
			for (TreeDiff.Change c : d.files()) {
				files.add(new FileEntry(c.path(), c.kind().name().toLowerCase(Locale.ROOT), c.type().word(),
						c.details()));
			}
			Json.print(ctx.out, new Document(d.a(), d.b(), d.spec(), files));
			return 0;
		}
		if (d.isEmpty()) {
			ctx.out.println(a + " and " + b + " are the same");
			return 0;
		}
		if (!d.spec().isEmpty()) {
			ctx.out.println("spec:");
			Table t = Table.withoutHeader(3);
			for (SpecDiff.Change c : d.spec()) {
				t.row("  " + c.field(), c.a().isEmpty() ? "-" : c.a(), "→ " + (c.b().isEmpty() ? "-" : c.b()));
			}
			t.print(ctx.out);
		}
		if (!d.files().isEmpty()) {
			ctx.out.println("files:");
			for (TreeDiff.Change c : d.files()) {
				ctx.out.println("  " + c);
			}
		}
		return 0;
	}
}
