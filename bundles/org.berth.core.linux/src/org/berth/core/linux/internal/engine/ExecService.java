package org.berth.core.linux.internal.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Runs a command through the container's monitor, which listens on {@code RUN_DIR/exec.sock}: it forks and its
 * child does what {@code berth-helper exec} does, so no helper process is started per command (the helper's
 * PROTOCOL.md, "Exec service"). Monitors that cannot serve (one that joined another container's pid, time or
 * user namespace, or one of an older Berth) have no socket; the caller then starts the helper.
 */
final class ExecService {

	static final String SOCKET = "exec.sock";

	private ExecService() {
	}

	/**
	 * @param execArgs the arguments of {@code berth-helper exec} (after the word {@code exec})
	 * @param out      an existing file for the command's stdout (truncated), {@code err} likewise
	 * @return the exit code (128 + the signal that ended it); empty when this monitor has no exec service or does
	 *         not answer a connection, so that the caller runs the helper instead
	 * @throws IOException when the monitor refused the request or went away while the command ran
	 */
	static OptionalInt run(Path runDir, List<String> execArgs, Path out, Path err) throws IOException {
		Path socket = runDir.resolve(SOCKET);
		if (!Files.exists(socket)) {
			return OptionalInt.empty();
		}
		SocketChannel channel;
		try {
			channel = SocketChannel.open(StandardProtocolFamily.UNIX);
			channel.connect(UnixDomainSocketAddress.of(socket));
		} catch (IOException e) {
			return OptionalInt.empty(); // a monitor that is ending; the helper says what is wrong
		}
		try (channel) {
			channel.write(ByteBuffer.wrap(request(execArgs, out, err)));
			String answer = readLine(channel);
			if (answer == null) {
				throw new IOException("the container ended while the command ran");
			}
			if (answer.startsWith("EXIT ")) {
				return OptionalInt.of(Integer.parseInt(answer.substring(5).trim()));
			}
			if (answer.startsWith("ERROR ")) {
				throw new IOException(answer.substring(6).trim());
			}
			throw new IOException("the container's monitor answered \"" + answer + "\", which this Berth does not"
					+ " know");
		} catch (NumberFormatException e) {
			throw new IOException("the container's monitor sent an exit code that is not a number", e);
		}
	}

	/** {@code EXEC <length>\n}, then NUL-terminated fields: stdout file, stderr file, the exec arguments. */
	static byte[] request(List<String> execArgs, Path out, Path err) {
		ByteArrayOutputStream fields = new ByteArrayOutputStream();
		List<String> all = new ArrayList<>();
		all.add(out.toString());
		all.add(err.toString());
		all.addAll(execArgs);
		for (String field : all) {
			if (field.indexOf('\0') >= 0) {
				throw new IllegalArgumentException("an argument contains a NUL character: " + field.replace('\0', '?'));
			}
			fields.writeBytes(field.getBytes(StandardCharsets.UTF_8));
			fields.write(0);
		}
		ByteArrayOutputStream request = new ByteArrayOutputStream();
		request.writeBytes(("EXEC " + fields.size() + "\n").getBytes(StandardCharsets.US_ASCII));
		request.writeBytes(fields.toByteArray());
		return request.toByteArray();
	}

	/** One line of the answer, or null at end of stream. */
	private static String readLine(SocketChannel channel) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		ByteBuffer one = ByteBuffer.allocate(1);
		while (true) {
			one.clear();
			if (channel.read(one) < 0) {
				return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
			}
			byte b = one.get(0);
			if (b == '\n') {
				return line.toString(StandardCharsets.UTF_8);
			}
			line.write(b);
		}
	}
}
