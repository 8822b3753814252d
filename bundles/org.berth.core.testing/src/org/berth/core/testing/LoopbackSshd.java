package org.berth.core.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server of a test's own on 127.0.0.1 (a free port), letting in root with a key made for it, and the
 * ssh client configuration that reaches it ({@link #sshCommand}): its own host key, known hosts and identity, nothing
 * of the machine's ssh set-up read or changed. {@link #close} ends the server (by its PID) and what it made.
 */
public final class LoopbackSshd implements AutoCloseable {

	public static final Path SSHD = Path.of("/usr/sbin/sshd");
	private static final Path PRIVSEP = Path.of("/run/sshd");

	private final Path dir;
	private final int port;
	private final Process server;
	private final boolean madePrivsep;

	/** Whether this machine has what it takes (OpenSSH's server and client, ssh-keygen). */
	public static boolean available() {
		return Files.isExecutable(SSHD) && Files.isExecutable(Path.of("/usr/bin/ssh"))
				&& Files.isExecutable(Path.of("/usr/bin/ssh-keygen"));
	}

	/** Starts the server with its files in {@code dir} (made, root's alone) and waits until it accepts. */
	public LoopbackSshd(Path dir) throws IOException, InterruptedException {
		this.dir = dir;
		Files.createDirectories(dir);
		Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
		keygen(dir.resolve("host_key"));
		keygen(dir.resolve("id"));
		Files.copy(dir.resolve("id.pub"), dir.resolve("authorized_keys"));
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = probe.getLocalPort();
		}
		Files.writeString(dir.resolve("sshd_config"), String.join("\n", "Port " + port, "ListenAddress 127.0.0.1",
				"HostKey " + dir.resolve("host_key"), "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
				"PidFile " + dir.resolve("sshd.pid"), "PermitRootLogin prohibit-password", "AllowUsers root",
				"PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no",
				"PrintMotd no", "") + "\n");
		Files.writeString(dir.resolve("ssh_config"), String.join("\n", "Host 127.0.0.1",
				"  IdentityFile " + dir.resolve("id"), "  IdentitiesOnly yes",
				"  UserKnownHostsFile " + dir.resolve("known_hosts"), "  StrictHostKeyChecking accept-new",
				"  LogLevel ERROR", "") + "\n");
		madePrivsep = !Files.isDirectory(PRIVSEP);
		if (madePrivsep) {
			Files.createDirectories(PRIVSEP); // sshd's privilege separation folder, as its package's service makes it
		}
		server = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
				.redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (true) {
			try (Socket s = new Socket()) {
				s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
				return;
			} catch (IOException e) {
				if (!server.isAlive() || System.nanoTime() > deadline) {
					close();
					throw new IOException("sshd did not start: " + Files.readString(dir.resolve("sshd.log")));
				}
				Thread.sleep(20);
			}
		}
	}

	private static void keygen(Path key) throws IOException, InterruptedException {
		Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "berth-test", "-f",
				key.toString()).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
			throw new IOException("ssh-keygen failed: " + out);
		}
	}

	/** {@code ssh://root@127.0.0.1:PORT}. */
	public String url() {
		return "ssh://root@127.0.0.1:" + port;
	}

	/** The ssh command that reaches this server (as BERTH_SSH would give it). */
	public List<String> sshCommand() {
		return List.of("ssh", "-F", dir.resolve("ssh_config").toString());
	}

	@Override
	public void close() throws IOException, InterruptedException {
		if (server != null && server.isAlive()) {
			server.destroy(); // SIGTERM to the listener we started; its sessions have ended with their commands
			if (!server.waitFor(10, TimeUnit.SECONDS)) {
				server.destroyForcibly();
				server.waitFor();
			}
		}
		if (madePrivsep) {
			Files.deleteIfExists(PRIVSEP);
		}
	}
}
