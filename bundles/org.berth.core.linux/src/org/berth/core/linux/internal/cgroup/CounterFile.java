package org.berth.core.linux.internal.cgroup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A counter file kept open and read again from offset 0 with one {@code pread(2)} per reading: kernel files
 * ({@code cgroupfs}, {@code procfs}) produce fresh content for every read at offset 0, and an open, read, close of
 * the same file through {@link Files} costs about ten times as much (16–33 µs against 2 µs per file, measured on the
 * test VMs). The parsers work on the bytes, so a reading makes no garbage. Not thread-safe: one reader (the
 * sampler's thread) per file, and the buffer is shared by the files of one {@link Buffer}.
 */
public final class CounterFile implements AutoCloseable {

	/** A reusable read buffer for the files of one reader. */
	public static final class Buffer {
		final ByteBuffer bytes;

		/** Holds the largest file read with it: 4 KiB are plenty for a cgroup counter file. */
		public Buffer(int capacity) {
			bytes = ByteBuffer.allocateDirect(capacity);
		}

		public Buffer() {
			this(16 * 1024);
		}
	}

	private final Path path;
	private final FileChannel channel;
	private final ByteBuffer buf;

	private CounterFile(Path path, FileChannel channel, Buffer buffer) {
		this.path = path;
		this.channel = channel;
		this.buf = buffer.bytes;
	}

	/** Opens {@code path} for reading; {@link NoSuchFileException} when it does not exist. */
	public static CounterFile open(Path path, Buffer buffer) throws IOException {
		return new CounterFile(path, FileChannel.open(path, StandardOpenOption.READ), buffer);
	}

	/** Opens {@code path} when it exists; null when it does not (a controller or file this host lacks). */
	public static CounterFile openIfExists(Path path, Buffer buffer) throws IOException {
		try {
			return open(path, buffer);
		} catch (NoSuchFileException e) {
			return null;
		}
	}

	public Path path() {
		return path;
	}

	/**
	 * Below this many bytes, one read from offset 0 returned the whole file, and no second read is made to see its
	 * end. A kernel file made by a {@code seq_file} (cgroupfs, {@code /proc/PID/net/dev}) fills one read with records
	 * until its page-sized buffer (4 KiB at least) would overflow, so a read returns less than that only when no
	 * record is left; half a page leaves room for the longest record of these files. A regular file (the tests'
	 * fixtures) returns what was asked while there is more. The read that only found the end cost 1.5–2 µs per file;
	 * without it a sweep of 200 containers takes about a third less CPU ({@code bench/sampler/run 200}: 30–38 µs per
	 * container against 47–73 µs, three rounds each, on the test VM).
	 */
	static final int WHOLE_BELOW = 2048;

	/** Reads the whole file into the buffer from its start; the buffer is then flipped (position 0, limit = size). */
	private ByteBuffer load() throws IOException {
		buf.clear();
		int first = channel.read(buf, 0);
		if (first >= 0 && first < WHOLE_BELOW && buf.hasRemaining()) {
			buf.flip();
			return buf;
		}
		long pos = Math.max(first, 0);
		while (first > 0 && buf.hasRemaining()) {
			int n = channel.read(buf, pos);
			if (n <= 0) {
				break;
			}
			pos += n;
		}
		if (!buf.hasRemaining()) {
			throw new IOException(path + " is larger than the " + buf.capacity() + " bytes its reader expects");
		}
		buf.flip();
		return buf;
	}

	/** A file that holds one number ({@code memory.current}, {@code cpuacct.usage}, {@code pids.current}). */
	public long single() throws IOException {
		ByteBuffer b = load();
		int i = skipSpace(b, 0);
		long v = parseLong(b, i);
		if (v == NOT_A_NUMBER) {
			throw new IOException(path + " does not hold a number: " + text(b));
		}
		return v;
	}

	/** A limit: {@code max}, a negative value or v1's huge "unlimited" give -1 (as {@link ControlFiles#limit}). */
	public long limit() throws IOException {
		ByteBuffer b = load();
		int i = skipSpace(b, 0);
		if (i + 2 < b.limit() && b.get(i) == 'm' && b.get(i + 1) == 'a' && b.get(i + 2) == 'x') {
			return -1;
		}
		long v = parseLong(b, i);
		if (v == NOT_A_NUMBER) {
			throw new IOException(path + " does not hold a limit: " + text(b));
		}
		return v < 0 || v >= ControlFiles.V1_UNLIMITED_THRESHOLD ? -1 : v;
	}

	/**
	 * The values of these keys in a flat keyed file ({@code key value} per line), in {@code into}; -1 for a key
	 * the file does not have.
	 */
	public void keyed(byte[][] keys, long[] into) throws IOException {
		ByteBuffer b = load();
		for (int k = 0; k < keys.length; k++) {
			into[k] = -1;
		}
		int line = 0;
		int end = b.limit();
		while (line < end) {
			int eol = indexOf(b, (byte) '\n', line, end);
			for (int k = 0; k < keys.length; k++) {
				byte[] key = keys[k];
				if (startsWith(b, line, eol, key) && line + key.length < eol && isSpace(b.get(line + key.length))) {
					long v = parseLong(b, skipSpace(b, line + key.length));
					into[k] = v == NOT_A_NUMBER ? -1 : v;
					break;
				}
			}
			line = eol + 1;
		}
	}

	/**
	 * Sums the numbers after each {@code prefix} in the file: {@code rbytes=} of v2 {@code io.stat}, or, with
	 * a word prefix such as {@code " Read "}, v1 blkio's per-device lines.
	 */
	public long sumAfter(byte[] prefix) throws IOException {
		return sumAfter(load(), prefix);
	}

	/** {@link #sumAfter(byte[])} of two prefixes from one reading, in {@code into[0]} and {@code into[1]}. */
	public void sumsAfter(byte[] first, byte[] second, long[] into) throws IOException {
		ByteBuffer b = load();
		into[0] = sumAfter(b, first);
		into[1] = sumAfter(b, second);
	}

	private static long sumAfter(ByteBuffer b, byte[] prefix) {
		long sum = 0;
		int end = b.limit();
		for (int i = 0; i + prefix.length <= end; i++) {
			if (startsWith(b, i, end, prefix)) {
				long v = parseLong(b, i + prefix.length);
				if (v != NOT_A_NUMBER) {
					sum += v;
				}
				i += prefix.length - 1;
			}
		}
		return sum;
	}

	/**
	 * {@code /proc/PID/net/dev}: received and transmitted bytes summed over every interface but {@code lo}, in
	 * {@code into[0]} and {@code into[1]} (as {@code NetDev.totalExcludingLoopback}).
	 */
	public void netDevTotals(long[] into) throws IOException {
		ByteBuffer b = load();
		long rx = 0;
		long tx = 0;
		int line = 0;
		int end = b.limit();
		while (line < end) {
			int eol = indexOf(b, (byte) '\n', line, end);
			int colon = indexOf(b, (byte) ':', line, eol);
			if (colon < eol && indexOf(b, (byte) '|', line, eol) == eol) {
				int name = skipSpace(b, line);
				boolean loopback = colon - name == 2 && b.get(name) == 'l' && b.get(name + 1) == 'o';
				if (!loopback) {
					int i = colon + 1;
					for (int column = 0; column <= 8; column++) {
						i = skipSpace(b, i);
						long v = parseLong(b, i);
						if (v == NOT_A_NUMBER) {
							throw new IOException("bad /proc/net/dev line in " + path);
						}
						if (column == 0) {
							rx += v;
						} else if (column == 8) {
							tx += v;
						}
						while (i < eol && !isSpace(b.get(i))) {
							i++;
						}
					}
				}
			}
			line = eol + 1;
		}
		into[0] = rx;
		into[1] = tx;
	}

	@Override
	public void close() {
		try {
			channel.close();
		} catch (IOException e) {
			// a read-only file: nothing was written that could be lost
		}
	}

	private static final long NOT_A_NUMBER = Long.MIN_VALUE;

	/** The decimal number at {@code i} (an optional '-'), or {@link #NOT_A_NUMBER}. */
	static long parseLong(ByteBuffer b, int i) {
		int end = b.limit();
		boolean negative = i < end && b.get(i) == '-';
		if (negative) {
			i++;
		}
		int start = i;
		long v = 0;
		while (i < end) {
			int d = b.get(i) - '0';
			if (d < 0 || d > 9) {
				break;
			}
			v = v * 10 + d;
			i++;
		}
		if (i == start) {
			return NOT_A_NUMBER;
		}
		return negative ? -v : v;
	}

	private static boolean isSpace(byte c) {
		return c == ' ' || c == '\t' || c == '\n';
	}

	private static int skipSpace(ByteBuffer b, int i) {
		while (i < b.limit() && isSpace(b.get(i))) {
			i++;
		}
		return i;
	}

	private static int indexOf(ByteBuffer b, byte c, int from, int end) {
		for (int i = from; i < end; i++) {
			if (b.get(i) == c) {
				return i;
			}
		}
		return end;
	}

	private static boolean startsWith(ByteBuffer b, int at, int end, byte[] prefix) {
		if (at + prefix.length > end) {
			return false;
		}
		for (int j = 0; j < prefix.length; j++) {
			if (b.get(at + j) != prefix[j]) {
				return false;
			}
		}
		return true;
	}

	private static String text(ByteBuffer b) {
		byte[] bytes = new byte[Math.min(b.limit(), 64)];
		b.get(0, bytes);
		return "\"" + new String(bytes, StandardCharsets.UTF_8).strip() + "\"";
	}

	/** Keys as bytes, for {@link #keyed}. */
	public static byte[][] keys(String... names) {
		byte[][] keys = new byte[names.length][];
		for (int i = 0; i < names.length; i++) {
			keys[i] = names[i].getBytes(StandardCharsets.US_ASCII);
		}
		return keys;
	}
}
