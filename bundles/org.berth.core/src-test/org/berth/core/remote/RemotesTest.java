package org.berth.core.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.berth.core.BerthException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemotesTest {

	@TempDir
	Path dir;

	@Test
	void aRemoteIsAnSshHostAndTheAgentsSocketThere() {
		Remote r = Remote.of("h2", "ssh://root@host2:2222");
		assertEquals("root@host2", r.ssh().destination());
		assertEquals(2222, r.ssh().port());
		assertEquals(Remote.DEFAULT_SOCKET, r.socket());
		assertEquals("ssh://root@host2:2222", r.url());
		Remote other = Remote.of("lab-1", "ssh://host3/tmp/agent/berth.sock");
		assertEquals(Path.of("/tmp/agent/berth.sock"), other.socket());
		assertEquals("ssh://host3/tmp/agent/berth.sock", other.url());
		assertEquals(Remote.DEFAULT_SOCKET, Remote.of("h", "ssh://host3/").socket());
	}

	@Test
	void anIncusServerIsHttpsWithAPinnedCertificateOrALocalSocket() {
		Remote r = Remote.of("inc1", "https://Incus.Example");
		assertEquals(Remote.Kind.INCUS, r.kind());
		assertEquals("https://incus.example:8443", r.url());
		assertNull(r.fingerprint());
		String fp = "AB:".repeat(31) + "AB";
		Remote pinned = r.withFingerprint(fp);
		assertEquals("ab".repeat(32), pinned.fingerprint());
		assertEquals(fp, Remote.readable(pinned.fingerprint()));
		assertThrows(IllegalArgumentException.class, () -> r.withFingerprint("abc"));
		Remote local = Remote.of("local-incus", "unix:///var/lib/incus/unix.socket");
		assertEquals(Path.of("/var/lib/incus/unix.socket"), local.socket());
		assertEquals("unix:///var/lib/incus/unix.socket", local.url());
		IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
				() -> local.withFingerprint("ab".repeat(32)));
		assertEquals("local-incus is not reached over HTTPS: it has no certificate to pin", none.getMessage());
		assertEquals(Remote.Kind.BERTH, Remote.of("h2", "ssh://h").kind());
		assertEquals("https://127.0.0.1:9443", Remote.of("i", "https://127.0.0.1:9443/").url());
	}

	@Test
	void badNamesAndUrlsGetASentence() {
		for (String name : List.of("", "H2", "2h", "a:b", "a/b", "x".repeat(33))) {
			IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
					() -> Remote.of(name, "ssh://h"));
			assertTrue(e.getMessage().contains("is not a remote's name"), e.getMessage());
		}
		for (String url : List.of("", "host2", "ftp://h", "https://h:0", "unix://run/x", "ssh://-oProxyCommand=x",
				"ssh://h:99999",
				"ssh://h/../etc/x", "ssh://h/run//x", "ssh://h/run/x/")) {
			IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Remote.of("h", url));
			assertTrue(e.getMessage().startsWith("\"") || e.getMessage().startsWith("port"), e.getMessage());
		}
	}

	@Test
	void aRemotesNameBeforeAColonIsSplitOff() {
		assertEquals(List.of("h2", "c1"), List.of(Remote.split("h2:c1")));
		assertEquals(List.of("h2", "c1:/etc/hosts"), List.of(Remote.split("h2:c1:/etc/hosts")));
		assertNull(Remote.split("c1:/etc/hosts"), "a container's path, as berth file takes it");
		assertNull(Remote.split("c1"));
		assertNull(Remote.split(":c1"));
		assertNull(Remote.split("H2:c1"));
		assertNull(Remote.split("h2:"));
		assertNull(Remote.split("A=b:c"));
	}

	@Test
	void addedRemotesAreKeptInAFileOfTheUsersAlone() throws Exception {
		Remotes remotes = new Remotes(dir.resolve("config/berth/remotes.json"));
		assertEquals(List.of(), remotes.list(), "no file: no remotes");
		remotes.add(Remote.of("h2", "ssh://root@host2"));
		remotes.add(Remote.of("a1", "ssh://host3:22/tmp/s.sock"));
		remotes.add(Remote.of("inc", "https://incus.example").withFingerprint("0f".repeat(32)));
		assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(remotes.file())));
		Remotes again = new Remotes(remotes.file());
		assertEquals(List.of("a1", "h2", "inc"), again.list().stream().map(Remote::name).toList());
		assertEquals("0f".repeat(32), again.get("inc").fingerprint(), "the pinned certificate is kept");
		assertEquals(Path.of("/tmp/s.sock"), again.get("a1").socket());
		BerthException taken = assertThrows(BerthException.class,
				() -> again.add(Remote.of("h2", "ssh://elsewhere")));
		assertTrue(taken.getMessage().contains("there is a remote \"h2\" already (ssh://root@host2)"),
				taken.getMessage());
		assertEquals("h2", again.remove("h2").name());
		BerthException none = assertThrows(BerthException.class, () -> again.get("h2"));
		assertEquals("there is no remote \"h2\" (there are a1, inc)", none.getMessage());
		assertThrows(BerthException.class, () -> again.remove("h2"));
		assertEquals(List.of("a1", "inc"), again.list().stream().map(Remote::name).toList());
	}

	@Test
	void aFileThatIsNotRemotesIsNeverOverwritten() throws Exception {
		Path file = dir.resolve("remotes.json");
		for (String text : List.of("{", "[]", "{\"remotes\":{}}", "{\"remotes\":[{\"name\":\"h2\"}]}",
				"{\"remotes\":[{\"name\":\"h2\",\"url\":\"ftp://x\"}]}",
				"{\"remotes\":[{\"name\":\"h2\",\"url\":\"ssh://a\"},{\"name\":\"h2\",\"url\":\"ssh://b\"}]}")) {
			Files.writeString(file, text);
			Remotes remotes = new Remotes(file);
			BerthException e = assertThrows(BerthException.class, () -> remotes.add(Remote.of("n", "ssh://n")));
			assertTrue(e.getMessage().startsWith(file + " is not a list of remotes ("), e.getMessage());
			assertTrue(e.getMessage().endsWith("fix or move it, Berth does not change it"), e.getMessage());
			assertEquals(text, Files.readString(file), "left as it was");
		}
		Files.writeString(file, "\n");
		assertEquals(List.of(), new Remotes(file).list(), "an empty file is no remotes");
	}
}
