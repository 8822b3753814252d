package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

import org.berth.core.NamespaceType;
import org.berth.core.linux.internal.proc.NamespaceInodes;
import org.berth.core.linux.internal.proc.Processes;
import org.berth.core.linux.internal.sys.Errno;
import org.berth.core.linux.internal.sys.SysException;

/**
 * {@link Processes} over a table of pretend processes: each has a pid, a start time and namespaces, runs until the
 * test (or its reaction to a signal) ends it, and then its exit callbacks run, as the kernel's pidfds would tell.
 * Signals are recorded in order.
 */
final class FakeProcesses implements Processes {

	static final long SELF = 1;
	private static final long HOST_INODE = 4026531000L;

	private final Path procRoot;
	private final ReentrantLock lock = new ReentrantLock();
	private final Condition ended = lock.newCondition();
	private final Map<Long, Proc> table = new ConcurrentHashMap<>();
	private final List<String> signals = new CopyOnWriteArrayList<>();
	private volatile BiConsumer<Long, Integer> reaction = (pid, signal) -> {
	};

	private static final class Proc {
		final long startTicks;
		final Map<NamespaceType, Long> namespaces;
		final List<Runnable> onExit = new ArrayList<>(); // under lock
		boolean alive = true; // under lock

		Proc(long startTicks, Map<NamespaceType, Long> namespaces) {
			this.startTicks = startTicks;
			this.namespaces = namespaces;
		}
	}

	FakeProcesses(Path procRoot) {
		this.procRoot = procRoot;
	}

	/** A running process with namespaces of its own (inode = a base per type + pid). */
	void spawn(long pid, long startTicks) {
		Map<NamespaceType, Long> ns = new EnumMap<>(NamespaceType.class);
		for (NamespaceType type : NamespaceType.values()) {
			ns.put(type, HOST_INODE + 1000L * (type.ordinal() + 1) + pid);
		}
		table.put(pid, new Proc(startTicks, ns));
	}

	/** A running process that shares the namespace {@code type} of {@code other}. */
	void spawnSharing(long pid, long startTicks, NamespaceType type, long other) {
		spawn(pid, startTicks);
		table.get(pid).namespaces.put(type, table.get(other).namespaces.get(type));
	}

	/** {@code pid} (running) now has the namespace {@code type} of {@code other}. */
	void share(long pid, NamespaceType type, long other) {
		table.get(pid).namespaces.put(type, table.get(other).namespaces.get(type));
	}

	/** Ends {@code pid}: waits return, and its exit callbacks run (once each), in this thread. */
	void exit(long pid) {
		Proc p = table.get(pid);
		List<Runnable> callbacks;
		lock.lock();
		try {
			if (p == null || !p.alive) {
				return;
			}
			p.alive = false;
			callbacks = List.copyOf(p.onExit);
			p.onExit.clear();
			ended.signalAll();
		} finally {
			lock.unlock();
		}
		callbacks.forEach(Runnable::run);
	}

	/** What a pretend process does when it gets a signal (after it is recorded). */
	void onSignal(BiConsumer<Long, Integer> reaction) {
		this.reaction = reaction;
	}

	/** "pid:signal" in the order sent. */
	List<String> signals() {
		return List.copyOf(signals);
	}

	/** How many exit callbacks wait for {@code pid}. */
	int watchers(long pid) {
		lock.lock();
		try {
			Proc p = table.get(pid);
			return p == null ? 0 : p.onExit.size();
		} finally {
			lock.unlock();
		}
	}

	private boolean alive(long pid) {
		lock.lock();
		try {
			Proc p = table.get(pid);
			return p != null && p.alive;
		} finally {
			lock.unlock();
		}
	}

	@Override
	public Path procRoot() {
		return procRoot;
	}

	@Override
	public long selfPid() {
		return SELF;
	}

	@Override
	public boolean runsAsRoot() {
		return false;
	}

	@Override
	public long startTime(long pid) throws IOException {
		if (!alive(pid)) {
			throw new NoSuchFileException("/proc/" + pid + "/stat");
		}
		return table.get(pid).startTicks;
	}

	@Override
	public boolean isAlive(long pid, long startTicks) {
		return alive(pid) && table.get(pid).startTicks == startTicks;
	}

	@Override
	public boolean signal(long pid, int signal) throws SysException {
		if (!alive(pid)) {
			throw SysException.of("pidfd_open", Long.toString(pid), Errno.ESRCH);
		}
		signals.add(pid + ":" + signal);
		reaction.accept(pid, signal);
		return true;
	}

	@Override
	public boolean awaitExit(long pid, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		lock.lock();
		try {
			while (true) {
				Proc p = table.get(pid);
				if (p == null || !p.alive) {
					return true;
				}
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				ended.await(left, TimeUnit.NANOSECONDS);
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		} finally {
			lock.unlock();
		}
	}

	@Override
	public void onExit(long pid, Runnable callback) {
		lock.lock();
		try {
			Proc p = table.get(pid);
			if (p != null && p.alive) {
				p.onExit.add(callback);
				return;
			}
		} finally {
			lock.unlock();
		}
		callback.run(); // gone already
	}

	@Override
	public NamespaceInodes namespaces(long pid) throws IOException {
		if (pid == SELF) {
			Map<NamespaceType, Long> host = new EnumMap<>(NamespaceType.class);
			for (NamespaceType type : NamespaceType.values()) {
				host.put(type, HOST_INODE + type.ordinal());
			}
			return new NamespaceInodes(host);
		}
		if (!alive(pid)) {
			throw new NoSuchFileException("/proc/" + pid + "/ns");
		}
		return new NamespaceInodes(table.get(pid).namespaces);
	}

	@Override
	public void close() {
		// nothing runs
	}
}
