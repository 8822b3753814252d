package org.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.berth.core.AgentChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which command lines take the quick path, and that it leaves the rest to the full one untouched (the agent's answers
 * on the quick path are checked against a real agent in AgentTest).
 */
class QuickPathTest {

	@Test
	void onlyAPlainExecIsQuick() {
		assertEquals(List.of("true"), QuickPath.execCommand(new String[]{"exec", "c1", "--", "true"}));
		assertEquals(List.of("sh", "-c", "x"), QuickPath.execCommand(new String[]{"exec", "c1", "sh", "-c", "x"}));
		assertEquals(List.of("--"), QuickPath.execCommand(new String[]{"exec", "c1", "--", "--"}),
				"only the first -- is the separator, as ExecCommand reads it");
		assertNull(QuickPath.execCommand(new String[]{"exec", "-e", "A=1", "c1", "--", "true"}), "options");
		assertNull(QuickPath.execCommand(new String[]{"exec", "--help"}));
		assertNull(QuickPath.execCommand(new String[]{"exec", "lab:c1", "--", "true"}), "a remote's container");
		assertNull(QuickPath.execCommand(new String[]{"exec", "c1", "--"}), "no command: the usage error");
		assertNull(QuickPath.execCommand(new String[]{"exec", "c1"}));
		assertNull(QuickPath.execCommand(new String[]{"attach", "c1", "--", "sh"}));
	}

	@Test
	void everythingElseGoesTheFullWayWithNothingWrittenOrRead(@TempDir Path dir) {
		AgentChoice agent = new AgentChoice(true, dir.resolve("no-agent.sock"), false);
		AgentChoice local = new AgentChoice(false, dir.resolve("no-agent.sock"), false);
		List<String[]> lines = List.of(new String[]{"list"}, new String[]{"ls", "--json"},
				new String[]{"exec", "c1", "--", "true"});
		for (String[] args : lines) {
			// no agent answers: the full path says so in its words, or starts one for root
			assertFull(args, agent, Map.of());
			assertFull(args, local, Map.of()); // the engine in this process
			assertFull(args, agent, Map.of("BERTH_QUICK", "0"));
		}
		assertFull(new String[]{"list", "--tag", "web"}, agent, Map.of());
		assertFull(new String[]{"list", "--json", "--json"}, agent, Map.of());
		assertFull(new String[]{"--remote", "lab", "list"}, agent, Map.of());
		assertFull(new String[]{"start", "c1"}, agent, Map.of());
		assertFull(new String[]{}, agent, Map.of());
	}

	/**
	 * Once the agent said the command runs, a broken stream is a failure with a sentence, never a reason to run the
	 * command again the full way. The "agent" here is a socket of the test's that opens the stream and hangs up.
	 */
	@Test
	void aStreamThatBreaksAfterTheCommandStartedIsAFailureNotASecondRun(@TempDir Path dir) throws Exception {
		Path socket = dir.resolve("agent.sock");
		try (java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel
				.open(java.net.StandardProtocolFamily.UNIX)) {
			server.bind(java.net.UnixDomainSocketAddress.of(socket));
			Thread agent = Thread.ofPlatform().start(() -> {
				try (java.nio.channels.SocketChannel c = server.accept()) {
					java.io.InputStream in = java.nio.channels.Channels.newInputStream(c);
					String head = "";
					while (!head.endsWith("\r\n\r\n")) {
						head += (char) in.read();
					}
					String key = head.lines().filter(l -> l.startsWith("Sec-WebSocket-Key: ")).findFirst()
							.orElseThrow().substring("Sec-WebSocket-Key: ".length());
					String accept = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest
							.getInstance("SHA-1").digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes()));
					byte[] open = "{\"type\":\"open\"}".getBytes();
					java.io.ByteArrayOutputStream reply = new java.io.ByteArrayOutputStream();
					c.write(java.nio.ByteBuffer.wrap(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
							+ "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes()));
					in.read(); // the request's frame (a short one: its length in the second byte, then mask and payload)
					in.readNBytes((in.read() & 0x7f) + 4);
					// "open" in two fragments: a text frame without FIN, then its continuation
					reply.write(0x01);
					reply.write(5);
					reply.write(open, 0, 5);
					reply.write(0x80);
					reply.write(open.length - 5);
					reply.write(open, 5, open.length - 5);
					reply.writeBytes(new byte[]{(byte) 0x82, 4, 1, 'o', 'u', 't'}); // stdout "out", then it hangs up
					c.write(java.nio.ByteBuffer.wrap(reply.toByteArray()));
				} catch (Exception e) {
					throw new IllegalStateException(e);
				}
			});
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			ByteArrayOutputStream err = new ByteArrayOutputStream();
			int code = QuickPath.run(new String[]{"exec", "c1", "--", "true"}, new AgentChoice(true, socket, false),
					Map.of(), new ByteArrayInputStream(new byte[0]), new PrintStream(out), new PrintStream(err));
			agent.join(10_000);
			assertEquals(Context.FAILURE, code, err.toString());
			assertEquals("out", out.toString(), "what came before the break");
			assertTrue(err.toString().startsWith("berth: "), err.toString());
			assertEquals(1, err.toString().lines().count(), err.toString());
		}
	}

	/**
	 * The provider the quick path names is one the JDK accepts: a JVM of its own names it, then opens a Unix socket
	 * channel, whose provider is of that class (a name the JDK could not make would end that JVM with a
	 * ServiceConfigurationError). Also that ending the quick way still flushes what was printed, with the status.
	 */
	@Test
	void theNamedChannelProviderIsTheOneTheJdkMakes() throws Exception {
		Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
				System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
				ProviderProbe.class.getName()).redirectErrorStream(true).start();
		String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(p.waitFor(60, TimeUnit.SECONDS), output);
		assertEquals(3, p.exitValue(), output);
		assertEquals("sun.nio.ch.EPollSelectorProvider sun.nio.ch.EPollSelectorProvider", output.strip());
	}

	/** The other JVM of the test above. */
	public static final class ProviderProbe {
		public static void main(String[] args) throws Exception {
			QuickPath.nameSelectorProvider();
			try (SocketChannel c = SocketChannel
					.open(StandardProtocolFamily.UNIX)) {
				System.out.print(
						System.getProperty(QuickPath.SELECTOR_PROVIDER) + " " + c.provider().getClass().getName());
			}
			QuickPath.end(3);
		}
	}

	private static void assertFull(String[] args, AgentChoice choice, Map<String, String> env) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		ByteArrayInputStream in = new ByteArrayInputStream("input".getBytes());
		int code = QuickPath.run(args, choice, env, in, new PrintStream(out), new PrintStream(err));
		assertEquals(QuickPath.FULL_PATH, code, String.join(" ", args));
		assertEquals(0, out.size() + err.size(), "nothing printed: " + String.join(" ", args));
		assertEquals(5, in.available(), "nothing of standard input read");
	}
}
