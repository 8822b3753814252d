package org.berth.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real incusd of a test's own ({@code releng/incus-host up DIR}: its own INCUS_DIR, mount namespace, a busybox
 * image, HTTPS on a free loopback port), and the {@code incus} command against it; {@link #close} brings it down
 * ({@code releng/incus-host down}: instances and images deleted, the daemon stopped by its PID, DIR removed) and
 * fails when anything of it is left (the daemon, a mount under DIR, DIR).
 */
public final class IncusHost implements AutoCloseable {

	private final Path repo;
	private final Path dir;
	private final String address;
	private final String pid;

	/** Whether this machine can run one: root, and Incus installed (releng/setup-incus). */
	public static boolean available() {
		return "root".equals(System.getProperty("user.name"))
				&& Files.isExecutable(Path.of("/usr/libexec/incus/incusd"));
	}

	/** Starts one with its files in a new temp folder; {@code releng/incus-host} is found above the working folder. */
	public IncusHost() throws IOException, InterruptedException {
		Path r = Path.of("").toAbsolutePath();
		while (r != null && !Files.isExecutable(r.resolve("releng/incus-host"))) {
			r = r.getParent();
		}
		if (r == null) {
			throw new IOException("releng/incus-host is not above " + Path.of("").toAbsolutePath());
		}
		repo = r;
		dir = Files.createTempDirectory("berth-incus-host");
		List<String> out = run(List.of(repo.resolve("releng/incus-host").toString(), "up", dir.toString()));
		address = "https://" + out.get(out.size() - 1).trim();
		pid = Files.readString(dir.resolve("incusd.pid")).trim();
	}

	/** {@code https://127.0.0.1:PORT}. */
	public String address() {
		return address;
	}

	/** The daemon's Unix socket. */
	public Path socket() {
		return dir.resolve("var/unix.socket");
	}

	/** The {@code INCUS_DIR} of this daemon, for an {@code incus} command of the test's. */
	public Path incusDir() {
		return dir.resolve("var");
	}

	/** A trust token for a client of that name ({@code incus config trust add NAME}). */
	public String trustToken(String clientName) throws IOException, InterruptedException {
		List<String> out = incus("config", "trust", "add", clientName);
		return out.get(out.size() - 1).trim();
	}

	/** Runs {@code incus ARGS} against this daemon; its stdout's lines (a failure throws with its stderr). */
	public List<String> incus(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("incus"));
		command.addAll(List.of(args));
		return run(command);
	}

	private List<String> run(List<String> command) throws IOException, InterruptedException {
		ProcessBuilder pb = new ProcessBuilder(command);
		pb.environment().put("INCUS_DIR", dir.resolve("var").toString());
		Path err = Files.createTempFile("berth-incus-host", ".err");
		try {
			Process p = pb.redirectError(err.toFile()).start();
			p.getOutputStream().close();
			CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
				try {
					return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
				} catch (IOException e) {
					return "";
				}
			});
			if (!p.waitFor(180, TimeUnit.SECONDS)) {
				p.destroyForcibly();
				throw new IOException(command + " did not end in 180 s");
			}
			if (p.exitValue() != 0) {
				throw new IOException(command + " failed (" + p.exitValue() + "): " + Files.readString(err));
			}
			return out.join().lines().toList();
		} finally {
			Files.deleteIfExists(err);
		}
	}

	@Override
	public void close() throws IOException, InterruptedException {
		try {
			run(List.of(repo.resolve("releng/incus-host").toString(), "down", dir.toString()));
		} finally {
			if (Files.exists(dir)) {
				try (Stream<Path> s = Files.walk(dir)) {
					for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
						Files.deleteIfExists(p);
					}
				} catch (IOException e) {
					// reported below
				}
			}
		}
		List<String> left = new ArrayList<>();
		if (ProcessHandle.of(Long.parseLong(pid)).map(p -> p.isAlive() && !zombie(pid)).orElse(false)) {
			left.add("incusd " + pid + " still runs");
		}
		for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
			if (line.contains(dir.toString())) {
				left.add("still mounted: " + line);
			}
		}
		if (Files.exists(dir)) {
			left.add(dir + " is still there");
		}
		if (!left.isEmpty()) {
			throw new IllegalStateException("the incusd of a test left: " + String.join("; ", left));
		}
	}

	private static boolean zombie(String pid) {
		try {
			String stat = Files.readString(Path.of("/proc", pid, "stat"));
			return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
		} catch (IOException e) {
			return true; // gone meanwhile
		}
	}
}
