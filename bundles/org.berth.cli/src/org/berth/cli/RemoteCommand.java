package org.berth.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.berth.client.AgentEngine;
import org.berth.client.RemoteAgents;
import org.berth.core.BerthException;
import org.berth.core.remote.Remote;
import org.berth.core.remote.Remotes;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth remote add|list|remove}: other Berth hosts, named once and then used with {@code --remote NAME} or
 * {@code NAME:container} (see {@link Remotes} for where they are kept).
 */
@Command(name = "remote", description = "Name other Berth hosts, reached over ssh, for --remote NAME and"
		+ " NAME:container.",
		footer = {"", "Examples:", "  berth remote add lab ssh://root@lab.example", "  berth remote list",
				"  berth --remote lab list", "  berth exec lab:web -- uptime", "  berth remote remove lab", "",
				"ssh runs as you, with your ssh configuration, keys and known hosts, and forwards the other host's"
						+ " agent socket (/run/berth/berth.sock unless the URL ends in another path); the user it"
						+ " logs in as must be root or in group berth there. BERTH_SSH replaces the ssh command"
						+ " (e.g. BERTH_SSH='ssh -F ./ssh_config')."})
final class RemoteCommand extends BaseCommand {

	RemoteCommand(Context ctx) {
		super(ctx);
	}

	/** The command with its sub-commands. */
	static CommandLine commandLine(Context ctx) {
		CommandLine cl = new CommandLine(new RemoteCommand(ctx));
		cl.addSubcommand("add", new Add(ctx));
		cl.addSubcommand("list", new ListRemotes(ctx));
		cl.addSubcommand("remove", new Remove(ctx));
		return cl;
	}

	@Override
	public Integer call() {
		throw usage("say what to do: add, list or remove");
	}

	@Command(name = "add", description = "Name a Berth host: ssh://[user@]host[:port][/path/of/the/agent/socket]."
			+ " Its agent is asked first; nothing is saved when it does not answer (unless --no-check).")
	static final class Add extends BaseCommand {

		@Parameters(index = "0", paramLabel = "NAME", description = "The remote's name (lower case).")
		String name;

		@Parameters(index = "1", paramLabel = "URL", description = "ssh://[user@]host[:port][/socket]")
		String url;

		@Option(names = "--no-check", description = "Save it without connecting.")
		boolean noCheck;

		Add(Context ctx) {
			super(ctx);
		}

		@Override
		public Integer call() throws BerthException {
			Remote remote;
			try {
				remote = Remote.of(name, url);
			} catch (IllegalArgumentException e) {
				throw usage(e.getMessage());
			}
			Remotes remotes = Remotes.ofUser();
			remotes.requireFree(name); // before connecting: a taken name is said at once
			if (remote.kind() == Remote.Kind.INCUS) {
				throw new BerthException("remote", name, "this berth reaches Berth hosts (ssh://) only, not yet Incus"
						+ " servers");
			}
			String answered = "";
			if (!noCheck) {
				try (AgentEngine engine = RemoteAgents.connectOnce(remote, Context.sshCommand())) {
					int n = engine.list().size();
					answered = "; its agent answers, as " + engine.user() + ", with " + n + " container"
							+ (n == 1 ? "" : "s");
				}
			}
			remotes.add(remote);
			ctx.out.println("added " + remote.name() + " (" + remote.url() + ")" + answered);
			return 0;
		}
	}

	@Command(name = "list", description = "List the remotes.")
	static final class ListRemotes extends BaseCommand {

		@Option(names = "--json", description = "Print them as JSON.")
		boolean json;

		ListRemotes(Context ctx) {
			super(ctx);
		}

		@Override
		public Integer call() throws BerthException {
			List<Remote> all = Remotes.ofUser().list();
			if (json) {
				List<Map<String, Object>> out = new ArrayList<>();
				for (Remote r : all) {
					Map<String, Object> o = new LinkedHashMap<>();
					o.put("name", r.name());
					o.put("url", r.url());
					o.put("kind", r.kind().name().toLowerCase(java.util.Locale.ROOT));
					if (r.fingerprint() != null) {
						o.put("fingerprint", r.fingerprint());
					}
					out.add(o);
				}
				Json.print(ctx.out, out);
				return 0;
			}
			if (all.isEmpty()) {
				ctx.err.println("no remotes; add one with berth remote add NAME ssh://host");
				return 0;
			}
			Table t = new Table("NAME", "URL");
			for (Remote r : all) {
				t.row(r.name(), r.url());
			}
			t.print(ctx.out);
			return 0;
		}
	}

	@Command(name = "remove", description = "Forget a remote (nothing changes on its host).")
	static final class Remove extends BaseCommand {

		@Parameters(index = "0", paramLabel = "NAME", description = "The remote.")
		String name;

		Remove(Context ctx) {
			super(ctx);
		}

		@Override
		public Integer call() throws BerthException {
			Remote removed = Remotes.ofUser().remove(name);
			ctx.out.println("removed " + removed.name() + " (" + removed.url() + ")");
			return 0;
		}
	}
}
