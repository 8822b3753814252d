package org.berth.core.linux.internal.migration;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Another Berth host reached over ssh, {@code ssh://[user@]host[:port]}, and the commands that reach it: ssh itself
 * with the user's own configuration, keys and known hosts (never asking: {@code BatchMode}), and rsync over the same
 * ssh. Pure: nothing is run here.
 *
 * @param user null: ssh's own choice (the configuration's, else the local user's name)
 * @param port 0: ssh's own choice (the configuration's, else 22)
 */
public record SshTarget(String user, String host, int port) {

	private static final Pattern URL = Pattern.compile(
			"ssh://(?:([A-Za-z0-9._][A-Za-z0-9._-]{0,63})@)?([A-Za-z0-9][A-Za-z0-9.-]{0,252}|\\[[0-9a-fA-F:.]+\\])"
					+ "(?::([0-9]{1,5}))?/?");

	/** The target {@code url} names, or why it names none. */
	public static SshTarget parse(String url) throws IllegalArgumentException {
		Matcher m = URL.matcher(url == null ? "" : url.trim());
		if (!m.matches()) {
			throw new IllegalArgumentException("\"" + url + "\" is not a target: write ssh://[user@]host[:port],"
					+ " e.g. ssh://root@host2 or ssh://host2:2222");
		}
		int port = 0;
		if (m.group(3) != null) {
			port = Integer.parseInt(m.group(3));
			if (port < 1 || port > 65535) {
				throw new IllegalArgumentException("port " + port + " of \"" + url + "\" is not between 1 and 65535");
			}
		}
		String host = m.group(2);
		if (host.startsWith("[")) {
			host = host.substring(1, host.length() - 1);
		}
		return new SshTarget(m.group(1), host, port);
	}

	/** {@code [user@]host}, as ssh and rsync take it. */
	public String destination() {
		String h = host.contains(":") ? "[" + host + "]" : host;
		return user == null ? h : user + "@" + h;
	}

	/** The URL again, as the user reads it. */
	@Override
	public String toString() {
		String h = host.contains(":") ? "[" + host + "]" : host;
		return "ssh://" + (user == null ? "" : user + "@") + h + (port == 0 ? "" : ":" + port);
	}

	/** {@code ssh} and its options, without the destination: never a prompt, a dead link found within a minute. */
	public List<String> sshOptions(List<String> ssh) {
		List<String> argv = new ArrayList<>(ssh);
		argv.addAll(List.of("-o", "BatchMode=yes", "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=4"));
		if (port != 0) {
			argv.addAll(List.of("-p", Integer.toString(port)));
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
	 * extended attributes (file capabilities among them), devices, sparse files; the totals at the end.
	 */
	public List<String> rsync(List<String> ssh, String from, String to, Optional<String> remoteRsync) {
		List<String> argv = new ArrayList<>(List.of("rsync", "--archive", "--hard-links", "--acls", "--xattrs",
				"--numeric-ids", "--sparse", "--delete", "--stats", "--info=progress2", "--no-inc-recursive"));
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
