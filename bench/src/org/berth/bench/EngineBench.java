package org.berth.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;

import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceType;
import org.berth.core.NetworkSpec;
import org.berth.core.Usage;
import org.berth.core.linux.EngineConfig;
import org.berth.core.linux.LinuxEngines;
import org.berth.core.linux.LocalEngine;

/**
 * Drives the Berth engine from one warm JVM, as the console does, for {@code bench/bench.py}. It reads one command
 * per line on stdin and answers one line on stdout: {@code ok [numbers...]} or {@code error SENTENCE}. Times are in
 * milliseconds, measured here, so the pipe to the driver is not part of them.
 * <p>
 * Usage: {@code EngineBench CONFIG_ROOT RUN_ROOT CGROUP_PARENT}. Commands:
 * <ul>
 * <li>{@code define NAME ROOTFS [hostnet|privileged]} – defines a system container on that root file system (its
 * /sbin/init), unprivileged (a user namespace of its own, the rootfs idmapped) unless {@code privileged},
 * with a new network namespace (loopback only), or with the host's network given {@code hostnet};</li>
 * <li>{@code cycle NAME} – start, {@code echo ok} inside (checked), kill; answers the three phases and the total;</li>
 * <li>{@code exec NAME ARG...} – runs a command in a running container; answers its time;</li>
 * <li>{@code start NAME}, {@code kill NAME}, {@code destroy NAME} – one operation; answers its time;</li>
 * <li>{@code startmany PREFIX N ROOTFS} – defines and starts those of PREFIX001..PREFIXN not running yet; answers
 * the time;</li>
 * <li>{@code sweep PREFIX N} – samples {@code usage()} of all N, one after the other (one sampler thread);
 * answers wall time and the CPU time all Java threads spent;</li>
 * <li>{@code killmany PREFIX N} – kills and destroys them; {@code cleanup} – kills and destroys every container
 * of this engine (its config root holds only the benchmark's);</li>
 * <li>{@code quit}.</li>
 * </ul>
 */
public final class EngineBench {

	private final ContainerEngine engine;
	private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private EngineBench(ContainerEngine engine) {
		this.engine = engine;
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 3) {
			System.err.println("usage: EngineBench CONFIG_ROOT RUN_ROOT CGROUP_PARENT");
			System.exit(2);
		}
		EngineConfig config = EngineConfig.defaults().withRoots(Path.of(args[0]), Path.of(args[1]))
				.withCgroupParent(args[2]);
		try (LocalEngine engine = LinuxEngines.open(config)) {
			serve(engine);
		}
	}

	/**
	 * Answers the commands on stdin with {@code engine} until {@code quit} or the end of the input (also for
	 * {@code AgentEngineBench}, the same commands through the agent's client).
	 */
	static void serve(ContainerEngine engine) throws IOException {
		// as in the console, whose views listen: the engine then also watches its folders for other processes
		engine.addListener(event -> {
		});
		serveLines(new EngineBench(engine)::run);
	}

	/** One command of the bench's line protocol: its words in, what follows "ok " out. */
	interface Command {
		String run(List<String> words) throws Exception;
	}

	/**
	 * The line protocol of the bench's JVMs (this one, AgentEngineBench, TerminalBench): "ok ready", then one line per
	 * command line on stdin, "ok ANSWER" or "error SENTENCE", until {@code quit} or the end of the input.
	 */
	static void serveLines(Command command) throws IOException {
		PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		out.println("ok ready");
		for (String line; (line = in.readLine()) != null;) {
			List<String> words = Arrays.asList(line.trim().split("\\s+"));
			if (words.get(0).equals("quit")) {
				out.println("ok bye");
				break;
			}
			String answer;
			try {
				answer = "ok " + command.run(words);
			} catch (CompletionException e) {
				answer = "error " + oneLine(e.getCause() == null ? e : e.getCause());
			} catch (Exception e) {
				answer = "error " + oneLine(e);
			}
			out.println(answer);
		}
	}

	private static String oneLine(Throwable t) {
		return String.valueOf(t.getMessage() == null ? t : t.getMessage()).replaceAll("\\s*\\R\\s*", " ");
	}

	private String run(List<String> w) throws Exception {
		switch (w.get(0)) {
			case "define" :
				if (w.size() > 3 && w.get(3).equals("privileged")) { // the host's user namespace
					engine.define(ContainerSpec.builder(w.get(1)).template(null).rootfs(w.get(2))
							.namespace(NamespaceType.USER, NamespaceMode.HOST).build()).join();
				} else if (w.size() > 3 && w.get(3).equals("hostnet")) {
					engine.define(
							ContainerSpec.builder(w.get(1)).template(null).rootfs(w.get(2)).network(NetworkSpec.HOST)
									.build())
							.join();
				} else {
					define(w.get(1), w.get(2));
				}
				return "";
			case "cycle" :
				return cycle(w.get(1));
			case "exec" : {
				long t0 = System.nanoTime();
				ExecResult r = engine.exec(w.get(1), new ExecRequest(w.subList(2, w.size()), null, null, false)).join();
				double ms = ms(t0);
				if (!r.succeeded()) {
					throw new IllegalStateException("exec in " + w.get(1) + " exited with " + r.exitCode());
				}
				return fmt(ms);
			}
			case "start" : {
				long t0 = System.nanoTime();
				engine.start(w.get(1)).join();
				return fmt(ms(t0));
			}
			case "kill" : {
				long t0 = System.nanoTime();
				engine.kill(w.get(1)).join();
				return fmt(ms(t0));
			}
			case "destroy" :
				engine.destroy(w.get(1)).join();
				return "";
			case "startmany" : {
				int n = Integer.parseInt(w.get(2));
				long t0 = System.nanoTime();
				for (String name : names(w.get(1), n)) {
					if (engine.get(name).isEmpty()) {
						define(name, w.get(3));
					}
					if (!engine.get(name).map(ContainerSnapshot::isActive).orElse(false)) {
						engine.start(name).join();
					}
				}
				return fmt(ms(t0));
			}
			case "sweep" :
				return sweep(names(w.get(1), Integer.parseInt(w.get(2))));
			case "killmany" : {
				long t0 = System.nanoTime();
				for (String name : names(w.get(1), Integer.parseInt(w.get(2)))) {
					removeQuietly(name);
				}
				return fmt(ms(t0));
			}
			case "cleanup" :
				for (ContainerSnapshot s : engine.list()) {
					removeQuietly(s.name());
				}
				return Integer.toString(engine.list().size());
			default :
				throw new IllegalArgumentException("unknown command " + w.get(0));
		}
	}

	private void define(String name, String rootfs) {
		engine.define(ContainerSpec.builder(name).template(null).rootfs(rootfs).build()).join();
	}

	/** start → echo ok → kill, as the console's Start, a terminal command and Kill do it. */
	private String cycle(String name) {
		long t0 = System.nanoTime();
		engine.start(name).join();
		long t1 = System.nanoTime();
		ExecResult r = engine.exec(name, ExecRequest.of("/bin/echo", "ok")).join();
		long t2 = System.nanoTime();
		engine.kill(name).join();
		long t3 = System.nanoTime();
		if (!r.stdoutText().equals("ok\n")) {
			throw new IllegalStateException("echo ok in " + name + " printed \"" + r.stdoutText() + "\"");
		}
		return fmt((t1 - t0) / 1e6) + " " + fmt((t2 - t1) / 1e6) + " " + fmt((t3 - t2) / 1e6) + " "
				+ fmt((t3 - t0) / 1e6);
	}

	/** One sampler pass: every container's counters, one after the other. Wall ms, CPU ms of all Java threads. */
	private String sweep(List<String> names) {
		long cpu0 = javaCpuNanos();
		long t0 = System.nanoTime();
		long sum = 0;
		for (String name : names) {
			Usage u = engine.usage(name).join();
			sum += u.pids();
		}
		long t1 = System.nanoTime();
		long cpu1 = javaCpuNanos();
		if (sum < names.size()) {
			throw new IllegalStateException("fewer processes than containers: " + sum);
		}
		return fmt((t1 - t0) / 1e6) + " " + fmt((cpu1 - cpu0) / 1e6);
	}

	private long javaCpuNanos() {
		long total = 0;
		for (long id : threads.getAllThreadIds()) {
			long t = threads.getThreadCpuTime(id);
			if (t > 0) {
				total += t;
			}
		}
		return total;
	}

	private void removeQuietly(String name) {
		try {
			ContainerSnapshot s = engine.get(name).orElse(null);
			if (s == null) {
				return;
			}
			if (s.isActive()) {
				engine.kill(name).join();
			}
			engine.destroy(name).join();
		} catch (CompletionException e) {
			System.err.println("EngineBench: could not remove " + name + ": " + oneLine(e.getCause()));
		}
	}

	private static List<String> names(String prefix, int n) {
		List<String> names = new ArrayList<>(n);
		for (int i = 1; i <= n; i++) {
			names.add(String.format("%s%03d", prefix, i));
		}
		return names;
	}

	private static double ms(long t0) {
		return (System.nanoTime() - t0) / 1e6;
	}

	private static String fmt(double ms) {
		return String.format(java.util.Locale.ROOT, "%.3f", ms);
	}
}
