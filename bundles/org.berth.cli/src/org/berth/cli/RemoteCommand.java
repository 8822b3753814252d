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

	@Command(name = "add", description = "Name a Berth host (ssh://[user@]host[:port][/path/of/the/agent/socket]) or"
			+ " an Incus server (https://host[:port], unix:///path/of/unix.socket). It is asked first; nothing is saved"
			+ " when it does not answer (unless --no-check).",
			footer = {"",
					"An Incus server over HTTPS shows its certificate's SHA-256 fingerprint first: compare it with"
							+ " the one `incus info` prints on the server (certificate_fingerprint), then confirm it (or give"
							+ " --accept-certificate). It is pinned: another certificate there later is refused. Berth sends"
							+ " your client certificate (~/.config/berth/client.crt, made once), which the server trusts"
							+ " with a token made there: incus config trust add NAME."})
	static final class Add extends BaseCommand {

		@Parameters(index = "0", paramLabel = "NAME", description = "The remote's name (lower case).")
		String name;

		@Parameters(index = "1", paramLabel = "URL", description = "ssh://[user@]host[:port][/socket],"
				+ " https://host[:port] or unix:///socket")
		String url;

		@Option(names = "--no-check", description = "Save it without connecting (not for https://: its certificate"
				+ " is pinned on the first contact).")
		boolean noCheck;

		@Option(names = "--token", paramLabel = "TOKEN", description = "Incus: the trust token made on the server"
				+ " for this client (incus config trust add NAME).")
		String token;

		@Option(names = "--accept-certificate", description = "Incus over HTTPS: pin the certificate the server"
				+ " presents without asking.")
		boolean acceptCertificate;

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
			if (remote.kind() == Remote.Kind.BERTH && (token != null || acceptCertificate)) {
				throw usage("--token and --accept-certificate are for Incus servers; " + remote.url() + " is a Berth"
						+ " host (ssh checks its key)");
			}
			boolean https = remote.kind() == Remote.Kind.INCUS && remote.incus().getScheme().equals("https");
			if (https && noCheck) {
				throw usage("--no-check: an Incus server over HTTPS is contacted once to pin its certificate");
			}
			Remotes remotes = Remotes.ofUser();
			remotes.requireFree(name); // before connecting: a taken name is said at once
			String answered = "";
			if (remote.kind() == Remote.Kind.INCUS) {
				if (https) {
					remote = remote.withFingerprint(pin(remote));
				}
				if (!noCheck) {
					answered = IncusRemotes.check(remote, remotes, token, ctx);
				}
			} else if (!noCheck) {
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

		/** The fingerprint of the server's certificate, accepted by the user (asked on a terminal) or by the flag. */
		private String pin(Remote remote) throws BerthException {
			String fingerprint = IncusRemotes.serverFingerprint(remote);
			String readable = Remote.readable(Remote.fingerprint(fingerprint));
			if (acceptCertificate) {
				ctx.err.println("berth: pinning the certificate of " + remote.url() + ", SHA-256 " + readable);
				return fingerprint;
			}
			java.io.Console console = System.console();
			if (console == null || !Context.isTerminal(0)) {
				throw new BerthException("remote", remote.name(), "the certificate of " + remote.url() + " has the"
						+ " SHA-256 fingerprint " + readable + "; compare it with `incus info` on the server, then add"
						+ " --accept-certificate (nothing was saved)");
			}
			String answer = console.readLine("The certificate of %s has the SHA-256 fingerprint%n  %s%nIs it the"
					+ " server's (compare it with `incus info` there)? [y/N] ", remote.url(), readable);
			if (answer == null || !answer.strip().toLowerCase(java.util.Locale.ROOT).startsWith("y")) {
				throw new BerthException("remote", remote.name(),
						"the certificate was not accepted; nothing was saved");
			}
			return fingerprint;
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
