package org.berth.ui.containers;

import java.util.Objects;

import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerState;
import org.berth.core.Usage;
import org.eclipse.core.runtime.IAdaptable;

/**
 * One row of the Containers view: the latest snapshot and usage sample of a container. The same object stands for
 * the same container as long as it exists, so the selection survives refreshes. Touched on the UI thread only.
 */
public final class ContainerItem implements IAdaptable {

	private final String name;
	private final String host;
	private boolean away;
	private ContainerSnapshot snapshot;
	private Usage usage;
	private double cpuPercent = Double.NaN;

	ContainerItem(ContainerSnapshot snapshot, String host) {
		this.name = snapshot.name();
		this.host = host;
		this.snapshot = snapshot;
	}

	public String name() {
		return name;
	}

	/** The connection the container belongs to: "local" or a remote's name. */
	public String host() {
		return host;
	}

	/** Whether its connection is away: the row shows what it last knew. */
	public boolean away() {
		return away;
	}

	void away(boolean value) {
		away = value;
	}

	public ContainerSnapshot snapshot() {
		return snapshot;
	}

	/** The latest usage sample while running; null when none. */
	public Usage usage() {
		return usage;
	}

	/** CPU use in percent of the host over the last sampling interval; NaN when unknown. */
	public double cpuPercent() {
		return cpuPercent;
	}

	void update(ContainerSnapshot s) {
		ContainerSnapshot before = snapshot;
		this.snapshot = Objects.requireNonNull(s);
		if (!s.isActive() || !Objects.equals(before.startedAt(), s.startedAt())) {
			// stopped, or another run: nothing of the old run's usage is true of this one
			usage = null;
			cpuPercent = Double.NaN;
		} else if (s.state() == ContainerState.FROZEN) {
			cpuPercent = 0; // frozen: no process runs; the last running sample would be stale
		} else if (!s.isRunning()) {
			cpuPercent = Double.NaN; // in a transition: unknown until the next sample
		}
	}

	void usage(Usage u, double cpu) {
		this.usage = u;
		this.cpuPercent = cpu;
	}

	@Override
	public <T> T getAdapter(Class<T> adapter) {
		if (adapter == ContainerSnapshot.class) {
			return adapter.cast(snapshot);
		}
		if (adapter == String.class) {
			return adapter.cast(name);
		}
		return null;
	}

	@Override
	public String toString() {
		return name;
	}
}
