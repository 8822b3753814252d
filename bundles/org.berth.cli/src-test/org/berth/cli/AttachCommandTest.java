package org.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.berth.core.ContainerSpec;
import org.berth.core.NamespaceType;
import org.berth.core.TerminalRequest;
import org.berth.core.TerminalSession;
import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/**
 * {@code berth attach} and {@code berth console --follow} on a fake engine whose sessions print a fixed text: the
 * request made from the command line, the output, the keys forwarded, the exit status. (The real terminal is
 * {@link AttachTmuxTest}.)
 */
class AttachCommandTest {

	/** A session that prints {@code text} and ends with {@code status} once its input has ended. */
	static final class FakeSession implements TerminalSession {
		final ByteArrayOutputStream typed = new ByteArrayOutputStream();
		final CompletableFuture<Integer> exit = new CompletableFuture<>();
		final List<String> resizes = new ArrayList<>();
		private final InputStream output;
		private final int status;
		boolean closed;

		FakeSession(String text, int status) {
			this.output = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
			this.status = status;
		}

		@Override
		public InputStream output() {
			return output;
		}

		@Override
		public OutputStream input() {
			return new OutputStream() {
				@Override
				public void write(int b) {
					synchronized (typed) {
						typed.write(b);
						if (b == 0x04) {
							exit.complete(status); // Ctrl-D: the shell ends
						}
					}
				}
			};
		}

		@Override
		public void resize(int columns, int rows) {
			resizes.add(columns + "x" + rows);
		}

		@Override
		public CompletableFuture<Integer> onExit() {
			return exit;
		}

		@Override
		public String title() {
			return "fake";
		}

		@Override
		public void close() {
			closed = true;
			exit.complete(status);
		}
	}

	private final List<TerminalRequest> requests = new ArrayList<>();
	private FakeSession session = new FakeSession("hello from c1\r\n", 3);
	private final FakeLocalEngine engine = new FakeLocalEngine() {
		@Override
		public CompletableFuture<TerminalSession> openTerminal(String name, TerminalRequest request) {
			requests.add(request);
			return CompletableFuture.completedFuture(session);
		}
	}.addRunning(ContainerSpec.builder("c1").build());

	private record Run(int code, String out, String err) {
	}

	/** Runs attach with {@code keys} as stdin and no local terminal (stdin is not a tty here). */
	private Run attach(String keys, String... args) {
		return attach(new ByteArrayInputStream(keys.getBytes(StandardCharsets.UTF_8)), args);
	}

	private Run attach(InputStream stdin, String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code;
		try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
				PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
				Context ctx = new Context(o, e, () -> engine, false)) {
			// the real command with our stdin and terminal, handled as Main handles its commands
			CommandLine cl = new CommandLine(new AttachCommand(ctx, stdin, new LocalTerminal() {
				@Override
				Optional<Size> size() {
					return Optional.of(new Size(132, 43));
				}
			}));
			cl.setParameterExceptionHandler((ex, a) -> {
				ctx.error(Main.usageSentence(ex));
				return Context.USAGE;
			});
			cl.setExecutionExceptionHandler((ex, c, p) -> {
				ctx.error(ex);
				return Context.FAILURE;
			});
			code = cl.execute(args);
		}
		return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	@Test
	void aShellGetsTheLocalSizeOurKeysAndEndsWithItsStatus() {
		Run r = attach("ls\r", "c1");
		assertEquals(3, r.code(), r::toString);
		assertTrue(r.out().contains("hello from c1"), r.out());
		TerminalRequest req = requests.get(0);
		assertEquals(List.of(), req.command(), "the login shell");
		assertEquals(132, req.columns());
		assertEquals(43, req.rows());
		assertTrue(req.joinsAllNamespaces() && req.chroot() && !req.console());
		assertEquals("ls\r\u0004", session.typed.toString(StandardCharsets.UTF_8),
				"keys, then Ctrl-D at the end of a non-terminal input");
		assertTrue(session.closed, "the session is closed at the end");
	}

	@Test
	void aCommandADebugShellAndTheConsole() {
		attach("", "--ns", "net,uts", "--host-files", "c1", "--", "ip", "-br", "addr");
		TerminalRequest req = requests.get(0);
		assertEquals(List.of("ip", "-br", "addr"), req.command());
		assertEquals(Set.of(NamespaceType.NET, NamespaceType.UTS), req.namespaces());
		assertFalse(req.chroot());

		session = new FakeSession("console history\r\n", 0);
		Run r = attach("abc\u001dnot sent", "--console", "c1");
		assertEquals(0, r.code(), r::toString);
		assertTrue(requests.get(1).console());
		assertEquals("abc", session.typed.toString(StandardCharsets.UTF_8),
				"Ctrl-] detaches; nothing after it is sent");
		assertTrue(r.err().contains("Ctrl-] detaches"), r.err());
	}

	@Test
	void theEndOfTheSessionWakesTheThreadStillReadingOurInput() throws Exception {
		// the JVM's exit waits up to 300 ms for a thread in a native read of the terminal: attach closes its
		// input when the session ends, which wakes that read (a channel closed under it)
		CountDownLatch closed = new CountDownLatch(1);
		InputStream noKeyComes = new InputStream() {
			@Override
			public int read() throws IOException {
				try {
					closed.await();
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
				throw new IOException("closed");
			}

			@Override
			public void close() {
				closed.countDown();
			}
		};
		session = new FakeSession("bye\r\n", 5);
		session.exit.complete(5); // the shell ends by itself, no key was typed
		Run r = attach(noKeyComes, "c1");
		assertEquals(5, r.code(), r::toString);
		assertEquals(0, closed.getCount(), "the input was closed when the session ended");
	}

	@Test
	void badOptionsAreUsageErrors() {
		Run r = attach("", "--ns", "bogus", "c1");
		assertEquals(2, r.code(), r::toString);
		assertTrue(r.err().contains("\"bogus\" is not a namespace type"), r.err());
		r = attach("", "--console", "c1", "--", "sh");
		assertEquals(2, r.code(), r::toString);
		assertTrue(r.err().contains("--console attaches to the console as it is"), r.err());
		assertTrue(requests.isEmpty(), "nothing was opened");
	}

	@Test
	void consoleFollowPrintsTheSessionsOutput() {
		session = new FakeSession("berth: c1 is up\r\nPlease press Enter\r\n", 0);
		Cli.Result r = new Cli(engine).run("console", "--follow", "c1");
		assertEquals(0, r.code(), r::toString);
		assertEquals("berth: c1 is up\r\nPlease press Enter\r\n", r.out());
		assertTrue(requests.get(0).console());
	}
}
