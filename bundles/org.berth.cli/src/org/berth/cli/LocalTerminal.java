package org.berth.cli;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The terminal {@code berth} runs on: its size, raw mode and size changes. It uses {@code stty} on stdin, so the
 * command line needs no native library; without a terminal on stdin every method does nothing.
 */
class LocalTerminal { // not final: tests stand in for the terminal

    /** Columns and rows. */
    record Size(int columns, int rows) {
    }

    private String saved;

    /** The size of the terminal on stdin ({@code stty size}: "ROWS COLUMNS"), if stdin is a terminal. */
    Optional<Size> size() {
        return stty("size").flatMap(LocalTerminal::parseSize);
    }

    static Optional<Size> parseSize(String sttySize) {
        String[] parts = sttySize.trim().split("\\s+");
        try {
            if (parts.length == 2) {
                int rows = Integer.parseInt(parts[0]);
                int columns = Integer.parseInt(parts[1]);
                if (rows > 0 && columns > 0) {
                    return Optional.of(new Size(columns, rows));
                }
            }
        } catch (NumberFormatException e) {
            // not a size
        }
        return Optional.empty();
    }

    /**
     * Raw mode without echo: every key goes to the container as it is typed, Ctrl-C included. Returns false when
     * stdin is not a terminal. {@link #restore()} undoes it.
     */
    boolean enterRawMode() {
        Optional<String> settings = stty("-g");
        if (settings.isEmpty() || stty("raw", "-echo").isEmpty()) {
            return false;
        }
        saved = settings.get().trim();
        return true;
    }

    /** Puts the terminal back as it was before {@link #enterRawMode()}. Idempotent. */
    synchronized void restore() {
        if (saved != null) {
            stty(saved);
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
            Object proxy = Proxy.newProxyInstance(LocalTerminal.class.getClassLoader(), new Class<?>[] {handler}, call);
            signal.getMethod("handle", signal, handler).invoke(null, winch, proxy);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Runs {@code stty ARGS} on our stdin; its output, or empty when it failed (stdin is not a terminal). */
    private static Optional<String> stty(String... args) {
        try {
            Process p = new ProcessBuilder(command(args)).redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static List<String> command(String... args) {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add("stty");
        cmd.addAll(List.of(args));
        return cmd;
    }
}
