package org.berth.agent;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;

/**
 * Who is on the other end of a Unix socket, and whether that one may use the agent.
 * <p>
 * The credentials come from {@code getsockopt(fd, SOL_SOCKET, SO_PEERCRED)} through JNA, which gives pid, uid and gid
 * in one call. The JDK's own {@code ExtendedSocketOptions.SO_PEERCRED} gives only user and group <em>names</em>, no
 * pid, and the audit log wants the client's pid; so the descriptor is taken from the channel
 * ({@code sun.nio.ch.SelChImpl.getFDVal}, which needs {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}, as
 * bin/berth-agent and the tests pass). Without that export the JDK option is used and the pid is -1.
 * <p>
 * A peer passes when it is root, when its group is the agent's group, when the group is among the supplementary
 * groups of its process ({@code /proc/PID/status}), or when {@code /etc/group} lists its user as a member (read on
 * each check, so {@code usermod -aG} takes effect without restarting the agent).
 */
final class Peers {

	private static final int SOL_SOCKET = 1;
	private static final int SO_PEERCRED = 17;

	interface LibC extends Library {
		int getsockopt(int fd, int level, int option, byte[] value, IntByReference length);
	}

	private static final LibC LIBC = Native.load("c", LibC.class);
	private static final Method FD_VAL = fdVal();

	private final String group;
	private final Path etc;

	Peers(String group, Path etc) {
		this.group = group;
		this.etc = etc;
	}

	String group() {
		return group;
	}

	private static Method fdVal() {
		try {
			Method m = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
			return m;
		} catch (ReflectiveOperationException | RuntimeException e) {
			return null;
		}
	}

	/** The peer of {@code channel}. */
	Peer of(SocketChannel channel) throws IOException {
		long pid = -1;
		long uid;
		long gid;
		int[] cred = credentials(channel);
		if (cred != null) {
			pid = cred[0];
			uid = cred[1];
			gid = cred[2];
		} else {
			var principal = channel.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED);
			uid = idOf(etc.resolve("passwd"), principal.user().getName(), 2);
			gid = idOf(etc.resolve("group"), principal.group().getName(), 2);
		}
		String user = nameOf(uid);
		return new Peer(pid, uid, gid, user, uid == 0 || inGroup(pid, gid, user));
	}

	/** pid, uid, gid from SO_PEERCRED, or null when the descriptor cannot be had. */
	private static int[] credentials(SocketChannel channel) {
		if (FD_VAL == null) {
			return null;
		}
		int fd;
		try {
			fd = (Integer) FD_VAL.invoke(channel);
		} catch (ReflectiveOperationException | RuntimeException e) {
			return null;
		}
		byte[] ucred = new byte[12];
		IntByReference length = new IntByReference(ucred.length);
		if (LIBC.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, ucred, length) != 0) {
			return null;
		}
		java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(ucred).order(java.nio.ByteOrder.nativeOrder());
		return new int[]{b.getInt(0), b.getInt(4), b.getInt(8)};
	}

	private boolean inGroup(long pid, long gid, String user) throws IOException {
		String[] entry = entry(etc.resolve("group"), group, 0);
		if (entry == null) {
			return false;
		}
		long groupId = Long.parseLong(entry[2]);
		if (gid == groupId) {
			return true;
		}
		if (pid > 0) {
			try {
				for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
					if (line.startsWith("Groups:")) {
						for (String g : line.substring(7).trim().split("\\s+")) {
							if (g.equals(entry[2])) {
								return true;
							}
						}
					}
				}
			} catch (IOException e) {
				// gone already: decided by the group file alone
			}
		}
		return entry.length > 3 && Arrays.asList(entry[3].split(",")).contains(user);
	}

	/** The name of {@code uid} in the passwd file, or the number when it has none. */
	String nameOf(long uid) {
		try {
			for (String line : lines(etc.resolve("passwd"))) {
				String[] f = line.split(":", -1);
				if (f.length > 2 && f[2].equals(Long.toString(uid))) {
					return f[0];
				}
			}
		} catch (IOException e) {
			// the number will do
		}
		return Long.toString(uid);
	}

	/** The gid of the agent's group, or -1 when there is no such group. */
	long groupId() throws IOException {
		String[] entry = entry(etc.resolve("group"), group, 0);
		return entry == null ? -1 : Long.parseLong(entry[2]);
	}

	private static long idOf(Path file, String name, int field) throws IOException {
		String[] e = entry(file, name, 0);
		if (e == null) {
			try {
				return Long.parseLong(name);
			} catch (NumberFormatException x) {
				return -1;
			}
		}
		return Long.parseLong(e[field]);
	}

	private static String[] entry(Path file, String key, int field) throws IOException {
		for (String line : lines(file)) {
			String[] f = line.split(":", -1);
			if (f.length > 2 && f[field].equals(key)) {
				return f;
			}
		}
		return null;
	}

	private static List<String> lines(Path file) throws IOException {
		return Files.exists(file) ? Files.readAllLines(file) : List.of();
	}
}
