package org.berth.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import org.berth.core.remote.Remote;
import org.berth.core.remote.Remotes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which remote a command line names, and what is left of it for the command (no ssh: pure parsing). */
class RemoteArgsTest {

	@TempDir
	Path dir;

	private Context ctx;

	@BeforeEach
	void remotes() throws Exception {
		System.setProperty("berth.remotes", dir.resolve("remotes.json").toString());
		Remotes remotes = Remotes.ofUser();
		remotes.add(Remote.of("h2", "ssh://root@host2"));
		remotes.add(Remote.of("h3", "ssh://host3"));
		PrintStream sink = new PrintStream(new ByteArrayOutputStream());
		ctx = new Context(sink, sink, () -> {
			throw new AssertionError("no engine");
		}, false);
	}

	@AfterEach
	void forget() {
		System.clearProperty("berth.remotes");
	}

	private String[] args(String... given) throws Exception {
		return Main.remoteArgs(ctx, given);
	}

	@Test
	void remoteBeforeTheCommand() throws Exception {
		assertArrayEquals(new String[]{"list", "--json"}, args("--remote", "h2", "list", "--json"));
		assertEquals("h2", ctx.remote());
		assertArrayEquals(new String[]{"list"}, args("--remote=h2", "list"));
		assertThrows(IllegalArgumentException.class, () -> args("--remote"));
	}

	@Test
	void aRemotesNameBeforeAContainer() throws Exception {
		assertArrayEquals(new String[]{"start", "c1", "c2"}, args("start", "h2:c1", "h2:c2"));
		assertEquals("h2", ctx.remote());
		assertArrayEquals(new String[]{"file", "pull", "c1:/etc/hosts", "."},
				args("file", "pull", "h2:c1:/etc/hosts", "."));
	}

	@Test
	void whatIsNotARemotesStaysAsItWas() throws Exception {
		assertArrayEquals(new String[]{"file", "pull", "c1:/etc/hosts", "."}, args("file", "pull", "c1:/etc/hosts",
				"."));
		assertArrayEquals(new String[]{"start", "x9:c1"}, args("start", "x9:c1"), "no remote x9: the engine says");
		assertArrayEquals(new String[]{"exec", "c1", "--", "echo", "h2:c1"}, args("exec", "c1", "--", "echo",
				"h2:c1"));
		assertArrayEquals(new String[]{"exec", "c1", "echo", "h3:x"}, args("exec", "h2:c1", "echo", "h3:x"),
				"in exec only the container");
		assertEquals("h2", ctx.remote());
	}

	@Test
	void oneHostPerCommand() throws Exception {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> args("--remote", "h2", "start", "h3:c1"));
		assertEquals("one command talks to one host: h2 or h3?", e.getMessage());
	}

	@Test
	void noRemoteNoChange() throws Exception {
		assertArrayEquals(new String[]{"list"}, args("list"));
		assertNull(ctx.remote());
	}
}
