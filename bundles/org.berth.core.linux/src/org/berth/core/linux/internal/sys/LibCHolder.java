package org.berth.core.linux.internal.sys;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.sun.jna.Native;

/**
 * Loads {@link LinuxLibC} on first use, once. A load failure is remembered and reported on every later call,
 * so a host without a usable JNA gets the same clear error each time instead of a {@code NoClassDefFoundError}.
 */
final class LibCHolder {

	private LibCHolder() {
	}

	/** Initialised when {@link #get()} first touches it (the holder idiom), never before. */
	private static final class Loaded {
		static final Object LIBRARY_OR_FAILURE = load();

		private static Object load() {
			try {
				// Unless told where system libraries live, JNA asks /sbin/ldconfig -p (a process, and its output
				// parsed in a cold JVM: about 40 ms of berth attach). libc goes by its soname, which the
				// dynamic loader finds wherever it is.
				if (System.getProperty(LIBRARY_PATH_PROPERTY) == null) {
					System.setProperty(LIBRARY_PATH_PROPERTY, systemLibraryDirs());
				}
				return Native.load("libc.so.6", LinuxLibC.class);
			} catch (UnsatisfiedLinkError | RuntimeException e) {
				return e;
			}
		}
	}

	private static final String LIBRARY_PATH_PROPERTY = "jna.platform.library.path";

	/** The usual places of system libraries that exist here, multiarch first. */
	static String systemLibraryDirs() {
		List<String> dirs = new ArrayList<>();
		for (String d : List.of("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
				"/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib")) {
			if (Files.isDirectory(Path.of(d))) {
				dirs.add(d);
			}
		}
		return String.join(File.pathSeparator, dirs);
	}

	static LinuxLibC get() throws SysException {
		Object loaded = Loaded.LIBRARY_OR_FAILURE;
		if (loaded instanceof LinuxLibC libc) {
			return libc;
		}
		Throwable failure = (Throwable) loaded;
		throw new SysException("load", "libc", 0,
				"cannot load the C library through JNA: " + failure.getMessage(), failure);
	}
}
