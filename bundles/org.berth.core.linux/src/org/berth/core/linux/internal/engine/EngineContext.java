package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

import org.berth.core.BerthException;
import org.berth.core.ContainerSnapshot;
import org.berth.core.linux.EngineConfig;
import org.berth.core.linux.internal.cgroup.CgroupDriver;
import org.berth.core.linux.internal.cgroup.Group;
import org.berth.core.linux.internal.proc.MountInfo;
import org.berth.core.linux.internal.proc.Processes;
import org.berth.core.linux.internal.sys.Errno;
import org.berth.core.linux.internal.sys.SysException;
import org.berth.core.linux.internal.sys.EngineLog;

/**
 * What the engine's parts share about the host: the roots and stores of the config, the processes ({@link Processes}),
 * the cgroup driver and the helper (both found on first use), the network, and the small rules they all apply
 * (whether a run still lives, how a failure becomes a sentence, how a clean-up failure is logged). The host's pieces
 * are given to it, so that tests can give fakes.
 */
final class EngineContext {

	final EngineConfig config;
	/** The containers this engine was opened for, or null for all. */
	final Set<String> only;
	final ConfigStore store;
	final Templates templates;
	final Images images;
	final VethNetwork network;
	final Processes processes;
	final Launcher launcher;
	final Lxcfs lxcfs;
	final RootfsIds rootfsIds;
	private final CgroupSource cgroups;
	private volatile CgroupDriver driver;
	private volatile Path helper;

	/** Where the cgroup driver comes from: {@link CgroupDriver#detect()} on a host. */
	@FunctionalInterface
	interface CgroupSource {
		CgroupDriver detect() throws IOException;
	}

	/** Runs the helper's start and speaks its protocol: {@link HelperProcess#start} on a host. */
	@FunctionalInterface
	interface Launcher {
		HelperProcess.Ready start(String name, List<String> argv, Path helperLog, boolean sync,
				HelperProcess.Cloned cloned, Duration timeout) throws BerthException;
	}

	/** A clean-up step that may fail. */
	@FunctionalInterface
	interface Step {
		void run() throws IOException, BerthException;
	}

	EngineContext(EngineConfig config, Set<String> only, Processes processes, CgroupSource cgroups, Launcher launcher) {
		this.config = config;
		this.only = only;
		this.store = new ConfigStore(config.configRoot());
		this.templates = new Templates(config.busybox(), config.configRoot().resolve(".cache"));
		this.images = new Images(config.configRoot().resolve(".images"));
		this.network = new VethNetwork(config.bridge(), config.bridgeNetns(), config.subnet());
		this.processes = processes;
		this.cgroups = cgroups;
		this.launcher = launcher;
		this.lxcfs = new Lxcfs(config.lxcfs(), MountInfo::readSelf);
		this.rootfsIds = new RootfsIds(config.runRoot());
	}

	/** An engine opened for some containers cannot do what needs to know the others. */
	void requireWhole(String what) {
		if (only != null) {
			throw new IllegalStateException("this engine was opened for " + String.join(", ", new TreeSet<>(only))
					+ " only and cannot " + what + "; open it for all containers");
		}
	}

	RunDir runDir(String name) {
		return new RunDir(config.runRoot().resolve(name));
	}

	CgroupDriver driver() throws BerthException {
		CgroupDriver d = driver;
		if (d == null) {
			try {
				d = cgroups.detect();
			} catch (IOException e) {
				throw new BerthException("cgroups", "/sys/fs/cgroup", "no usable cgroup file system was found: "
						+ e.getMessage(), e);
			}
			driver = d;
		}
		return d;
	}

	Path helper() throws BerthException {
		Path h = helper;
		if (h == null) {
			h = HelperBinary.locate(config.helper(), config.runRoot());
			helper = h;
		}
		return h;
	}

	/** Whether init of that run still runs: same PID and the same start time (a reused PID is not it). */
	boolean isAlive(RunDir.State state) {
		return processes.isAlive(state.initPid(), state.initStartTicks());
	}

	/** The record of the run of a container that runs. */
	RunDir.State requireRunning(ContainerSnapshot snap) throws BerthException {
		Optional<RunDir.State> state = runDir(snap.name()).readState();
		if (state.isEmpty() || !isAlive(state.get())) {
			throw new BerthException("state", snap.name(), "\"" + snap.name() + "\" is not running");
		}
		return state.get();
	}

	/** Removes the parent cgroup of all containers when no container group is left under it. */
	void removeParentIfEmpty() {
		quietly("remove the empty parent cgroup", config.cgroupParent(), () -> {
			CgroupDriver d = driver();
			if (d.listGroups(config.cgroupParent()).isEmpty()) {
				Group parent = d.open(config.cgroupParent());
				if (parent.exists() && parent.pids().isEmpty()) {
					parent.remove();
				}
			}
		});
	}

	static BerthException translate(String operation, String target, IOException e) {
		if (e instanceof SysException se) {
			String message = se.getMessage();
			if (se.errno() == Errno.EPERM || se.errno() == Errno.EACCES) {
				message = message.contains("root") ? message : message + "; this needs root";
			} else if (se.errno() == Errno.ENOENT && se.target() != null && "openat2".equals(se.operation())) {
				message = se.target() + " does not exist"; // a path inside a container: NAME:/path
			}
			return new BerthException(operation, target, OptionalInt.of(se.errno()), message, e);
		}
		return new BerthException(operation, target, OptionalInt.empty(), operation + " " + target + ": "
				+ describe(e), e);
	}

	/**
	 * The sentence of a java.nio failure: its exception names only the path for the common cases ("/var/lib/berth/x"),
	 * which says nothing of why.
	 */
	static String describe(IOException e) {
		String path = e instanceof java.nio.file.FileSystemException f && f.getFile() != null ? f.getFile()
				: e.getMessage();
		if (e instanceof java.nio.file.AccessDeniedException) {
			return "permission denied on " + path + "; this needs root";
		}
		if (e instanceof java.nio.file.NoSuchFileException) {
			return path + " does not exist";
		}
		if (e instanceof java.nio.file.FileAlreadyExistsException) {
			return path + " exists already";
		}
		if (e instanceof java.nio.file.NotDirectoryException) {
			return path + " is not a folder";
		}
		if (e instanceof java.nio.file.DirectoryNotEmptyException) {
			return path + " is not empty";
		}
		return e.getMessage() == null ? e.toString() : e.getMessage();
	}

	/**
	 * Runs a clean-up step after a failure or an end, where the operation's own outcome is what the user sees: a
	 * failure of the step is logged as "could not OPERATION TARGET: reason".
	 */
	static void quietly(String operation, String target, Step step) {
		try {
			step.run();
		} catch (IOException | BerthException | RuntimeException e) {
			EngineLog.log(Level.WARNING, "could not " + operation + " " + target + ": " + e.getMessage(), e);
		}
	}

	/** Deletes a temp file in a run directory; one left behind goes with the run directory. */
	static void deleteQuietly(Path p) {
		if (p != null) {
			try {
				Files.deleteIfExists(p);
			} catch (IOException e) {
				EngineLog.log(Level.DEBUG, "could not delete " + p + ": " + e);
			}
		}
	}
}
