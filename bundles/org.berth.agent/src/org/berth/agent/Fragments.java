package org.berth.agent;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * A WebSocket message put together from its fragments, for one connection's frames (they come one at a time): a
 * client may send a message in pieces (Jetty's own does, in frames of its output buffer's size), and a continuation
 * frame belongs to the message its first frame began. Text messages are collected as bytes and decoded whole.
 */
final class Fragments {

	/** The longest text message kept; beyond it the rest is dropped (the message then fails to parse). */
	static final int MAX_TEXT = 1 << 20;

	private byte messageOpCode;
	private final ByteArrayOutputStream text = new ByteArrayOutputStream();

	/** The opcode of the message {@code frame} belongs to: its own, or a continuation's first frame's. */
	byte opCode(Frame frame) {
		if (frame.getOpCode() != OpCode.CONTINUATION) {
			messageOpCode = frame.getOpCode();
		}
		return messageOpCode;
	}

	/** A frame of a text message: the whole message when this frame ends it, else null (kept for the next). */
	String text(Frame frame) {
		ByteBuffer b = frame.getPayload();
		if (text.size() + b.remaining() <= MAX_TEXT) {
			byte[] bytes = new byte[b.remaining()];
			b.get(bytes);
			text.writeBytes(bytes);
		}
		if (!frame.isFin()) {
			return null;
		}
		String whole = text.toString(StandardCharsets.UTF_8);
		text.reset();
		return whole;
	}
}
