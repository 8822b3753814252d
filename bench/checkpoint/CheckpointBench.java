import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.berth.core.CheckpointRequest;
import org.berth.core.MigrationRequest;
import org.berth.core.MigrationResult;
import org.berth.core.ContainerKind;
import org.berth.core.ContainerSpec;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceType;
import org.berth.core.linux.EngineConfig;
import org.berth.core.linux.LinuxEngines;
import org.berth.core.linux.LocalEngine;

/**
 * Checkpoint (the container stops, its processes saved) and restore of one process that has touched N MiB of memory:
 * the engine in a warm JVM (a Berth application container of the host template, unprivileged as by default) against
 * lxc-checkpoint -s / -r (LXC 5.0.2, a privileged container with the host's /usr bound in), both with the same CRIU,
 * round-robin in one run. The sum of the two is the downtime of a stop-and-resume. Everything is made under
 * /tmp/berth-ckbench-PID and removed at the end.
 * <p>
 * With BENCH_MIGRATE (an sshd of the script's on 127.0.0.1, {@code ssh://root@127.0.0.1:PORT}), BENCH_SSH (the ssh
 * command that reaches it) and BENCH_BERTH_HOME (a Berth product, whose berth is the other side's), each round also
 * migrates the unprivileged container to a second Berth root on this machine and back: its downtime (freeze to
 * running there) beside LXC's local stop and resume, which moves nothing.
 */
public final class CheckpointBench {

	public static void main(String[] args) throws Exception {
		int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
		List<Integer> sizes = new ArrayList<>();
		for (int i = 1; i < args.length; i++) {
			sizes.add(Integer.parseInt(args[i]));
		}
		if (sizes.isEmpty()) {
			sizes = List.of(64, 512);
		}
		String id = "berth-ckbench-" + ProcessHandle.current().pid();
		Path work = Path.of("/tmp", id);
		Path run = Path.of("/run", id);
		Path lxcpath = work.resolve("lxc");
		EngineConfig config = EngineConfig.defaults().withRoots(work.resolve("berth"), run).withCgroupParent(id);
		Files.createDirectories(work.resolve("berth"));
		Files.setPosixFilePermissions(work.resolve("berth"), java.nio.file.attribute.PosixFilePermissions
				.fromString("rwxr-xr-x"));
		criuConfig = work.resolve("criu.conf");
		Files.writeString(criuConfig, "network-lock nftables\n");
		engine = LinuxEngines.open(config);
		String migrateTo = System.getenv("BENCH_MIGRATE");
		EngineConfig other = null;
		if (migrateTo != null) {
			other = EngineConfig.defaults().withRoots(work.resolve("other"), Path.of("/run", id + "-other"))
					.withCgroupParent(id + "-other");
			Files.createDirectories(work.resolve("other"));
			Files.setPosixFilePermissions(work.resolve("other"), java.nio.file.attribute.PosixFilePermissions
					.fromString("rwxr-xr-x"));
			berthScript(work.resolve("berth-here"), config);
			berthScript(work.resolve("berth-other"), other);
			otherEngine = LinuxEngines.open(other);
		}
		List<String> made = new ArrayList<>();
		// lxc-checkpoint leaves an empty "lxc.pivot" cgroup behind: removed at the end when it was not there before
		boolean pivotBefore = Files.exists(Path.of("/sys/fs/cgroup/pids/lxc.pivot"));
		System.out.println("| memory | subject | checkpoint | restore | downtime | × LXC |");
		System.out.println("|---|---|---:|---:|---:|---:|");
		try {
			for (int mib : sizes) {
				String name = "ck" + mib;
				String privName = "cp" + mib;
				String program = "b = bytearray(" + mib + " << 20)\nfor i in range(0, len(b), 4096): b[i] = 1\n"
						+ "open('/tmp/ready', 'w').close()\nimport time\nwhile True: time.sleep(1)\n";
				engine.define(ContainerSpec.builder(name).kind(ContainerKind.APPLICATION).template("host")
						.init(List.of("/usr/bin/python3", "-c", program)).build()).get(1, TimeUnit.MINUTES);
				made.add(name);
				engine.define(ContainerSpec.builder(privName).kind(ContainerKind.APPLICATION).template("host")
						.namespace(NamespaceType.USER, NamespaceMode.HOST)
						.init(List.of("/usr/bin/python3", "-c", program)).build()).get(1, TimeUnit.MINUTES);
				made.add(privName);
				Path lxcRootfs = lxcRootfs(lxcpath, name, program);
				Path lxcReady = lxcRootfs.resolve("tmp/ready");
				List<Double> bd = new ArrayList<>(), br = new ArrayList<>(), pd = new ArrayList<>(),
						pr = new ArrayList<>(), ld = new ArrayList<>(), lr = new ArrayList<>(), md = new ArrayList<>(),
						mt = new ArrayList<>(), mb = new ArrayList<>();
				engine.start(name).get(1, TimeUnit.MINUTES);
				engine.start(privName).get(1, TimeUnit.MINUTES);
				sh("lxc-start", "-P", lxcpath.toString(), "-n", name);
				for (int r = 0; r < rounds; r++) {
					berth(engine, config, name, r, bd, br);
					berth(engine, config, privName, r, pd, pr);

					awaitFile(lxcReady);
					Path dir = work.resolve("lxc-images-" + name + "-" + r);
					long t0 = System.nanoTime();
					lxcCheckpoint(lxcpath, name, "-s", dir, "dump.log");
					long t1 = System.nanoTime();
					lxcCheckpoint(lxcpath, name, "-r", dir, "restore.log");
					long t2 = System.nanoTime();
					sh("rm", "-rf", dir.toString());
					ld.add((t1 - t0) / 1e6);
					lr.add((t2 - t1) / 1e6);
					if (migrateTo != null) {
						// there and back: each way is one migration of the same container
						awaitFile(config.configRoot().resolve(name).resolve("rootfs/tmp/ready"));
						migrate(engine, name, migrateTo, work.resolve("berth-other"), md, mt, mb);
						engine.close();
						engine = LinuxEngines.open(config);
						otherEngine.close();
						otherEngine = LinuxEngines.open(other);
						awaitFile(other.configRoot().resolve(name).resolve("rootfs/tmp/ready"));
						migrate(otherEngine, name, migrateTo, work.resolve("berth-here"), md, mt, mb);
						otherEngine.close();
						otherEngine = LinuxEngines.open(other);
						engine.close();
						engine = LinuxEngines.open(config);
					}
				}
				double lDown = median(ld) + median(lr);
				row(mib, "Berth, unprivileged (default)", bd, br, lDown);
				row(mib, "Berth, privileged", pd, pr, lDown);
				row(mib, "LXC (privileged, no console)", ld, lr, lDown);
				if (migrateTo != null) {
					System.out.printf(Locale.ROOT, "| %d MiB | Berth migration over ssh (loopback), unprivileged | | |"
							+ " %.0f ms | %.2f× |%n", mib, median(md), median(md) / lDown);
					System.out.printf(Locale.ROOT, "migration %d MiB: downtime %s ms; whole migration %s ms; sent %s"
							+ " bytes%n", mib, md, mt, mb);
				}
				System.out.printf(Locale.ROOT, "raw %d MiB: berth dump %s restore %s; privileged dump %s restore %s;"
						+ " lxc dump %s restore %s%n", mib, bd, br, pd, pr, ld, lr);
			}
		} finally {
			for (String name : made) {
				quietly("lxc-stop", "-P", lxcpath.toString(), "-n", name, "-k");
				quietly("lxc-destroy", "-P", lxcpath.toString(), "-n", name);
				try {
					engine.kill(name).get(1, TimeUnit.MINUTES);
				} catch (Exception e) {
					// stopped already
				}
				engine.destroy(name).get(1, TimeUnit.MINUTES);
			}
			engine.close();
			if (otherEngine != null) {
				// a container a failed migration left on the other side
				for (org.berth.core.ContainerSnapshot c : otherEngine.list()) {
					try {
						otherEngine.kill(c.name()).get(1, TimeUnit.MINUTES);
					} catch (Exception e) {
						// stopped already
					}
					otherEngine.destroy(c.name()).get(1, TimeUnit.MINUTES);
				}
				otherEngine.close();
				quietly("rm", "-rf", other.runRoot().toString());
			}
			quietly("rm", "-rf", work.toString(), run.toString());
			if (!pivotBefore) {
				quietly("sh", "-c", "rmdir /sys/fs/cgroup/*/lxc.pivot /sys/fs/cgroup/lxc.pivot 2>/dev/null");
			}
		}
	}

	private static LocalEngine engine;
	private static LocalEngine otherEngine;

	/** One migration of {@code name} from {@code from}'s host to the one {@code berth} serves. */
	private static void migrate(LocalEngine from, String name, String url, Path berth, List<Double> downtimes,
			List<Double> totals, List<Double> bytes) throws Exception {
		List<String> ssh = List.of(System.getenv("BENCH_SSH").split(" "));
		long t0 = System.nanoTime();
		MigrationResult r = from.migrate(name, new MigrationRequest(url, ssh, berth.toString(), false), p -> {
		}).get(10, TimeUnit.MINUTES);
		totals.add((System.nanoTime() - t0) / 1e6);
		downtimes.add(r.downtime().toNanos() / 1e6);
		bytes.add((double) r.bytesSent());
		System.out.println("migration " + name + ": " + r.phases());
	}

	/** The product's berth with one Berth root's settings: the other side of a migration. */
	private static void berthScript(Path file, EngineConfig c) throws IOException {
		String home = System.getenv("BENCH_BERTH_HOME");
		Files.writeString(file, "#!/bin/sh\nJAVA_TOOL_OPTIONS='-Dberth.configRoot=" + c.configRoot()
				+ " -Dberth.runRoot=" + c.runRoot() + " -Dberth.cgroupParent=" + c.cgroupParent()
				+ "' exec '" + home + "/berth' \"$@\"\n");
		Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
	}

	/** lxc-checkpoint -s or -r; a failure quotes the Error lines of CRIU's log. */
	private static void lxcCheckpoint(Path lxcpath, String name, String action, Path dir, String log)
			throws IOException, InterruptedException {
		try {
			sh("lxc-checkpoint", "-P", lxcpath.toString(), "-n", name, action, "-D", dir.toString());
		} catch (IOException e) {
			Path file = dir.resolve(log);
			throw new IOException(e.getMessage() + (Files.exists(file) ? String.join("\n", Files.readAllLines(file)
					.stream().filter(l -> l.contains("Error")).toList()) : ""), e);
		}
	}

	/** One timed checkpoint and restore of a Berth container, once its program has touched its memory. */
	private static void berth(LocalEngine engine, EngineConfig config, String name, int r, List<Double> dumps,
			List<Double> restores) throws Exception {
		awaitFile(config.configRoot().resolve(name).resolve("rootfs/tmp/ready"));
		long t0 = System.nanoTime();
		engine.checkpoint(name, new CheckpointRequest("r" + r, null, false, false)).get(5, TimeUnit.MINUTES);
		long t1 = System.nanoTime();
		engine.restoreCheckpoint(name, "r" + r).get(5, TimeUnit.MINUTES);
		long t2 = System.nanoTime();
		engine.deleteCheckpoint(name, "r" + r).get(1, TimeUnit.MINUTES);
		dumps.add((t1 - t0) / 1e6);
		restores.add((t2 - t1) / 1e6);
	}

	private static void row(int mib, String subject, List<Double> dumps, List<Double> restores, double lxcDowntime) {
		double down = median(dumps) + median(restores);
		System.out.printf(Locale.ROOT, "| %d MiB | %s | %.0f ms | %.0f ms | %.0f ms | %.2f× |%n", mib, subject,
				median(dumps), median(restores), down, down / lxcDowntime);
	}

	/** A privileged LXC container running the same program with the host's /usr bound in, as the host template has. */
	private static Path lxcRootfs(Path lxcpath, String name, String program) throws IOException, InterruptedException {
		Path rootfs = Files.createDirectories(lxcpath.resolve(name).resolve("rootfs"));
		for (String d : List.of("usr", "tmp", "proc", "sys", "dev", "etc", "root", "run", "var")) {
			Files.createDirectories(rootfs.resolve(d));
		}
		for (String l : List.of("bin", "sbin", "lib", "lib64")) {
			Files.createSymbolicLink(rootfs.resolve(l), Path.of("usr/" + l));
		}
		Files.writeString(rootfs.resolve("prog.py"), program);
		Files.writeString(lxcpath.resolve(name).resolve("config"), "lxc.uts.name = " + name + "\n"
				+ "lxc.rootfs.path = dir:" + rootfs + "\n" + "lxc.mount.entry = /usr usr none ro,bind 0 0\n"
				+ "lxc.mount.auto = proc:mixed sys:ro\n" + "lxc.autodev = 1\n" + "lxc.net.0.type = empty\n"
				+ "lxc.tty.max = 0\n" + "lxc.pty.max = 8\n" + "lxc.console.path = none\n"
				+ "lxc.init.cmd = /usr/bin/python3 /prog.py\n");
		return rootfs;
	}

	private static void awaitFile(Path p) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
		while (!Files.exists(p)) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(p + " did not appear: the program did not start or touch its memory");
			}
			Thread.sleep(20);
		}
	}

	private static double median(List<Double> v) {
		List<Double> s = new ArrayList<>(v);
		Collections.sort(s);
		int n = s.size();
		return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
	}

	/** CRIU's options for LXC's runs: the network locked with nftables, as Berth does (this host has no iptables). */
	private static Path criuConfig;

	private static void sh(String... cmd) throws IOException, InterruptedException {
		// output to a file, not a pipe: lxc-checkpoint -r leaves LXC's monitor running with it
		Path log = Files.createTempFile("ckbench", ".out");
		ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
		if (criuConfig != null) {
			b.environment().put("CRIU_CONFIG_FILE", criuConfig.toString());
		}
		Process p = b.start();
		int status = p.waitFor();
		String out = Files.readString(log);
		Files.delete(log);
		if (status != 0) {
			throw new IOException(String.join(" ", cmd) + " failed: " + out);
		}
	}

	private static void quietly(String... cmd) {
		try {
			new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
					.waitFor();
		} catch (IOException | InterruptedException e) {
			// cleaning up as far as it goes
		}
	}
}
