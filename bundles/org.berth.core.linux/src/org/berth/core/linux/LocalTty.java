package org.berth.core.linux;

import java.util.Optional;

import org.berth.core.linux.internal.sys.Sys;
import org.berth.core.linux.internal.sys.SysException;

/**
 * The terminal this process runs on, for a local client such as {@code berth attach}: its size and raw mode, through
 * libc (no {@code stty} processes: the first one a JVM starts costs about 25 ms). Every method treats a descriptor
 * that is not a terminal as "nothing to do".
 */
public final class LocalTty {

	/** Columns and rows. */
	public record Size(int columns, int rows) {
	}

	private LocalTty() {
	}

	/** The size of the terminal on {@code fd}; empty when it is not a terminal or reports no size. */
	public static Optional<Size> size(int fd) {
		try {
			int[] s = Sys.windowSize(fd);
			return s[0] > 0 && s[1] > 0 ? Optional.of(new Size(s[0], s[1])) : Optional.empty();
		} catch (SysException | UnsatisfiedLinkError e) {
			return Optional.empty();
		}
	}

	/** Whether {@code fd} is a terminal (it answers tcgetattr). */
	public static boolean isTerminal(int fd) {
		try {
			Sys.tcgetattr(fd);
			return true;
		} catch (SysException | UnsatisfiedLinkError e) {
			return false;
		}
	}

	/**
	 * Raw mode on {@code fd}: every key as it is typed, Ctrl-C included, no echo. Returns the settings to give to
	 * {@link #restore}, or null when {@code fd} is not a terminal.
	 */
	public static byte[] enterRaw(int fd) {
		try {
			byte[] saved = Sys.tcgetattr(fd);
			Sys.tcsetattr(fd, Sys.raw(saved));
			return saved;
		} catch (SysException | UnsatisfiedLinkError e) {
			return null;
		}
	}

	/** Gives {@code fd} back the settings {@link #enterRaw} returned; quiet when the terminal has gone. */
	public static void restore(int fd, byte[] saved) {
		try {
			Sys.tcsetattr(fd, saved);
		} catch (SysException | UnsatisfiedLinkError e) {
			// the terminal is gone: nothing to put back
		}
	}
}
