package org.berth.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceSpec;

/**
 * What the agent does when it starts: the stopped containers marked {@code --autostart} are started by their boot
 * order (lower first), each after the containers whose namespaces it shares (which must run first), then by name;
 * after each, its boot delay passes before the next. One that cannot start is reported
 * with its reason and the rest go on; one that waits for a container that is not to be started is reported too.
 */
final class Autostart {

	private static final Duration EACH = Duration.ofMinutes(2);

	private Autostart() {
	}

	/** The order to start them in (those that can be ordered) and those that cannot, with why. Pure. */
	record Plan(List<String> order, Map<String, String> blocked) {
	}

	static Plan plan(List<ContainerSnapshot> all) {
		Map<String, ContainerSnapshot> byName = new LinkedHashMap<>();
		all.forEach(s -> byName.put(s.name(), s));
		Set<String> pending = new TreeSet<>();
		for (ContainerSnapshot s : all) {
			if (s.spec().autostart() && s.state() == ContainerState.STOPPED) {
				pending.add(s.name());
			}
		}
		Set<String> running = new TreeSet<>();
		for (ContainerSnapshot s : all) {
			if (s.state() == ContainerState.RUNNING || s.state() == ContainerState.FROZEN) {
				running.add(s.name());
			}
		}
		// by boot order, then name; each time the first whose shared namespaces are already up
		List<String> sorted = new ArrayList<>(pending);
		sorted.sort(java.util.Comparator.comparingInt((String n) -> byName.get(n).spec().bootOrder())
				.thenComparing(java.util.Comparator.naturalOrder()));
		List<String> order = new ArrayList<>();
		boolean progress = true;
		while (!sorted.isEmpty() && progress) {
			progress = false;
			for (String name : sorted) {
				if (running.containsAll(shares(byName.get(name).spec()))) {
					order.add(name);
					running.add(name);
					sorted.remove(name);
					pending.remove(name);
					progress = true;
					break;
				}
			}
		}
		Map<String, String> blocked = new LinkedHashMap<>();
		for (String name : pending) {
			Set<String> missing = new TreeSet<>(shares(byName.get(name).spec()));
			missing.removeAll(running);
			blocked.put(name, "it shares namespaces of " + String.join(", ", missing)
					+ ", which is not running and not marked to start (or waits for it in turn)");
		}
		return new Plan(order, blocked);
	}

	private static Set<String> shares(ContainerSpec spec) {
		Set<String> others = new TreeSet<>();
		for (NamespaceSpec ns : spec.namespaces().values()) {
			if (ns.mode() == NamespaceMode.SHARE) {
				others.add(ns.shareWith());
			}
		}
		return others;
	}

	/** Starts what {@link #plan} orders, one at a time; {@code log} hears a line for each. Returns those started. */
	static List<String> run(ContainerEngine engine, Consumer<String> log) {
		Plan plan = plan(engine.list());
		List<String> started = new ArrayList<>();
		for (int i = 0; i < plan.order().size(); i++) {
			String name = plan.order().get(i);
			try {
				engine.start(name).get(EACH.toSeconds(), TimeUnit.SECONDS);
				started.add(name);
				log.accept("autostart: " + name + " started");
				int delay = engine.get(name).map(s -> s.spec().bootDelaySeconds()).orElse(0);
				if (delay > 0 && i + 1 < plan.order().size()) {
					log.accept("autostart: waiting " + delay + " s (the boot delay of " + name + ")");
					Thread.sleep(Duration.ofSeconds(delay)); // the user's delay between two starts
				}
			} catch (ExecutionException e) {
				Throwable c = e.getCause() == null ? e : e.getCause();
				log.accept("autostart: " + name + " did not start: " + c.getMessage());
			} catch (TimeoutException e) {
				log.accept("autostart: " + name + " did not start within " + EACH.toMinutes() + " minutes");
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return started;
			}
		}
		plan.blocked().forEach((name, why) -> log.accept("autostart: " + name + " was not started: " + why));
		return started;
	}
}
