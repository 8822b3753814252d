package org.berth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.ui.internal.Engines;
import org.berth.ui.internal.app.BerthWorkbenchAdvisor;
import org.berth.ui.jobs.BerthJobs;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IViewReference;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.eclipse.core.commands.common.CommandException;
import org.eclipse.ui.handlers.IHandlerService;

/**
 * The UI tests' set-up. It boots the product's workbench once per test JVM on a UI thread of its own, so that tests
 * run on the JUnit thread and reach widgets through {@link #sync(Supplier)} (it replaces Tycho's UI harness, which
 * would need the Eclipse IDE application in the target platform). After each test it puts the workbench back as the
 * next test expects it: dialogs closed, editors closed, the views the test opened hidden, the console's jobs done.
 * <p>
 * {@code @ExtendWith(Workbench.class)} is the workbench alone. Tests of real containers register
 * {@code @RegisterExtension static final Workbench workbench = Workbench.withContainers();}: they are skipped without
 * root or the busybox template, get the engine service ({@link #engine()}), and every container they {@link #define}
 * or {@link #track} is removed after the test (newest first, so sharers go before what they share); at the end of
 * the class no cgroup of the tests may be left.
 */
public final class Workbench implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);
	/** The cgroup parent of the tests' engine (pom.xml: berth.cgroupParent). */
	private static final String CGROUP_PARENT = "berth-uitest";

	private static volatile Display display;

	private final boolean containers;
	private ContainerEngine engine;
	private final List<String> created = new ArrayList<>();
	private Set<IViewReference> viewsBefore = Set.of();

	/** The workbench alone ({@code @ExtendWith}). */
	public Workbench() {
		this(false);
	}

	private Workbench(boolean containers) {
		this.containers = containers;
	}

	/** The workbench and real containers, removed after each test. */
	public static Workbench withContainers() {
		return new Workbench(true);
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		if (display != null) {
			return;
		}
		CountDownLatch started = new CountDownLatch(1);
		AtomicReference<Throwable> failure = new AtomicReference<>();
		Thread ui = new Thread(() -> {
			try {
				Display d = PlatformUI.createDisplay();
				display = d;
				d.asyncExec(started::countDown); // runs once the workbench's event loop is up
				PlatformUI.createAndRunWorkbench(d, new BerthWorkbenchAdvisor());
			} catch (Throwable t) {
				failure.set(t);
				started.countDown();
			}
		}, "workbench-ui");
		ui.setDaemon(true);
		ui.start();
		if (!started.await(90, TimeUnit.SECONDS)) {
			throw new IllegalStateException("the workbench did not start within 90 s");
		}
		if (failure.get() != null) {
			throw new IllegalStateException("the workbench failed to start", failure.get());
		}
		waitUntil("a workbench window is open", Duration.ofSeconds(60),
				() -> sync(() -> PlatformUI.isWorkbenchRunning()
						&& PlatformUI.getWorkbench().getActiveWorkbenchWindow() != null));
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		created.clear();
		engine = null;
		if (containers) {
			assumeTrue(isRoot(), "real containers need root");
			assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "the busybox template needs /bin/busybox");
			engine = Engines.find().orElseThrow(() -> new AssertionError("no ContainerEngine service"));
		}
		viewsBefore = sync(() -> Set.of(window().getActivePage().getViewReferences()));
	}

	@Override
	public void afterEach(ExtensionContext context) throws Exception {
		try {
			syncRun(() -> {
				closeDialogs();
				IWorkbenchPage page = window().getActivePage();
				page.closeAllEditors(false);
				for (IViewReference ref : page.getViewReferences()) {
					if (!viewsBefore.contains(ref)) {
						page.hideView(ref);
					}
				}
			});
			Widgets.awaitJobs(BerthJobs.FAMILY, TIMEOUT);
		} finally {
			if (engine != null) {
				removeContainers();
			}
		}
	}

	@Override
	public void afterAll(ExtensionContext context) throws IOException {
		if (!containers || !isRoot()) {
			return;
		}
		List<Path> left = new ArrayList<>();
		try (DirectoryStream<Path> controllers = Files.newDirectoryStream(Path.of("/sys/fs/cgroup"))) {
			for (Path c : controllers) {
				if (Files.exists(c.resolve(CGROUP_PARENT))) {
					left.add(c.resolve(CGROUP_PARENT));
				}
			}
		}
		if (Files.exists(Path.of("/sys/fs/cgroup", CGROUP_PARENT))) {
			left.add(Path.of("/sys/fs/cgroup", CGROUP_PARENT));
		}
		assertTrue(left.isEmpty(), "cgroups left behind: " + left);
	}

	// ---- real containers ----------------------------------------------------------------------------------------

	/** The console's engine service (with {@link #withContainers()}). */
	public ContainerEngine engine() {
		if (engine == null) {
			throw new IllegalStateException("register Workbench.withContainers() to use real containers");
		}
		return engine;
	}

	/** Defines a container that is removed after the test. */
	public ContainerSnapshot define(ContainerSpec spec) throws Exception {
		track(spec.name());
		return get(engine().define(spec));
	}

	/** Defines and starts a container that is removed after the test. */
	public ContainerSnapshot run(ContainerSpec spec) throws Exception {
		define(spec);
		return get(engine().start(spec.name()));
	}

	/** Removes the container {@code name} after the test: one the test makes through the console. */
	public void track(String name) {
		if (!created.contains(name)) {
			created.add(name);
		}
	}

	/** The result of an engine operation, or its failure, within the tests' timeout. */
	public static <T> T get(CompletableFuture<T> f) throws Exception {
		return f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
	}

	private void removeContainers() throws Exception {
		List<String> newestFirst = new ArrayList<>(created);
		Collections.reverse(newestFirst);
		Exception first = null;
		for (String name : newestFirst) {
			try {
				if (engine.get(name).map(ContainerSnapshot::isActive).orElse(false)) {
					get(engine.kill(name));
				}
			} catch (Exception e) {
				first = first == null ? e : first;
			}
		}
		for (String name : newestFirst) {
			try {
				if (engine.get(name).isPresent()) {
					get(engine.destroy(name));
				}
			} catch (Exception e) {
				first = first == null ? e : first;
			}
		}
		created.clear();
		if (first != null) {
			throw first;
		}
	}

	private static boolean isRoot() {
		try {
			return Files.readString(Path.of("/proc/self/status")).lines().filter(l -> l.startsWith("Uid:"))
					.anyMatch(l -> l.split("\\s+")[2].equals("0"));
		} catch (IOException e) {
			return false;
		}
	}

	// ---- the workbench ------------------------------------------------------------------------------------------

	public static Display display() {
		return display;
	}

	/** The workbench window (the active one, else the first). UI thread. */
	public static IWorkbenchWindow window() {
		return PlatformUI.getWorkbench().getActiveWorkbenchWindow() != null
				? PlatformUI.getWorkbench().getActiveWorkbenchWindow()
				: PlatformUI.getWorkbench().getWorkbenchWindows()[0];
	}

	/** Shows the view {@code id} and returns its part as {@code type}. Test thread. */
	public static <T> T showView(String id, Class<T> type) {
		return sync(() -> {
			try {
				IViewPart part = window().getActivePage().showView(id);
				return type.isInstance(part) ? type.cast(part) : part.getAdapter(type);
			} catch (Exception e) {
				throw new AssertionError(e);
			}
		});
	}

	/** Makes the view {@code id} the active part (the commands then act on its selection). Test thread. */
	public static void activate(String id) {
		syncRun(() -> {
			IWorkbenchPage page = window().getActivePage();
			page.activate(page.findView(id));
		});
	}

	/** Closes dialogs a test left open (the workbench window stays). UI thread. */
	private static void closeDialogs() {
		for (Shell s : display.getShells()) {
			if (s != window().getShell() && !s.isDisposed() && s.isVisible()) {
				s.close();
			}
		}
	}

	/** Runs {@code s} on the UI thread and returns its result. */
	/** Runs a command in the active window as the menu, toolbar and keys do; its failure is thrown here. */
	public static void execute(String commandId) throws CommandException {
		CommandException[] failure = new CommandException[1];
		syncRun(() -> {
			try {
				window().getService(IHandlerService.class).executeCommand(commandId, null);
			} catch (CommandException e) {
				failure[0] = e;
			}
		});
		if (failure[0] != null) {
			throw failure[0];
		}
	}

	public static <T> T sync(Supplier<T> s) {
		AtomicReference<T> r = new AtomicReference<>();
		AtomicReference<RuntimeException> e = new AtomicReference<>();
		display.syncExec(() -> {
			try {
				r.set(s.get());
			} catch (RuntimeException ex) {
				e.set(ex);
			}
		});
		if (e.get() != null) {
			throw e.get();
		}
		return r.get();
	}

	/** Runs {@code r} on the UI thread. */
	public static void syncRun(Runnable r) {
		sync(() -> {
			r.run();
			return null;
		});
	}

	/** Waits until {@code condition} holds, polling every 50 ms, or fails naming {@code what}. */
	public static void waitUntil(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
		long end = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > end) {
				throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what);
			}
			Thread.sleep(50);
		}
	}
}
