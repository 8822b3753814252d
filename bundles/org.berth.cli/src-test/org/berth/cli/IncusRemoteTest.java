package org.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.berth.core.testing.IncusHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * An Incus server as a remote of the command line, against a real incusd of the test's own ({@link IncusHost}): the
 * first contact (the certificate shown, then pinned; the client certificate made and enrolled with a trust token),
 * then {@code --remote NAME} and {@code NAME:instance} for list, create, start, exec, stop and destroy. The remotes
 * file is the test's ({@code berth.remotes}).
 */
class IncusRemoteTest {

	private static IncusHost incus;

	@TempDir
	Path home;

	private final Cli cli = new Cli(() -> {
		throw new AssertionError("a remote's command opens no local engine");
	});

	@BeforeAll
	static void up() throws Exception {
		assumeTrue(IncusHost.available(), "needs root and Incus (releng/setup-incus)");
		incus = new IncusHost();
	}

	@AfterAll
	static void down() throws Exception {
		if (incus != null) {
			incus.close();
		}
	}

	private InputStream stdin;

	@BeforeEach
	void remotes() {
		System.setProperty("berth.remotes", home.resolve("berth/remotes.json").toString());
		// berth exec sends this process's input to the command: not surefire's channel to its JVM
		stdin = System.in;
		System.setIn(new ByteArrayInputStream(new byte[0]));
	}

	@AfterEach
	void forget() {
		System.clearProperty("berth.remotes");
		System.setIn(stdin);
	}

	@Test
	void anIncusServerOverHttpsIsPinnedEnrolledAndThenUsedLikeAnyHost() throws Exception {
		String address = incus.address();
		Cli.Result unconfirmed = cli.run("remote", "add", "inc1", address);
		assertEquals(1, unconfirmed.code(), unconfirmed::toString);
		assertTrue(unconfirmed.err().matches("(?s)berth: the certificate of " + address + " has the SHA-256"
				+ " fingerprint ([0-9A-F]{2}:){31}[0-9A-F]{2}; compare it with `incus info` on the server, then add"
				+ " --accept-certificate \\(nothing was saved\\)\n"), unconfirmed.err());

		Cli.Result untrusted = cli.run("remote", "add", "inc1", address, "--accept-certificate");
		assertEquals(1, untrusted.code(), untrusted::toString);
		assertTrue(untrusted.err().contains("incus config trust add NAME"), untrusted.err());
		assertTrue(untrusted.err().contains("nothing was saved"), untrusted.err());
		assertEquals("", cli.run("remote", "list", "--json").out().replaceAll("\\s", "").replace("[]", ""));

		String token = incus.trustToken("berth-cli-test");
		Cli.Result added = cli.run("remote", "add", "inc1", address, "--token", token, "--accept-certificate");
		assertEquals(0, added.code(), added::toString);
		assertTrue(added.out().matches("added inc1 \\(" + address + "\\); Incus \\S+ answers with 0 instances\n"),
				added.out());
		assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
				home.resolve("berth/client.key"))), "the client's key is the user's alone");
		JsonObject saved = JsonParser.parseString(cli.run("remote", "list", "--json").out()).getAsJsonArray().get(0)
				.getAsJsonObject();
		assertEquals("incus", saved.get("kind").getAsString());
		assertEquals(64, saved.get("fingerprint").getAsString().length());

		Cli.Result created = cli.run("create", "inc1:i1", "--start");
		assertEquals(0, created.code(), created::toString);
		Cli.Result listed = cli.run("--remote", "inc1", "list", "--json");
		assertEquals(0, listed.code(), listed::toString);
		JsonArray instances = JsonParser.parseString(listed.out()).getAsJsonArray();
		assertEquals(1, instances.size(), listed.out());
		assertEquals("i1", instances.get(0).getAsJsonObject().get("name").getAsString());
		assertEquals("running", instances.get(0).getAsJsonObject().get("state").getAsString());
		Cli.Result ok = cli.run("exec", "inc1:i1", "--", "echo", "ok");
		assertEquals(0, ok.code(), ok::toString);
		assertEquals("ok\n", ok.out());
		Cli.Result three = cli.run("exec", "inc1:i1", "--", "sh", "-c", "exit 3");
		assertEquals(3, three.code(), three::toString);
		Cli.Result stopped = cli.run("stop", "inc1:i1", "--timeout", "5");
		assertEquals(0, stopped.code(), stopped::toString);
		Cli.Result destroyed = cli.run("destroy", "inc1:i1");
		assertEquals(0, destroyed.code(), destroyed::toString);
		assertEquals("[]", cli.run("--remote", "inc1", "list", "--json").out().strip());

		// another certificate at that address later: refused, nothing sent
		Path file = home.resolve("berth/remotes.json");
		String pinned = saved.get("fingerprint").getAsString();
		Files.writeString(file, Files.readString(file).replace(pinned, "0".repeat(64)));
		Cli.Result mismatch = cli.run("--remote", "inc1", "list");
		assertEquals(1, mismatch.code(), mismatch::toString);
		assertTrue(mismatch.err().contains("not the pinned"), mismatch.err());
	}

	@Test
	void aLocalIncusIsItsUnixSocket() throws Exception {
		Cli.Result added = cli.run("remote", "add", "local-incus", "unix://" + incus.socket());
		assertEquals(0, added.code(), added::toString);
		assertTrue(added.out().startsWith("added local-incus (unix://" + incus.socket() + "); Incus "), added.out());
		Cli.Result listed = cli.run("--remote", "local-incus", "list");
		assertEquals(0, listed.code(), listed::toString);
		assertFalse(Files.exists(home.resolve("berth/client.key")), "no certificate for a socket");
	}
}
