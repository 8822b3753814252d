package org.berth.core.linux.internal.terminal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.berth.core.BerthException;
import org.berth.core.TerminalSession;

/**
 * The container's console: what its init wrote since the start (the monitor's console log, the rotated
 * {@code console.log.1} first), then what it writes while it runs. Ends when the container stops, at once (after
 * the history) for a stopped container.
 * <p>
 * While the container runs, the session attaches to its monitor's {@code console.sock} (see
 * {@code native/PROTOCOL.md}): typing then reaches the console (a login prompt or {@code askfirst} shell of its
 * init), and resizes set the console's size. The monitor serves one client at a time; a second one, a stopped
 * container, or a monitor without the socket gets the log only, read-only ({@link #isInteractive()} false).
 */
public final class ConsoleSession implements TerminalSession {

	/** How often a follower looks for new output (the log is a file on tmpfs that the monitor appends to). */
	static final long FOLLOW_MILLIS = 100;

	/** The monitor's socket for an interactive console, next to the console log. */
	static final String SOCKET = "console.sock";

	private final String title;
	private final Path log;
	private final CompletableFuture<Integer> exit = new CompletableFuture<>();
	private final InputStream output;
	private final Follower follower;
	private final SocketChannel attached;
	private volatile boolean closed;

	private ConsoleSession(TerminalTarget target, SocketChannel attached, long historyBytes, String note) {
		this.title = target.name() + " console" + note;
		this.log = target.consoleLog();
		this.attached = attached;
		if (attached == null) {
			Optional<ProcessHandle> monitor = target.monitorPid() > 0 ? ProcessHandle.of(target.monitorPid())
					: Optional.empty();
			CompletableFuture<?> stopped = monitor.map(h -> (CompletableFuture<?>) h.onExit())
					.orElse(CompletableFuture.completedFuture(null));
			this.follower = new Follower(stopped);
			this.output = follower;
		} else {
			this.follower = null;
			this.output = new Attached(historyBytes);
		}
	}

	/** Attaches to the running container's console, or opens its log read-only (see the class comment). */
	static ConsoleSession open(TerminalTarget target, int columns, int rows) throws BerthException {
		ConsoleSession readOnly = open(target);
		if (!target.isRunning()) {
			return readOnly;
		}
		Path socket = target.consoleLog().resolveSibling(SOCKET);
		if (!Files.exists(socket)) {
			return readOnly;
		}
		SocketChannel channel = null;
		try {
			channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
			String hello = readLine(channel);
			if (hello.startsWith("OK ")) {
				ConsoleSession session = new ConsoleSession(target, channel, Long.parseLong(hello.substring(3).trim()),
						"");
				session.resize(columns, rows);
				return session;
			}
			channel.close();
			return hello.equals("BUSY") ? new ConsoleSession(target, null, 0, " (read-only: someone else is attached)")
					: readOnly;
		} catch (IOException | NumberFormatException e) {
			if (channel != null) {
				try {
					channel.close();
				} catch (IOException e2) {
					e.addSuppressed(e2);
				}
			}
			return readOnly; // the container stopped meanwhile, or an older monitor: the log still tells
		}
	}

	/** One line of the monitor's greeting, read byte by byte so that nothing after it is consumed. */
	private static String readLine(SocketChannel channel) throws IOException {
		StringBuilder line = new StringBuilder();
		ByteBuffer one = ByteBuffer.allocate(1);
		while (line.length() < 64) {
			one.clear();
			if (channel.read(one) < 0) {
				break;
			}
			char c = (char) one.get(0);
			if (c == '\n') {
				break;
			}
			line.append(c);
		}
		return line.toString();
	}

	static ConsoleSession open(TerminalTarget target) throws BerthException {
		if (target.consoleLog() == null) {
			throw new BerthException("console", target.name(), "\"" + target.name() + "\" has no console log");
		}
		if (!target.isRunning() && !Files.exists(target.consoleLog())) {
			throw new BerthException("console", target.name(), "\"" + target.name() + "\" has no console log yet;"
					+ " it is written when the container starts");
		}
		return new ConsoleSession(target, null, 0, "");
	}

	@Override
	public InputStream output() {
		return output;
	}

	/** Keystrokes to the console when attached; dropped when it can only be watched. */
	@Override
	public OutputStream input() {
		return attached == null ? OutputStream.nullOutputStream() : keys;
	}

	private final OutputStream keys = new OutputStream() {
		@Override
		public void write(int b) throws IOException {
			write(new byte[]{(byte) b}, 0, 1);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			Objects.checkFromIndexSize(off, len, b.length);
			for (int done = 0; done < len;) {
				int n = Math.min(len - done, 0xffff);
				frame('D', ByteBuffer.wrap(b, off + done, n));
				done += n;
			}
		}
	};

	/** One message to the monitor: type, 16-bit length, payload. */
	private synchronized void frame(char type, ByteBuffer payload) throws IOException {
		ByteBuffer head = ByteBuffer.allocate(3);
		head.put((byte) type).putShort((short) payload.remaining()).flip();
		ByteBuffer[] both = {head, payload};
		while (head.hasRemaining() || payload.hasRemaining()) {
			attached.write(both);
		}
	}

	@Override
	public boolean isInteractive() {
		return attached != null;
	}

	/** The console's size, when attached; a watched console keeps the size its init has. */
	@Override
	public void resize(int columns, int rows) throws IOException {
		if (attached == null) {
			return;
		}
		if (columns < 1 || rows < 1 || columns > 0xffff || rows > 0xffff) {
			throw new IllegalArgumentException("a terminal size is 1 to 65535 columns and rows, not " + columns + "x"
					+ rows);
		}
		frame('W', ByteBuffer.allocate(4).putShort((short) columns).putShort((short) rows).flip());
	}

	@Override
	public CompletableFuture<Integer> onExit() {
		return exit;
	}

	@Override
	public String title() {
		return title;
	}

	/** Stops watching (or detaches); the console and the container stay as they are. */
	@Override
	public void close() {
		closed = true;
		if (follower != null) {
			follower.closeChannel();
		}
		if (attached != null) {
			try {
				attached.close();
			} catch (IOException e) {
				// detached anyway
			}
		}
		exit.complete(0);
	}

	/**
	 * The history the monitor named in its greeting ({@code console.log.1}, then the first bytes of
	 * {@code console.log}), then what the monitor copies to the socket; ends when the monitor closes it.
	 */
	private final class Attached extends InputStream {
		private final long historyBytes;
		private InputStream history;
		private InputStream live;

		Attached(long historyBytes) {
			this.historyBytes = historyBytes;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			int n = read(one, 0, 1);
			return n < 0 ? -1 : one[0] & 0xff;
		}

		@Override
		public synchronized int read(byte[] b, int off, int len) throws IOException {
			if (history == null) {
				history = history();
			}
			int n = history.read(b, off, len);
			if (n >= 0) {
				return n;
			}
			if (live == null) {
				live = Channels.newInputStream(attached);
			}
			try {
				n = closed ? -1 : live.read(b, off, len);
			} catch (ClosedChannelException e) {
				n = -1;
			}
			if (n < 0) {
				exit.complete(0);
			}
			return n;
		}

		private InputStream history() throws IOException {
			Path older = log.resolveSibling(log.getFileName() + ".1");
			InputStream first = Files.exists(older) ? Files.newInputStream(older) : InputStream.nullInputStream();
			InputStream current;
			try {
				current = new BufferedInputStream(Files.newInputStream(log));
			} catch (NoSuchFileException e) {
				current = InputStream.nullInputStream();
			}
			InputStream limited = limit(current, historyBytes);
			return new SequenceInputStream(first, limited);
		}
	}

	private static InputStream limit(InputStream in, long max) {
		return new InputStream() {
			private long left = max;

			@Override
			public int read() throws IOException {
				if (left <= 0) {
					return -1;
				}
				int b = in.read();
				if (b >= 0) {
					left--;
				}
				return b;
			}

			@Override
			public int read(byte[] b, int off, int len) throws IOException {
				if (left <= 0) {
					in.close();
					return -1;
				}
				int n = in.read(b, off, (int) Math.min(len, left));
				if (n > 0) {
					left -= n;
				}
				return n;
			}

			@Override
			public void close() throws IOException {
				in.close();
			}
		};
	}

	/**
	 * Reads {@code console.log.1} (if present) and {@code console.log}, then follows {@code console.log}: when the
	 * monitor rotates it (the file is renamed and a new one started), the rest of the old file is read first.
	 */
	private final class Follower extends InputStream {
		private final CompletableFuture<?> stopped;
		private FileChannel channel;
		private Object channelKey;
		private boolean historyDone;

		Follower(CompletableFuture<?> stopped) {
			this.stopped = stopped;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			int n = read(one, 0, 1);
			return n < 0 ? -1 : one[0] & 0xff;
		}

		@Override
		public synchronized int read(byte[] b, int off, int len) throws IOException {
			Objects.checkFromIndexSize(off, len, b.length);
			if (len == 0) {
				return 0;
			}
			if (!historyDone) {
				historyDone = true;
				Path older = log.resolveSibling(log.getFileName() + ".1");
				if (Files.exists(older)) {
					channel = FileChannel.open(older, StandardOpenOption.READ);
					channelKey = null; // read it to its end, then switch
				}
			}
			while (!closed) {
				// the end is known before the last read: nothing written after it is missed
				boolean over = stopped.isDone();
				if (channel == null || channelKey == null && channel.position() >= channel.size()) {
					switchToCurrent();
				}
				if (channel != null) {
					int n = channel.read(ByteBuffer.wrap(b, off, len));
					if (n > 0) {
						return n;
					}
					if (rotated()) {
						continue; // drained the old file; the next turn opens the new one
					}
				}
				if (over) {
					exit.complete(0);
					return -1;
				}
				try {
					stopped.get(FOLLOW_MILLIS, TimeUnit.MILLISECONDS);
				} catch (TimeoutException | ExecutionException e) {
					// no end yet: look again
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					throw new InterruptedIOException("interrupted while following the console of " + log);
				}
			}
			return -1;
		}

		/** Opens the current log (closing an older file that has been read to its end). */
		private void switchToCurrent() throws IOException {
			try {
				FileChannel next = FileChannel.open(log, StandardOpenOption.READ);
				if (channel != null) {
					channel.close();
				}
				channel = next;
				channelKey = Files.readAttributes(log, BasicFileAttributes.class).fileKey();
			} catch (NoSuchFileException e) {
				// not written yet, or between rename and re-creation
			}
		}

		/** Whether the log file now is another one than the one being read (the monitor rotated it). */
		private boolean rotated() throws IOException {
			if (channelKey == null) {
				return true;
			}
			try {
				Object now = Files.readAttributes(log, BasicFileAttributes.class).fileKey();
				if (!channelKey.equals(now)) {
					channelKey = null; // read what is left of the old one, then switch
					return true;
				}
				return false;
			} catch (NoSuchFileException e) {
				return false;
			}
		}

		synchronized void closeChannel() {
			try {
				if (channel != null) {
					channel.close();
				}
			} catch (IOException e) {
				// read-only file
			}
		}

		@Override
		public void close() {
			ConsoleSession.this.close();
		}
	}
}
