package org.berth.core.linux.internal.checkpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command lines of {@code criu dump} and {@code criu restore} for a Berth container: pure, so that what Berth
 * asks of CRIU is checked without root.
 * <p>
 * What every checkpoint needs, and why:
 * <ul>
 * <li>{@code --manage-cgroups=ignore}: CRIU neither records nor makes cgroups; Berth makes the container's groups
 * (the same path as the run that was dumped, which the container's cgroup namespace and its {@code /sys/fs/cgroup}
 * mount name) and the helper puts CRIU into them before it restores, so every restored process is born there;</li>
 * <li>{@code --ext-mount-map auto} with {@code --enable-external-sharing} and {@code --enable-external-masters}: the
 * host's files the container sees through bind mounts ({@code /dev/null} and its kin, LXCFS's files) are found again
 * by their host paths;</li>
 * <li>the console: the PTY slave bound on {@code /dev/console} and held by the processes is the monitor's, outside the
 * container: it is dumped as external ({@code tty[RDEV:DEV]} and {@code mnt[/dev/console]:console}), and the helper
 * hands CRIU the new monitor's slave in its place;</li>
 * <li>Berth's binds ({@code /.berth-init}, the {@code host} template's {@code /usr}) are named ({@code bind0}, ...),
 * so that they are mapped to what the restoring host has at that path (the helper's path changes with its
 * version);</li>
 * <li>{@code --freeze-cgroup}: the processes are frozen by the container's freezer, not stopped one by one;</li>
 * <li>{@code --network-lock nftables}: the network namespace is locked with nftables while it is dumped (this
 * system has no iptables);</li>
 * <li>a veth: Berth makes the pair for the new run (the host end on the bridge) and CRIU moves the other end into
 * the container's namespace as {@code eth0} with its address and MAC ({@code netdev[eth0]}): CRIU's own creation of
 * a veth whose peer is outside fails inside a user namespace (EOPNOTSUPP).</li>
 * </ul>
 */
public final class CriuArgs {

	/** The mount name of the console in the images, which the helper maps to the new console. */
	public static final String CONSOLE_MOUNT = "console";

	/** A bind of Berth's into the container: host path and path inside. */
	public record Bind(Path source, String target) {
	}

	private CriuArgs() {
	}

	/**
	 * {@code criu dump} of the container whose init is {@code initPid}.
	 *
	 * @param ttyKey    CRIU's key of the console, {@link #ttyKey}
	 * @param freezer   the container's freezer cgroup folder (v1 {@code freezer}, or its cgroup2 folder), or null
	 * @param binds     Berth's binds into the container
	 */
	public static List<String> dump(Path criu, long initPid, Path images, String ttyKey, Path freezer,
			List<Bind> binds, boolean leaveRunning, boolean tcpEstablished) {
		List<String> args = new ArrayList<>(List.of(criu.toString(), "dump", "--tree", Long.toString(initPid),
				"--images-dir", images.toString(), "--log-file", "dump.log"));
		common(args, tcpEstablished);
		args.add("--network-lock");
		args.add("nftables");
		args.add("--external");
		args.add("tty[" + ttyKey + "]");
		args.add("--external");
		args.add("mnt[/dev/console]:" + CONSOLE_MOUNT);
		for (int i = 0; i < binds.size(); i++) {
			args.add("--external");
			args.add("mnt[" + binds.get(i).target() + "]:bind" + i);
		}
		if (freezer != null) {
			args.add("--freeze-cgroup");
			args.add(freezer.toString());
		}
		if (leaveRunning) {
			args.add("--leave-running");
		}
		return args;
	}

	/**
	 * {@code criu restore} of the images in {@code images}, without what the helper adds itself (the root, the
	 * console, {@code --restore-detached} and the pid file).
	 *
	 * @param binds    Berth's binds of the restoring run, in the order they had at the dump
	 * @param vethPeer the container's end of a veth pair made for this run, in the host's namespace, which CRIU moves
	 *                 into the container's as {@code eth0}; null when it has none
	 */
	public static List<String> restore(Path criu, Path images, List<Bind> binds, String vethPeer,
			boolean tcpEstablished) {
		List<String> args = new ArrayList<>(List.of(criu.toString(), "restore", "--images-dir", images.toString(),
				"--log-file", "restore.log"));
		common(args, tcpEstablished);
		for (int i = 0; i < binds.size(); i++) {
			args.add("--external");
			args.add("mnt[bind" + i + "]:" + binds.get(i).source());
		}
		if (vethPeer != null) {
			args.add("--external");
			args.add("netdev[eth0]:" + vethPeer);
		}
		return args;
	}

	private static void common(List<String> args, boolean tcpEstablished) {
		args.addAll(List.of("--manage-cgroups=ignore", "--ext-mount-map", "auto", "--enable-external-sharing",
				"--enable-external-masters", "--file-locks", "--link-remap"));
		if (tcpEstablished) {
			args.add("--tcp-established");
		}
	}

	/**
	 * CRIU's key of a terminal, as {@code --external tty[...]} and {@code --inherit-fd} take it: the device number
	 * of the terminal and that of its file system (st_rdev and st_dev of stat(2)), in lower-case hex.
	 */
	public static String ttyKey(long rdev, long dev) {
		return Long.toHexString(rdev) + ":" + Long.toHexString(dev);
	}
}
