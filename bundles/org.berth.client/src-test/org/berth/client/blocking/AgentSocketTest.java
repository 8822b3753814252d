package org.berth.client.blocking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The blocking client's reading of HTTP responses and WebSocket frames, on bytes as a server would send them. */
class AgentSocketTest {

	/** A channel that hands out at most {@code step} bytes a read, as a socket may. */
	private static ReadableByteChannel bytes(String text, int step) {
		return bytes(text.getBytes(StandardCharsets.ISO_8859_1), step);
	}

	private static ReadableByteChannel bytes(byte[] data, int step) {
		ReadableByteChannel all = Channels.newChannel(new ByteArrayInputStream(data));
		return new ReadableByteChannel() {
			@Override
			public int read(ByteBuffer dst) throws IOException {
				ByteBuffer part = ByteBuffer.allocate(Math.min(step, dst.remaining()));
				int n = all.read(part);
				part.flip();
				dst.put(part);
				return n;
			}

			@Override
			public boolean isOpen() {
				return true;
			}

			@Override
			public void close() {
			}
		};
	}

	@Test
	void aBodyIsReadByItsLengthByChunksOrToTheEnd() throws IOException {
		for (int step : new int[]{1, 3, 1 << 16}) {
			AgentSocket.Response r = AgentSocket.readResponse(bytes("HTTP/1.1 200 OK\r\nContent-Type: application/json"
					+ "\r\ncontent-length: 7\r\n\r\n[1,2,3]left over", step));
			assertEquals(200, r.status());
			assertEquals("application/json", r.headers().get("content-type"), "names in lower case");
			assertEquals("[1,2,3]", r.text(), "no more than the length says");
			r = AgentSocket.readResponse(bytes("HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n"
					+ "4;ext=1\r\n{\"er\r\nA\r\nror\":\"no\"}\r\n0\r\nX-Trailer: t\r\n\r\n", step));
			assertEquals(404, r.status());
			assertEquals("{\"error\":\"no\"}", r.text(), "chunks joined, extensions and trailers skipped");
			r = AgentSocket.readResponse(bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\r\n\r\nto the end", step));
			assertEquals(200, r.status(), "an interim answer is skipped");
			assertEquals("to the end", r.text());
		}
	}

	@Test
	void whatIsNotHttpIsAnErrorThatSaysSo() {
		assertTrue(assertThrows(IOException.class, () -> AgentSocket.readResponse(bytes("SSH-2.0-OpenSSH\r\n\r\n", 8)))
				.getMessage().contains("does not start with an HTTP status line"));
		assertTrue(assertThrows(IOException.class, () -> AgentSocket.readResponse(bytes(
				"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n", 8))).getMessage()
				.contains("this client takes"));
		assertTrue(assertThrows(IOException.class, () -> AgentSocket.readResponse(bytes(
				"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", 8))).getMessage()
				.contains("5 bytes before the end"));
		assertTrue(assertThrows(IOException.class, () -> AgentSocket.readResponse(bytes(
				"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n", 8))).getMessage()
				.contains("longer than its size says"));
		assertTrue(assertThrows(IOException.class, () -> AgentSocket.readResponse(bytes(
				"HTTP/1.1 200 OK\r\nX: " + "y".repeat(AgentSocket.MAX_HEAD_LINE) + "\r\n\r\n", 1 << 16))).getMessage()
				.contains("header line longer than"));
		assertTrue(assertThrows(IOException.class, () -> AgentSocket.readResponse(bytes("HTTP/1.1 200 OK\r\nX: 1", 8)))
				.getMessage().contains("closed the connection"));
	}

	@Test
	void theUpgradesAcceptIsRfc6455s() {
		// the example of RFC 6455, section 1.3
		assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", AgentSocket.accept("dGhlIHNhbXBsZSBub25jZQ=="));
	}

	/** A server's frame: unmasked, final unless said. */
	private static byte[] serverFrame(int firstByte, byte[] payload) {
		ByteBuffer b = ByteBuffer.allocate(payload.length + 10);
		b.put((byte) firstByte);
		if (payload.length < 126) {
			b.put((byte) payload.length);
		} else if (payload.length < 65536) {
			b.put((byte) 126).putShort((short) payload.length);
		} else {
			b.put((byte) 127).putLong(payload.length);
		}
		b.put(payload);
		byte[] out = new byte[b.position()];
		b.flip().get(out);
		return out;
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] p : parts) {
			out.writeBytes(p);
		}
		return out.toByteArray();
	}

	/** Unmasks a client frame of {@code sent} and gives back its opcode byte and payload. */
	private static byte[] unmask(byte[] frame, int[] firstByte) {
		firstByte[0] = frame[0] & 0xff;
		assertTrue((frame[1] & 0x80) != 0, "a client's frames are masked");
		int len = frame[1] & 0x7f;
		int at = 2;
		if (len == 126) {
			len = ((frame[2] & 0xff) << 8) | (frame[3] & 0xff);
			at = 4;
		} else if (len == 127) {
			len = (int) ByteBuffer.wrap(frame, 2, 8).getLong();
			at = 10;
		}
		byte[] key = {frame[at], frame[at + 1], frame[at + 2], frame[at + 3]};
		byte[] payload = new byte[len];
		for (int i = 0; i < len; i++) {
			payload[i] = (byte) (frame[at + 4 + i] ^ key[i & 3]);
		}
		return payload;
	}

	@Test
	void framesComeAsTheyArriveWithTheirMessagesTypeAndPingsAndCloseAreAnswered() throws IOException {
		byte[] big = new byte[70_000];
		big[0] = 2;
		big[69_999] = 9;
		byte[] wire = concat(serverFrame(0x81, "{\"type\":\"open\"}".getBytes(StandardCharsets.UTF_8)),
				serverFrame(0x02, new byte[]{1, 'a', 'b'}), // binary, not final
				serverFrame(0x89, new byte[]{7}), // a ping between the fragments
				serverFrame(0x80, new byte[]{'c'}), // its continuation, final
				serverFrame(0x82, new byte[300]), serverFrame(0x82, big),
				serverFrame(0x88, new byte[]{0x03, (byte) 0xe8, 'b', 'y', 'e'}));
		ByteArrayOutputStream sent = new ByteArrayOutputStream();
		WebSocket ws = new WebSocket(new ByteReader(bytes(wire, 5)), Channels.newChannel(sent));
		WebSocket.Frame f = ws.next();
		assertEquals(WebSocket.TEXT, f.opcode());
		assertTrue(f.first() && f.fin());
		f = ws.next();
		assertEquals(WebSocket.BINARY, f.opcode());
		assertTrue(f.first());
		assertFalse(f.fin());
		assertArrayEquals(new byte[]{1, 'a', 'b'}, f.payload());
		f = ws.next();
		assertEquals(WebSocket.BINARY, f.opcode(), "a continuation carries its message's type");
		assertFalse(f.first());
		assertTrue(f.fin());
		assertArrayEquals(new byte[]{'c'}, f.payload());
		assertEquals(300, ws.next().payload().length, "a 16-bit length");
		assertArrayEquals(big, ws.next().payload(), "a 64-bit length");
		assertNull(ws.next(), "the agent's close ends the stream");
		WebSocket hungUp = new WebSocket(new ByteReader(bytes(serverFrame(0x82, new byte[]{1}), 5)),
				Channels.newChannel(new ByteArrayOutputStream()));
		assertArrayEquals(new byte[]{1}, hungUp.next().payload());
		assertNull(hungUp.next(), "a connection that ends between two frames ends the stream too");
		byte[] out = sent.toByteArray();
		int[] op = new int[1];
		assertArrayEquals(new byte[]{7}, unmask(out, op), "the ping's payload back");
		assertEquals(0x8a, op[0], "as a final pong");
		byte[] close = java.util.Arrays.copyOfRange(out, 2 + 4 + 1, out.length);
		assertArrayEquals(new byte[]{0x03, (byte) 0xe8}, unmask(close, op), "the close's code back");
		assertEquals(0x88, op[0]);
		assertThrows(IOException.class, () -> ws.sendText("after the close"));
	}

	@Test
	void aServerThatBreaksTheProtocolIsAnError() {
		for (byte[] wire : new byte[][]{
				{(byte) 0x81, (byte) 0x81, 1, 2, 3, 4, 'x'}, // masked by the server
				{(byte) 0xC1, 1, 'x'}, // a reserved bit without an extension
				{(byte) 0x80, 1, 'x'}, // a continuation without a message
				{(byte) 0x83, 0}, // an unknown opcode
				{0x01, 1, 'x', (byte) 0x81, 1, 'y'}, // a new message before the last ended
				{(byte) 0x82, 127, 0, 0, 0, 0x7f, 0, 0, 0, 0}, // far over the limit
				{(byte) 0x82, 5, 'x'}}) { // the connection ends inside a frame
			WebSocket ws = new WebSocket(new ByteReader(bytes(wire, 64)),
					Channels.newChannel(new ByteArrayOutputStream()));
			assertThrows(IOException.class, () -> {
				while (ws.next() != null) {
					// read on to the error
				}
			}, java.util.HexFormat.of().formatHex(wire));
		}
	}

	@Test
	void aClientsFrameIsMaskedAndCarriesItsLength() {
		for (int n : new int[]{0, 125, 126, 65535, 65536}) {
			byte[] payload = new byte[n];
			for (int i = 0; i < n; i++) {
				payload[i] = (byte) (i * 31);
			}
			byte[] frame = WebSocket.frame(WebSocket.BINARY, concat(new byte[]{9, 9}, payload), 2, n, 0x12345678);
			int[] op = new int[1];
			assertArrayEquals(payload, unmask(frame, op), "length " + n);
			assertEquals(0x82, op[0]);
		}
	}
}
