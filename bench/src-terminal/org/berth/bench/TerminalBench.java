package org.berth.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.TerminalRequest;
import org.berth.core.TerminalSession;
import org.berth.core.linux.EngineConfig;
import org.berth.core.linux.LinuxEngines;
import org.berth.core.linux.LocalEngine;

/**
 * Terminal figures through {@code ContainerEngine.openTerminal} in one warm JVM, as the console's Terminals view
 * opens them; for {@code bench/bench.py}, which compiles this only when the product has the terminal API. Same
 * line protocol as {@link EngineBench}: {@code define NAME ROOTFS}, {@code start NAME}, {@code prompt NAME} (open a
 * shell, until its prompt {@code "# "}; answers ms), {@code cat NAME FILE} (open a terminal running {@code cat FILE},
 * read until it ends; answers ms and bytes), {@code cleanup}, {@code quit}.
 */
public final class TerminalBench {

	private static final int COLUMNS = 120;
	private static final int ROWS = 40;

	private TerminalBench() {
	}

	public static void main(String[] args) throws Exception {
		EngineConfig config = EngineConfig.defaults().withRoots(Path.of(args[0]), Path.of(args[1]))
				.withCgroupParent(args[2]);
		try (LocalEngine engine = LinuxEngines.open(config)) {
			EngineBench.serveLines(w -> run(engine, w));
		}
	}

	private static String run(LocalEngine engine, List<String> w) throws Exception {
		switch (w.get(0)) {
			case "define" :
				engine.define(ContainerSpec.builder(w.get(1)).template(null).rootfs(w.get(2)).build()).join();
				return "";
			case "start" :
				engine.start(w.get(1)).join();
				return "";
			case "prompt" : {
				long t0 = System.nanoTime();
				try (TerminalSession s = engine.openTerminal(w.get(1), request(List.of())).join()) {
					readUntil(s.output(), "# ".getBytes(StandardCharsets.US_ASCII), 15);
					double ms = (System.nanoTime() - t0) / 1e6;
					s.input().write("exit\n".getBytes(StandardCharsets.US_ASCII));
					s.input().flush();
					s.onExit().get(10, TimeUnit.SECONDS);
					return fmt(ms);
				}
			}
			case "cat" : {
				long t0 = System.nanoTime();
				try (TerminalSession s = engine.openTerminal(w.get(1), request(List.of("/bin/cat", w.get(2)))).join()) {
					long bytes = drain(s.output(), 60);
					double ms = (System.nanoTime() - t0) / 1e6;
					s.onExit().get(10, TimeUnit.SECONDS);
					return fmt(ms) + " " + bytes;
				}
			}
			case "cleanup" :
				for (ContainerSnapshot s : engine.list()) {
					try {
						if (s.isActive()) {
							engine.kill(s.name()).join();
						}
						engine.destroy(s.name()).join();
					} catch (CompletionException e) {
						System.err.println("TerminalBench: could not remove " + s.name() + ": " + e.getCause());
					}
				}
				return "";
			default :
				throw new IllegalArgumentException("unknown command " + w.get(0));
		}
	}

	private static TerminalRequest request(List<String> command) {
		return new TerminalRequest(command, COLUMNS, ROWS, "xterm", Set.of(), true, Map.of(), false);
	}

	/** Reads until {@code marker} has arrived; a reader thread, so a silent terminal fails after the timeout. */
	private static void readUntil(InputStream in, byte[] marker, int seconds) throws Exception {
		CompletableFuture<Void> found = CompletableFuture.runAsync(() -> {
			ByteArrayOutputStream seen = new ByteArrayOutputStream();
			byte[] buf = new byte[4096];
			try {
				for (int n; (n = in.read(buf)) >= 0;) {
					seen.write(buf, 0, n);
					if (indexOf(seen.toByteArray(), marker) >= 0) {
						return;
					}
				}
			} catch (IOException e) {
				throw new CompletionException(e);
			}
			throw new IllegalStateException("the terminal ended before its prompt: " + seen);
		}, Thread::startVirtualThread);
		found.get(seconds, TimeUnit.SECONDS);
	}

	private static long drain(InputStream in, int seconds) throws Exception {
		return CompletableFuture.supplyAsync(() -> {
			long total = 0;
			byte[] buf = new byte[65536];
			try {
				for (int n; (n = in.read(buf)) >= 0;) {
					total += n;
				}
			} catch (IOException e) {
				// a PTY master reports EIO once the other side is gone: the end of the output
			}
			return total;
		}, Thread::startVirtualThread).get(seconds, TimeUnit.SECONDS);
	}

	private static int indexOf(byte[] hay, byte[] needle) {
		outer : for (int i = 0; i + needle.length <= hay.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (hay[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	private static String fmt(double ms) {
		return String.format(Locale.ROOT, "%.3f", ms);
	}
}
