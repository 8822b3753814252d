package org.berth.agent;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.berth.core.linux.EngineConfig;
import org.berth.core.linux.LinuxEngines;
import org.berth.core.linux.LocalEngine;

/**
 * {@code berth-agent [--socket PATH] [--group NAME] [--audit PATH] [--inherit-socket]}: runs the agent in the
 * foreground until SIGTERM or SIGINT. The containers keep running when it ends; the next agent finds them. With
 * {@code --inherit-socket} it serves the listening socket it was given as standard input (systemd's socket
 * activation: {@code berth.socket} and {@code berth.service}).
 */
public final class AgentMain {

	private AgentMain() {
	}

	public static void main(String[] args) throws Exception {
		Agent.Config config = Agent.Config.defaults();
		for (int i = 0; i < args.length; i++) {
			String a = args[i];
			if (a.equals("-h") || a.equals("--help")) {
				System.out
						.println("Usage: berth-agent [--socket PATH] [--group NAME] [--audit PATH] [--inherit-socket]");
				System.out.println("Serves the Berth API on a Unix socket (default /run/berth/berth.sock) for root"
						+ " and the members of a group (default berth). --inherit-socket: the listening socket is"
						+ " standard input (systemd: berth.socket, StandardInput=socket); --socket then names it.");
				return;
			}
			if (a.equals("--inherit-socket")) {
				config = config.withInherited(true);
				continue;
			}
			if (i + 1 >= args.length) {
				System.err.println("berth-agent: " + a + " needs a value (see --help).");
				System.exit(2);
			}
			String value = args[++i];
			switch (a) {
				case "--socket" -> config = config.withSocket(Path.of(value));
				case "--group" -> config = config.withGroup(value);
				case "--audit" -> config = config.withAuditLog(Path.of(value));
				default -> {
					System.err.println("berth-agent: unknown option " + a + " (see --help).");
					System.exit(2);
				}
			}
		}
		LocalEngine engine = LinuxEngines.open(EngineConfig.fromSystemProperties());
		engine.monitoring(); // the sampler runs from the start, for every client's graphs (GET /1.0/samples)
		Agent agent;
		try {
			agent = Agent.start(config, engine);
		} catch (Exception e) {
			engine.close();
			System.err.println("berth-agent: " + e.getMessage());
			System.exit(1);
			return;
		}
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			agent.close();
			engine.close();
			stopped.countDown();
		}, "berth-agent-stop"));
		System.err.println("berth-agent: listening on " + agent.socket() + " for root and group " + config.group());
		// the containers marked --autostart, while clients may already connect and watch them come up
		Thread.ofPlatform().name("berth-agent-autostart").daemon()
				.start(() -> Autostart.run(engine, line -> System.err.println("berth-agent: " + line)));
		// snapshot schedules: a look every minute
		Thread.ofPlatform().name("berth-agent-schedules").daemon().start(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				try {
					Thread.sleep(java.time.Duration.ofMinutes(1)); // a clock's tick, not a wait for a condition
					engine.runSchedules(java.time.Instant.now()).get()
							.forEach(line -> System.err.println("berth-agent: schedule: " + line));
				} catch (InterruptedException e) {
					return;
				} catch (Exception e) {
					System.err.println("berth-agent: schedule: " + e.getMessage());
				}
			}
		});
		agent.join();
		stopped.await();
	}
}
