package org.berth.ui.charts;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.widgets.Control;

/**
 * Periodic work of a view: a system job that makes a value off the UI thread, hands it to the UI thread (coalesced:
 * only the newest value of those not yet shown is applied) and reschedules itself; cancelled when the view's control
 * is disposed.
 *
 * @param <T> what is made in the background and applied on the UI thread
 */
final class Refresher<T> extends Job {

	/** The family of every view refresh of this bundle, for {@code belongsTo}. */
	static final String FAMILY = "org.berth.ui.charts.refresh";

	private final Control control;
	private final Supplier<T> make;
	private final Consumer<T> apply;
	private final LongSupplier delayMillis;
	private final AtomicReference<T> pending = new AtomicReference<>();
	private volatile boolean stopped;
	private volatile long applied;

	Refresher(String name, Control control, Supplier<T> make, Consumer<T> apply, LongSupplier delayMillis) {
		super(name);
		this.control = control;
		this.make = make;
		this.apply = apply;
		this.delayMillis = delayMillis;
		setSystem(true);
		control.addDisposeListener(e -> stop());
	}

	void stop() {
		stopped = true;
		cancel();
	}

	/** How many values the UI thread has applied (tests wait for it to grow). */
	long applied() {
		return applied;
	}

	@Override
	protected IStatus run(IProgressMonitor monitor) {
		if (stopped || monitor.isCanceled()) {
			return Status.CANCEL_STATUS;
		}
		try {
			T value = make.get();
			if (pending.getAndSet(value) == null && !control.isDisposed()) {
				control.getDisplay().asyncExec(() -> {
					T newest = pending.getAndSet(null);
					if (newest != null && !control.isDisposed()) {
						apply.accept(newest);
						applied++;
					}
				});
			}
		} catch (org.eclipse.swt.SWTException e) {
			return Status.CANCEL_STATUS; // the display went away
		} finally {
			if (!stopped) {
				schedule(Math.max(100, delayMillis.getAsLong()));
			}
		}
		return Status.OK_STATUS;
	}

	@Override
	public boolean belongsTo(Object family) {
		return FAMILY.equals(family);
	}
}
