package org.berth.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Optional;

import org.berth.core.linux.LocalTty;

/**
 * The terminal {@code berth} runs on (stdin): its size, raw mode and size changes, through libc
 * ({@link LocalTty}); without a terminal on stdin every method does nothing.
 */
class LocalTerminal { // not final: tests stand in for the terminal

	private static final int STDIN = 0;

	/** Columns and rows. */
	record Size(int columns, int rows) {
	}

	private byte[] saved;

	/** The size of the terminal on stdin, if stdin is a terminal. */
	Optional<Size> size() {
		return LocalTty.size(STDIN).map(s -> new Size(s.columns(), s.rows()));
	}

	/**
	 * Raw mode without echo: every key goes to the container as it is typed, Ctrl-C included. Returns false when
	 * stdin is not a terminal. {@link #restore()} undoes it.
	 */
	boolean enterRawMode() {
		saved = LocalTty.enterRaw(STDIN);
		return saved != null;
	}

	/** Puts the terminal back as it was before {@link #enterRawMode()}. Idempotent. */
	synchronized void restore() {
		if (saved != null) {
			LocalTty.restore(STDIN, saved);
			saved = null;
		}
	}

	/**
	 * Calls {@code action} whenever the terminal's size changes (SIGWINCH). Uses the JDK's {@code sun.misc.Signal}
	 * through reflection (not every runtime has it); returns false when it is not available.
	 */
	static boolean onResize(Runnable action) {
		try {
			Class<?> signal = Class.forName("sun.misc.Signal");
			Class<?> handler = Class.forName("sun.misc.SignalHandler");
			Object winch = signal.getConstructor(String.class).newInstance("WINCH");
			InvocationHandler call = (proxy, method, args) -> {
				if (method.getName().equals("handle")) {
					action.run();
					return null;
				}
				return switch (method.getName()) {
					case "hashCode" -> System.identityHashCode(proxy);
					case "equals" -> proxy == args[0];
					default -> "WINCH handler";
				};
			};
			Object proxy = Proxy.newProxyInstance(LocalTerminal.class.getClassLoader(), new Class<?>[]{handler}, call);
			signal.getMethod("handle", signal, handler).invoke(null, winch, proxy);
			return true;
		} catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
			return false;
		}
	}
}
