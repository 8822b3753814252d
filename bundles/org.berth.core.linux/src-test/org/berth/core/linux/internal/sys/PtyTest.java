package org.berth.core.linux.internal.sys;

import org.berth.core.linux.internal.testing.ChildProcess;
import org.berth.core.linux.internal.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * PTYs on this host's devpts. A child process stands in for the container side and opens the slave; the JVM
 * never does.
 */
class PtyTest {
	private Pty pty;

	@AfterEach
	void closePty() throws IOException {
		if (pty != null) {
			pty.close();
		}
	}

	/** The devpts's own ptmx node is mode 000 on this host: only root opens it. */
	private Pty openOnDevpts() throws SysException {
		assumeTrue(Host.isRoot(), "opening /dev/pts/ptmx needs root here");
		return Pty.openIn(Path.of("/dev/pts/ptmx"));
	}

	@Test
	void openInNamesTheSlaveInsideAndOutside() throws Exception {
		pty = openOnDevpts();
		int n = pty.number();
		assertTrue(n >= 0);
		assertEquals("/dev/pts/" + n, pty.slavePath());
		assertEquals(Path.of("/dev/pts/" + n), pty.hostSlavePath());
		assertEquals(Path.of("/proc/4242/root/dev/pts/" + n), pty.hostSlavePath(4242));
		assertTrue(Files.exists(pty.hostSlavePath()), "the kernel created the slave node");
	}

	@Test
	void openHostWorksWithoutTheDevptsNode() throws Exception {
		pty = Pty.openHost();
		assertTrue(Files.exists(pty.hostSlavePath()));
		assertEquals("/dev/pts/" + pty.number(), pty.slavePath());
	}

	@Test
	void resizeReachesTheSlaveSide() throws Exception {
		pty = openOnDevpts();
		pty.resize(132, 43);
		assertEquals(new Pty.WindowSize(132, 43), pty.size());
		try (ChildProcess stty = ChildProcess.start("stty", "-F", pty.hostSlavePath().toString(), "size")) {
			String out = new String(stty.process().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertEquals(0, stty.awaitExit(10));
			assertEquals("43 132", out.trim());
		}
		assertThrows(IllegalArgumentException.class, () -> pty.resize(0, 24));
	}

	@Test
	void outputOfTheSlaveIsReadThenTheStreamEndsWhenTheSlaveCloses() throws Exception {
		pty = openOnDevpts();
		CompletableFuture<String> all = readAllAsync(pty.inputStream());
		try (ChildProcess writer = ChildProcess.start("sh", "-c",
				"printf 'hello from the slave' > " + pty.hostSlavePath())) {
			assertEquals(0, writer.awaitExit(10));
		}
		// after the last slave descriptor closed, Linux answers EIO: the stream ends
		assertEquals("hello from the slave", all.get(10, TimeUnit.SECONDS).replace("\r", ""));
	}

	@Test
	void inputReachesTheSlave() throws Exception {
		pty = openOnDevpts();
		try (ChildProcess reader = ChildProcess.start("sh", "-c",
				"exec 3<>" + pty.hostSlavePath() + "; stty -echo <&3; echo ready; read line <&3; echo \"got:$line\"")) {
			InputStream childOut = reader.process().getInputStream();
			assertEquals("ready", readLine(childOut));
			pty.outputStream().write("typed text\n".getBytes(StandardCharsets.US_ASCII));
			pty.outputStream().flush();
			assertEquals("got:typed text", readLine(childOut));
			assertEquals(0, reader.awaitExit(10));
		}
	}

	@Test
	void closeEndsABlockedReader() throws Exception {
		pty = openOnDevpts();
		CompletableFuture<String> all = readAllAsync(pty.inputStream());
		assertFalse(all.isDone(), "nothing was written, so the reader waits");
		pty.close();
		assertEquals("", all.get(5, TimeUnit.SECONDS));
		assertTrue(pty.isClosed());
		assertEquals(-1, pty.inputStream().read());
		assertEquals(0, pty.inputStream().available());
		assertThrows(SysException.class, () -> pty.outputStream().write('x'));
		assertThrows(SysException.class, () -> pty.resize(80, 24));
		pty.close(); // idempotent
	}

	@Test
	void openInAMissingDevptsSaysWhere() {
		SysException e = assertThrows(SysException.class, () -> Pty.openIn(Path.of("/nonexistent/dev/pts/ptmx")));
		assertEquals(Errno.ENOENT, e.errno());
		assertEquals("open(/nonexistent/dev/pts/ptmx): No such file or directory", e.getMessage());
	}

	private static CompletableFuture<String> readAllAsync(InputStream in) {
		return CompletableFuture.supplyAsync(() -> {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			byte[] buffer = new byte[256];
			try {
				for (int n; (n = in.read(buffer, 0, buffer.length)) >= 0;) {
					out.write(buffer, 0, n);
				}
			} catch (IOException e) {
				throw new java.io.UncheckedIOException(e);
			}
			return out.toString(StandardCharsets.UTF_8);
		});
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		for (int c; (c = in.read()) >= 0 && c != '\n';) {
			line.append((char) c);
		}
		return line.toString();
	}
}
