package org.berth.ui.tests;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSnapshot;
import org.berth.core.MigrationProgress;
import org.berth.core.MigrationProgress.Phase;
import org.berth.core.MigrationRequest;
import org.berth.core.MigrationResult;
import org.berth.core.Sizes;
import org.berth.ui.internal.Engines;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;

/**
 * The tests' engine with a migration the test plays step by step: every call goes to the real engine of the UI tests
 * except {@link ContainerEngine#migrate}, which reports on a thread of its own (as the engine's does) the steps the
 * test {@link #play}s — progress as LinuxEngine words it, then a result or a failure. A live migration that succeeds
 * removes the container here, as the engine does once it runs on the target. Registered above the engine service
 * while it is open, so the console's handlers and editors use it; the real migration is MigrateTest's (org.berth.cli,
 * a real sshd).
 */
final class ScriptedMigrations implements InvocationHandler, AutoCloseable {

	/** How long the migration waits for the test's next step before it fails (the test is stuck then). */
	private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

	private final ContainerEngine real;
	private final ContainerEngine proxy;
	private final BlockingQueue<Object> steps = new LinkedBlockingQueue<>();
	private final ServiceRegistration<ContainerEngine> registration;
	/** What the console asked for: the container and the request. */
	volatile String asked;
	volatile MigrationRequest request;

	ScriptedMigrations(ContainerEngine real) {
		this.real = real;
		this.proxy = (ContainerEngine) Proxy.newProxyInstance(ContainerEngine.class.getClassLoader(),
				new Class<?>[]{ContainerEngine.class}, this);
		Hashtable<String, Object> ranking = new Hashtable<>();
		ranking.put(Constants.SERVICE_RANKING, 1000);
		registration = FrameworkUtil.getBundle(Engines.class).getBundleContext().registerService(ContainerEngine.class,
				proxy, ranking);
	}

	/** The engine the console sees. */
	ContainerEngine engine() {
		return proxy;
	}

	/** Lets the migration go on with these steps: MigrationProgress, then a MigrationResult or an Exception. */
	void play(Object... more) {
		steps.addAll(List.of(more));
	}

	@Override
	public Object invoke(Object p, Method m, Object[] args) throws Throwable {
		if (m.getName().equals("migrate") && args != null && args.length == 3) {
			@SuppressWarnings("unchecked")
			Consumer<MigrationProgress> progress = (Consumer<MigrationProgress>) args[2];
			return migrate((String) args[0], (MigrationRequest) args[1], progress);
		}
		switch (m.getName()) {
			case "equals" :
				return p == args[0];
			case "hashCode" :
				return System.identityHashCode(p);
			case "toString" :
				return "scripted migrations over " + real;
			default :
				try {
					return m.invoke(real, args);
				} catch (InvocationTargetException e) {
					throw e.getCause();
				}
		}
	}

	private CompletableFuture<MigrationResult> migrate(String name, MigrationRequest r,
			Consumer<MigrationProgress> progress) {
		asked = name;
		request = r;
		CompletableFuture<MigrationResult> f = new CompletableFuture<>();
		Thread engine = new Thread(() -> {
			try {
				while (true) {
					Object s = steps.poll(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
					if (s == null) {
						f.completeExceptionally(new IllegalStateException("the test gave no next step within "
								+ STEP_TIMEOUT.toSeconds() + " s"));
						return;
					} else if (s instanceof MigrationProgress step) {
						progress.accept(step);
					} else if (s instanceof MigrationResult result) {
						if (result.live()) { // it runs on the target now: gone here
							if (real.get(name).map(ContainerSnapshot::isActive).orElse(false)) {
								real.kill(name).get(60, TimeUnit.SECONDS);
							}
							real.destroy(name).get(60, TimeUnit.SECONDS);
						}
						f.complete(result);
						return;
					} else {
						f.completeExceptionally((Throwable) s);
						return;
					}
				}
			} catch (Exception e) {
				f.completeExceptionally(e);
			}
		}, "scripted-migration");
		engine.setDaemon(true);
		engine.start();
		return f;
	}

	@Override
	public void close() {
		registration.unregister();
		steps.clear();
	}

	// ---- the steps, as LinuxEngine's Migrations reports them ----------------------------------------------------

	static List<Object> check(String name, String target) {
		return List.of(new MigrationProgress(Phase.CHECK, -1, "checking that \"" + name + "\" can move"),
				new MigrationProgress(Phase.CHECK, -1, "connecting to " + target),
				new MigrationProgress(Phase.CHECK, -1, "asking " + target + " to take \"" + name + "\""));
	}

	/** rsync's progress of a folder from {@code from} to {@code to} (0 to 1) in tenths. */
	static List<Object> send(Phase phase, String what, String name, double from, double to) {
		List<Object> out = new ArrayList<>();
		if (from == 0) {
			out.add(new MigrationProgress(phase, 0, "sending " + what + " of \"" + name + "\""));
		}
		for (int tenth = (int) Math.round(from * 10) + 1; tenth <= Math.round(to * 10); tenth++) {
			out.add(new MigrationProgress(phase, tenth / 10.0, "sending " + what + " of \"" + name + "\""));
		}
		return out;
	}

	static MigrationProgress sent(Phase phase, String what, String name, long bytes) {
		return new MigrationProgress(phase, 1, "sent " + what + " of \"" + name + "\" (" + Sizes.formatBytes(bytes)
				+ ")");
	}

	static MigrationProgress dump(String name) {
		return new MigrationProgress(Phase.DUMP, -1, "freezing \"" + name + "\" and writing its processes");
	}

	static MigrationProgress restore(String name, String target) {
		return new MigrationProgress(Phase.RESTORE, -1, "resuming \"" + name + "\" on " + target);
	}

	static MigrationProgress cleanUp(String name) {
		return new MigrationProgress(Phase.CLEAN_UP, -1, "removing \"" + name + "\" here");
	}

	/** A finished live migration: 0.91 s down, 12.3 MiB sent, the phases' times in milliseconds. */
	static MigrationResult live(String name, String target, long... millis) {
		Map<Phase, Duration> phases = new EnumMap<>(Phase.class);
		for (Phase p : Phase.values()) {
			phases.put(p, Duration.ofMillis(millis[p.ordinal()]));
		}
		return new MigrationResult(name, target, true, Duration.ofMillis(910), (long) (12.3 * Sizes.MIB), phases);
	}

	/** Flattens steps and lists of steps. */
	static Object[] steps(Object... parts) {
		List<Object> out = new ArrayList<>();
		for (Object o : parts) {
			if (o instanceof List<?> l) {
				out.addAll(l);
			} else {
				out.add(o);
			}
		}
		return out.toArray();
	}
}
