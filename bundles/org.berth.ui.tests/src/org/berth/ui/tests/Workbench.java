package org.berth.ui.tests;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.berth.ui.internal.app.BerthWorkbenchAdvisor;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Boots the product's workbench once per test JVM on a UI thread of its own, so that tests run on the
 * JUnit thread and reach widgets through {@link #sync(Supplier)}. It replaces Tycho's UI harness, which
 * would need the Eclipse IDE application in the target platform.
 */
public final class Workbench implements BeforeAllCallback {

	private static volatile Display display;

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

	public static Display display() {
		return display;
	}

	/** Runs {@code s} on the UI thread and returns its result. */
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
