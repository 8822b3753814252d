package org.berth.core.linux.internal.testing;

import org.berth.core.linux.internal.proc.ProcStatus;

import java.io.IOException;
import java.nio.file.Path;

/** Facts about the machine the tests run on, for {@code Assumptions}. */
public final class Host {
	private Host() {
	}

	/** True when this JVM runs as root (real uid 0 per /proc/self/status). */
	public static boolean isRoot() {
		try {
			String uid = ProcStatus.read(Path.of("/proc"), ProcessHandle.current().pid()).field("Uid").orElse("");
			return uid.split("\\s+")[0].equals("0");
		} catch (IOException e) {
			return false;
		}
	}

	public static boolean isLinux() {
		return System.getProperty("os.name", "").equals("Linux");
	}

	/** A short random suffix for names of things a test creates. */
	public static String randomSuffix() {
		return Long.toString(System.nanoTime() ^ ProcessHandle.current().pid() << 20, 36).replace("-", "");
	}
}
