package org.berth.core.incus.internal;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.berth.core.incus.IncusEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

/**
 * The Incus engine against a server that, like incusd's Unix listener, reads the first bytes of each connection
 * before it accepts the next: bursts of parallel requests all get their answers, and no connection that sent
 * nothing is kept open after a burst (the server would wait for it and accept nobody else). With Jetty's own pool (a
 * spare connection, unused ones kept open) a burst waited for the client's idle timeout.
 */
class UnixSocketPoolTest {

	@Test
	void requestsNeverWaitForAConnectionThatSentNothing(@TempDir Path dir) throws Exception {
		Path socket = dir.resolve("unix.socket");
		try (PeekingServer server = new PeekingServer(socket)) {
			RestEngine engine = RestEngine.connect(IncusEndpoint.unix(socket));
			try {
				// bursts that grow by two: each needs new connections while answers of the same burst arrive, which
				// is when Jetty's own pool kept a connection that had nothing to send, and the next burst's new
				// connections were never accepted
				for (int round = 0; round < 20; round++) {
					List<CompletableFuture<JsonObject>> burst = new ArrayList<>();
					for (int i = 0; i < 1 + 2 * round; i++) {
						burst.add(engine.call("test", null, "GET", "/1.0/ping/" + round + "/" + i, null));
						java.util.concurrent.locks.LockSupport.parkNanos(20_000);
					}
					CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
					long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
					while (server.waitingFor != null && System.nanoTime() < deadline) {
						Thread.onSpinWait();
					}
					assertNull(server.waitingFor, "after burst " + round + " a connection that sent nothing is kept"
							+ " open: incusd would accept nobody else");
				}
			} finally {
				engine.close();
			}
			assertTrue(server.answered.get() >= 400, "answers: " + server.answered.get());
		}
	}

	/**
	 * A Unix socket HTTP/1.1 server with incusd's accept loop: it reads a connection's first bytes before it accepts
	 * another one; each connection is then served (keep-alive) on a thread of its own, every answer after 0–0.4 ms.
	 */
	private static final class PeekingServer implements AutoCloseable {
		final AtomicInteger answered = new AtomicInteger();
		/** Connections that ended without a byte (closed as unused). */
		final AtomicInteger silent = new AtomicInteger();
		/** The connection accepted whose first bytes the server waits for; null while it waits to accept. */
		volatile SocketChannel waitingFor;
		private final ServerSocketChannel listener;
		private final ExecutorService threads = Executors.newCachedThreadPool(r -> Thread.ofPlatform().daemon()
				.unstarted(r));

		PeekingServer(Path socket) throws IOException {
			listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
			listener.bind(UnixDomainSocketAddress.of(socket));
			threads.execute(this::acceptLoop);
		}

		private void acceptLoop() {
			try {
				while (true) {
					SocketChannel c = listener.accept();
					ByteBuffer first = ByteBuffer.allocate(8192);
					waitingFor = c;
					int n = c.read(first); // blocks, like incusd's peek, until the client sends or closes
					waitingFor = null;
					if (n <= 0) {
						silent.incrementAndGet();
						c.close();
						continue;
					}
					threads.execute(() -> serve(c, first));
				}
			} catch (IOException e) {
				// closed
			}
		}

		private void serve(SocketChannel c, ByteBuffer in) {
			try (c) {
				StringBuilder pending = new StringBuilder();
				while (true) {
					in.flip();
					pending.append(StandardCharsets.ISO_8859_1.decode(in));
					in.clear();
					int end;
					while ((end = pending.indexOf("\r\n\r\n")) >= 0) {
						String head = pending.substring(0, end);
						pending.delete(0, end + 4);
						java.util.concurrent.locks.LockSupport.parkNanos(answered.get() % 5 * 100_000L);
						String body = head.startsWith("GET /1.0 ") ? "{\"metadata\":{\"auth\":\"trusted\"}}"
								: head.contains("/instances") || head.contains("/aliases") ? "{\"metadata\":[]}"
										: "{\"metadata\":{}}";
						byte[] b = body.getBytes(StandardCharsets.UTF_8);
						c.write(ByteBuffer.wrap(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
								+ b.length + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1)));
						answered.incrementAndGet();
					}
					if (c.read(in) < 0) {
						return;
					}
				}
			} catch (IOException e) {
				// the client went away
			}
		}

		@Override
		public void close() throws IOException {
			listener.close();
			threads.shutdownNow();
		}
	}
}
