package org.berth.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.berth.core.ContainerSnapshot;
import org.berth.core.NamespaceIdentity;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;
import org.berth.core.NoSuchContainerException;
import org.berth.core.ContainerEngine;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth ns [NAME]}: per container and namespace type, what a running container actually has (found by inode:
 * new, the host's, or shared with another container), and for a stopped one what it is configured to get.
 */
@Command(name = "ns", description = "Show the namespaces of the containers: new, the host's or shared with another"
		+ " container, with inodes for running ones.")
final class NsCommand extends BaseCommand {

	@Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Only this container.")
	String name;

	@Option(names = "--json", description = "Write JSON: an array of {name, state, namespaces: [{type, mode,"
			+ " sharedWith, inode, configured}]}; mode and sharedWith are what the kernel shows for a running"
			+ " container and the configured choice for a stopped one (inode null).")
	boolean json;

	/** One namespace in {@code ns --json}. */
	record Entry(String type, String mode, String sharedWith, Long inode, String configured) {
	}

	/** One container in {@code ns --json}. */
	record Container(String name, String state, List<Entry> namespaces) {
	}

	NsCommand(Context ctx) {
		super(ctx);
	}

	@Override
	public Integer call() throws NoSuchContainerException {
		ContainerEngine engine = ctx.engine();
		List<ContainerSnapshot> snapshots = name == null ? engine.list()
				: List.of(engine.get(name).orElseThrow(() -> new NoSuchContainerException("ns", name)));
		List<Container> containers = new ArrayList<>();
		for (ContainerSnapshot s : snapshots) {
			containers.add(container(s));
		}
		if (json) {
			Json.print(ctx.out, containers);
			return 0;
		}
		Table t = new Table("NAME", "STATE", "TYPE", "MODE", "INODE");
		for (Container c : containers) {
			for (Entry e : c.namespaces()) {
				t.row(c.name(), c.state(), e.type(), modeText(e), e.inode() == null ? "-" : e.inode().toString());
			}
		}
		t.print(ctx.out);
		return 0;
	}

	static Container container(ContainerSnapshot s) {
		List<Entry> entries = new ArrayList<>();
		for (NamespaceType type : NamespaceType.values()) {
			NamespaceSpec configured = s.spec().namespace(type);
			NamespaceIdentity actual = s.isActive() ? s.namespaces().get(type) : null;
			if (actual != null) {
				entries.add(new Entry(type.procName(), actual.actualMode().cli(), actual.sharedWith(), actual.inode(),
						Formats.choice(configured)));
			} else {
				entries.add(new Entry(type.procName(), configured.mode().cli(), configured.shareWith(), null,
						Formats.choice(configured)));
			}
		}
		return new Container(s.name(), s.state().cli(), entries);
	}

	/**
	 * For a running container: "new", "host", "shared with c1", with "(configured ...)" when that differs from its
	 * spec. For a stopped one: the configured choice, "new", "host", "share:c1".
	 */
	private static String modeText(Entry e) {
		if (e.inode() == null) {
			return e.configured();
		}
		String text = e.mode().equals(NamespaceMode.SHARE.cli()) ? "shared with " + e.sharedWith() : e.mode();
		String shown = e.mode().equals(NamespaceMode.SHARE.cli()) ? "share:" + e.sharedWith() : e.mode();
		if (!Objects.equals(shown, e.configured())) {
			text += " (configured " + e.configured() + ")";
		}
		return text;
	}
}
