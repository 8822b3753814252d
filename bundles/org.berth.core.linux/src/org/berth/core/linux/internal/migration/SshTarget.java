package org.berth.core.linux.internal.migration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.berth.core.SshUrl;

/**
 * The commands that reach another Berth host ({@link SshUrl}): ssh itself with the user's own configuration, keys and
 * known hosts (never asking: {@code BatchMode}), and rsync over the same ssh. With a {@code control} socket every
 * command goes through one connection ({@link #master}: one key exchange and log-in for the whole migration, measured
 * at 0.3-0.7 s each on the test VM). Pure: nothing is run here.
 *
 * @param control the master connection's socket (in a folder of the caller's alone), or null for none
 */
public record SshTarget(SshUrl url, Path control) {

	/** How long the master connection stays without a command on it: a migration that died leaves none for long. */
	static final int PERSIST_SECONDS = 300;

	/** The target {@code url} names, or why it names none. */
	public static SshTarget parse(String url) throws IllegalArgumentException {
		return new SshTarget(SshUrl.parse(url), null);
	}

	/** The same target, its commands through the master connection at {@code socket}. */
	public SshTarget through(Path socket) {
		return new SshTarget(url, socket);
	}

	/**
	 * Opens the master connection: authenticates, then goes to the background ({@code -f}) and serves the other
	 * commands for up to {@value #PERSIST_SECONDS} s without one. Its output must go to a file: a pipe would stay open
	 * as long as the master lives.
	 */
	public List<String> master(List<String> ssh) {
		List<String> argv = base(ssh);
		argv.addAll(List.of("-o", "ControlMaster=yes", "-o", "ControlPath=" + control, "-o",
				"ControlPersist=" + PERSIST_SECONDS, "-N", "-f", destination()));
		return argv;
	}

	/** Ends the master connection. */
	public List<String> exit(List<String> ssh) {
		List<String> argv = base(ssh);
		argv.addAll(List.of("-o", "ControlPath=" + control, "-O", "exit", destination()));
		return argv;
	}

	public String destination() {
		return url.destination();
	}

	@Override
	public String toString() {
		return url.toString();
	}

	/** {@code ssh} and its options, without the destination: never a prompt, a dead link found within a minute. */
	public List<String> sshOptions(List<String> ssh) {
		List<String> argv = base(ssh);
		if (control != null) {
			argv.addAll(List.of("-o", "ControlMaster=no", "-o", "ControlPath=" + control));
		}
		return argv;
	}

	private List<String> base(List<String> ssh) {
		List<String> argv = new ArrayList<>(ssh);
		argv.addAll(List.of("-o", "BatchMode=yes", "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=4"));
		if (url.port() != 0) {
			argv.addAll(List.of("-p", Integer.toString(url.port())));
		}
		return argv;
	}

	/**
	 * The command that runs {@code remote} on the target. ssh hands the remote side one line for its login shell, so
	 * each word is quoted for it; {@code env} words (NAME=VALUE) come first.
	 */
	public List<String> command(List<String> ssh, List<String> env, List<String> remote) {
		List<String> argv = sshOptions(ssh);
		argv.add(destination());
		argv.add("--");
		List<String> words = new ArrayList<>();
		if (!env.isEmpty()) {
			words.add("env");
			words.addAll(env);
		}
		words.addAll(remote);
		argv.add(String.join(" ", words.stream().map(SshTarget::quote).toList()));
		return argv;
	}

	/**
	 * rsync of the folder {@code from} to {@code to} on the target (both folders; their contents are made the same,
	 * what is gone from {@code from} is removed there): owners and groups by number, modes, hard links, ACLs,
	 * extended attributes (file capabilities among them), devices, sparse files; the totals at the end. Whole files
	 * (no delta search: the target has no older copy) and compressed at the fastest level (rsync agrees on zstd
	 * where both ends have it): measured on loopback for 64 MB of CRIU's pages, 1.6 s plain, 1.2 s whole, 0.7-1.0 s
	 * whole and compressed.
	 */
	public List<String> rsync(List<String> ssh, String from, String to, Optional<String> remoteRsync) {
		List<String> argv = new ArrayList<>(List.of("rsync", "--archive", "--hard-links", "--acls", "--xattrs",
				"--numeric-ids", "--sparse", "--delete", "--whole-file", "--compress", "--compress-level=1", "--stats",
				"--info=progress2", "--no-inc-recursive"));
		argv.add("--rsh=" + String.join(" ", sshOptions(ssh).stream().map(SshTarget::quote).toList()));
		remoteRsync.ifPresent(r -> argv.add("--rsync-path=" + r));
		argv.add(slash(from));
		argv.add(destination() + ":" + slash(to));
		return argv;
	}

	private static String slash(String folder) {
		return folder.endsWith("/") ? folder : folder + "/";
	}

	/** {@code word} for a POSIX shell: as is when it is plain, else in single quotes. */
	static String quote(String word) {
		if (!word.isEmpty() && word.matches("[A-Za-z0-9_./=:@%+,-]+")) {
			return word;
		}
		return "'" + word.replace("'", "'\\''") + "'";
	}
}
