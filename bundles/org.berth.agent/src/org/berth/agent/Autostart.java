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
 * What the agent does when it starts: the stopped containers marked {@code --autostart} are started, each after the
 * containers whose namespaces it shares (which must run first), then by name. One that cannot start is reported
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
		List<String> order = new ArrayList<>();
		boolean progress = true;
		while (!pending.isEmpty() && progress) {
			progress = false;
			for (String name : List.copyOf(pending)) {
				if (running.containsAll(shares(byName.get(name).spec()))) {
					order.add(name);
					running.add(name);
					pending.remove(name);
					progress = true;
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
		for (String name : plan.order()) {
			try {
				engine.start(name).get(EACH.toSeconds(), TimeUnit.SECONDS);
				started.add(name);
				log.accept("autostart: " + name + " started");
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
