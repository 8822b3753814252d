package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.berth.core.ContainerSnapshot;
import org.berth.core.NamespaceIdentity;
import org.berth.core.NamespaceType;
import org.berth.core.linux.internal.proc.NamespaceInodes;
import org.berth.core.linux.internal.proc.Processes;
import org.berth.core.linux.internal.sys.EngineLog;

/**
 * Which namespaces running containers share, by inode: each namespace of a container is new, the host's, or shared
 * with a container started earlier (the one that made it). The inodes of one run's init are read once: they stay
 * the same as long as that init lives.
 */
final class NamespaceTracker {

	private final Snapshots snapshots;
	private final Processes processes;
	/** False for an engine opened for some containers only: sharing is between containers, it cannot tell. */
	private final boolean whole;
	private final Map<String, RunInodes> inodeCache = new ConcurrentHashMap<>();
	private volatile NamespaceInodes hostInodes; // the engine's own process never changes its namespaces

	/** The namespaces of one run's init. */
	private record RunInodes(long initPid, Instant startedAt, NamespaceInodes inodes) {
	}

	NamespaceTracker(Snapshots snapshots, Processes processes, boolean whole) {
		this.snapshots = snapshots;
		this.processes = processes;
		this.whole = whole;
	}

	/** The container is gone: its inodes are not kept. */
	void forget(String name) {
		inodeCache.remove(name);
	}

	/**
	 * Reads the namespace inodes of every running container and classifies each as new, the host's, or shared
	 * with a container started earlier; republishes snapshots whose picture changed.
	 */
	void refresh() {
		if (!whole) {
			return;
		}
		Map<String, NamespaceInodes> inodes = new HashMap<>();
		List<ContainerSnapshot> running = new ArrayList<>();
		for (ContainerSnapshot s : snapshots.values()) {
			if (s.isActive() && s.initPid() > 0) {
				try {
					inodes.put(s.name(), inodesOf(s));
					running.add(s);
				} catch (IOException e) {
					// it just ended; its monitor's exit settles it
					EngineLog.log(Level.DEBUG, "could not read the namespaces of \"" + s.name() + "\" (init "
							+ s.initPid() + "): " + e);
				}
			}
		}
		inodeCache.keySet().retainAll(inodes.keySet());
		NamespaceInodes host = hostInodes;
		if (host == null) {
			try {
				host = hostInodes = processes.namespaces(processes.selfPid());
			} catch (IOException e) {
				EngineLog.log(Level.WARNING, "could not read the host's namespaces: " + e);
				return;
			}
		}
		running.sort(Comparator.comparing(ContainerSnapshot::startedAt, Comparator.nullsLast(Comparator.naturalOrder()))
				.thenComparing(ContainerSnapshot::name));
		// per type: inode -> the first name (alphabetically, as classify takes it) of the containers started so far
		// that have it; one pass in start order, so the cost grows with the containers, not with their square
		Map<NamespaceType, Map<Long, String>> earlier = new EnumMap<>(NamespaceType.class);
		for (NamespaceType type : NamespaceType.values()) {
			earlier.put(type, new HashMap<>());
		}
		for (ContainerSnapshot s : running) {
			Map<NamespaceType, NamespaceIdentity> ids = new EnumMap<>(NamespaceType.class);
			for (NamespaceType type : NamespaceType.values()) {
				long own = inode(inodes.get(s.name()), type);
				if (own < 0) {
					continue;
				}
				Map<Long, String> owners = earlier.get(type);
				String owner = owners.get(own);
				ids.put(type, NamespaceIdentity.classify(type, own, inode(host, type),
						owner == null ? Map.of() : Map.of(owner, own)));
				owners.merge(own, s.name(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
			}
			if (!ids.equals(s.namespaces())) {
				snapshots.replaceIfSameRun(new ContainerSnapshot(s.spec(), s.state(), s.initPid(), s.startedAt(),
						s.lastExit(), ids));
			}
		}
	}

	private NamespaceInodes inodesOf(ContainerSnapshot s) throws IOException {
		RunInodes cached = inodeCache.get(s.name());
		if (cached != null && cached.initPid() == s.initPid() && Objects.equals(cached.startedAt(), s.startedAt())) {
			return cached.inodes();
		}
		NamespaceInodes read = processes.namespaces(s.initPid());
		inodeCache.put(s.name(), new RunInodes(s.initPid(), s.startedAt(), read));
		return read;
	}

	private static long inode(NamespaceInodes inodes, NamespaceType type) {
		if (inodes == null) {
			return -1;
		}
		return inodes.inode(type).orElse(-1);
	}
}
