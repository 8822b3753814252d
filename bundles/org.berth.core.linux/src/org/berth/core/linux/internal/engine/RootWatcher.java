package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.berth.core.SpecValidator;
import org.berth.core.linux.internal.sys.EngineLog;

/**
 * Tells the engine which containers another process (the {@code berth} command line, a second console) may have
 * changed. It watches the config root and the run root with the kernel's inotify (through {@link WatchService}):
 * container folders that come and go, a config written ({@value ConfigStore#CONFIG}) and a run recorded or cleared
 * ({@value RunDir#STATE}); other files (the console log, written all the time) are passed over. Names come in
 * batches, gathered for {@link #GATHER} after the first, on one daemon thread. The engine's own changes come
 * too: the engine finds nothing new in them.
 */
final class RootWatcher implements AutoCloseable {

	/** How long changes are gathered into one batch after the first: a start writes several files. */
	static final Duration GATHER = Duration.ofMillis(30);
	private final WatchService service;
	private final Path configRoot;
	private final Path runRoot;
	private final Consumer<Set<String>> changed;
	/** Every watched folder: the two roots and each container's folder in them. */
	private final Map<WatchKey, Path> folders = new ConcurrentHashMap<>();
	private final Thread thread;

	/**
	 * Starts watching. A root that does not exist and cannot be made (no root rights) is not watched.
	 *
	 * @param changed gets the names of the containers that may have changed, or null when the kernel lost
	 *                events (then any may have)
	 */
	RootWatcher(Path configRoot, Path runRoot, Consumer<Set<String>> changed) throws IOException {
		this.configRoot = configRoot;
		this.runRoot = runRoot;
		this.changed = changed;
		this.service = configRoot.getFileSystem().newWatchService();
		for (Path root : new Path[]{configRoot, runRoot}) {
			try {
				Files2.privateDirectories(root);
				watchRoot(root);
			} catch (IOException e) {
				// not watched: the engine then shows only what it does itself there
				EngineLog.log(System.Logger.Level.WARNING,
						"could not watch " + root + " for changes by other processes: "
								+ e);
			}
		}
		thread = new Thread(this::run, "berth-engine-roots");
		thread.setDaemon(true);
		thread.start();
	}

	private void watchRoot(Path root) throws IOException {
		folders.put(root.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE),
				root);
		try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
			for (Path d : dirs) {
				watchContainer(d);
			}
		}
	}

	private void watchContainer(Path folder) {
		if (!SpecValidator.isValidName(folder.getFileName().toString())) {
			return; // .cache, .bin: not a container
		}
		try {
			folders.put(folder.register(service, StandardWatchEventKinds.ENTRY_CREATE,
					StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE), folder);
		} catch (IOException e) {
			// gone again already: its deletion is in the root's events
			EngineLog.log(System.Logger.Level.DEBUG, "could not watch " + folder + ": " + e);
		}
	}

	private void run() {
		try {
			while (true) {
				Set<String> names = new TreeSet<>();
				boolean lost = take(service.take(), names);
				long until = System.nanoTime() + GATHER.toNanos();
				for (long left; (left = until - System.nanoTime()) > 0;) {
					WatchKey more = service.poll(left, TimeUnit.NANOSECONDS);
					if (more != null) {
						lost |= take(more, names);
					}
				}
				try {
					if (lost) {
						changed.accept(null);
					} else if (!names.isEmpty()) {
						changed.accept(names);
					}
				} catch (RuntimeException e) {
					// the watch goes on: the next change is looked at again
					EngineLog.log(System.Logger.Level.WARNING, "looking again at " + (lost ? "every container" : names)
							+ " after a change by another process failed: " + e, e);
				}
			}
		} catch (InterruptedException | ClosedWatchServiceException e) {
			// closed
		}
	}

	/** Adds the names one key's events touch; true when the kernel lost events. */
	private boolean take(WatchKey key, Set<String> names) {
		Path folder = folders.get(key);
		boolean lost = false;
		for (WatchEvent<?> event : key.pollEvents()) {
			if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
				lost = true;
				continue;
			}
			if (folder == null) {
				continue;
			}
			String file = event.context().toString();
			if (folder.equals(configRoot) || folder.equals(runRoot)) {
				if (!SpecValidator.isValidName(file)) {
					continue;
				}
				names.add(file); // also for what was written in a new folder before its watch began
				if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(folder.resolve(file))) {
					watchContainer(folder.resolve(file));
				}
			} else if (file.equals(ConfigStore.CONFIG) || file.equals(RunDir.STATE)) {
				names.add(folder.getFileName().toString());
			}
		}
		if (!key.reset()) {
			folders.remove(key); // its folder is gone
		}
		return lost;
	}

	@Override
	public void close() {
		try {
			service.close();
		} catch (IOException e) {
			// closing anyway
			EngineLog.log(System.Logger.Level.DEBUG,
					"could not close the watch of " + configRoot + " and " + runRoot + ": "
							+ e);
		}
		thread.interrupt();
	}
}
