package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.berth.core.BerthException;
import org.berth.core.linux.internal.sys.EngineLog;

/**
 * Container networking with iproute2: a veth pair per container, its host end on a Berth bridge (in the host's
 * network namespace, or in one named network namespace such as a test's), its other end {@code eth0} inside the
 * container with an address from a private range. It runs in the short window between clone and init.
 */
final class VethNetwork {

	private final String bridge;
	private final String bridgeNetns;
	private final Cidr subnet;

	/** An IPv4 network such as 10.88.0.0/24. */
	record Cidr(int address, int prefix) {
		static Cidr parse(String text) {
			String[] parts = text.split("/");
			if (parts.length != 2) {
				throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 network like 10.88.0.0/24");
			}
			String[] q = parts[0].split("\\.");
			if (q.length != 4) {
				throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 network like 10.88.0.0/24");
			}
			int a = 0;
			for (String s : q) {
				int v = Integer.parseInt(s);
				if (v < 0 || v > 255) {
					throw new IllegalArgumentException("\"" + text + "\" has an octet out of range");
				}
				a = (a << 8) | v;
			}
			int prefix = Integer.parseInt(parts[1]);
			if (prefix < 8 || prefix > 30) {
				throw new IllegalArgumentException("the network " + text + " needs a prefix between 8 and 30");
			}
			return new Cidr(a, prefix);
		}

		int mask() {
			return prefix == 0 ? 0 : -1 << (32 - prefix);
		}

		int network() {
			return address & mask();
		}

		static String format(int a) {
			return ((a >>> 24) & 255) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
		}

		/** The first host address: the bridge's, the containers' gateway. */
		String gateway() {
			return format(network() + 1);
		}
	}

	VethNetwork(String bridge, String bridgeNetns, String subnet) {
		this.bridge = bridge;
		this.bridgeNetns = bridgeNetns;
		this.subnet = Cidr.parse(subnet);
	}

	String bridge() {
		return bridge;
	}

	/** The first free address (with prefix) in the range, skipping the gateway and {@code used}. */
	String allocate(Collection<String> used) throws BerthException {
		Set<String> taken = new HashSet<>();
		for (String u : used) {
			if (u != null) {
				taken.add(u.split("/")[0]);
			}
		}
		int size = 1 << (32 - subnet.prefix());
		for (int i = 2; i < size - 1; i++) {
			String candidate = Cidr.format(subnet.network() + i);
			if (!taken.contains(candidate)) {
				return candidate + "/" + subnet.prefix();
			}
		}
		throw new BerthException("create", bridge, "no free address is left in " + Cidr.format(subnet.network())
				+ "/" + subnet.prefix());
	}

	/** A host-side interface name for a container's veth (at most 15 characters). */
	static String hostVethName(String container, long startId) {
		return "bv" + Integer.toHexString((container + "/" + startId).hashCode() & 0x7fffffff);
	}

	/** Plumbs {@code eth0} with {@code address} into the network namespace of {@code pid}; returns the host end. */
	String attach(String container, long pid, String address, String hostVeth) throws BerthException {
		ensureBridge(container);
		ip(container, "link", "add", hostVeth, "type", "veth", "peer", "name", "eth0", "netns", Long.toString(pid));
		ip(container, "link", "set", hostVeth, "master", bridge, "up");
		String p = Long.toString(pid);
		run(container, List.of("nsenter", "-t", p, "-n", "ip", "addr", "add", address, "dev", "eth0"));
		run(container, List.of("nsenter", "-t", p, "-n", "ip", "link", "set", "eth0", "up"));
		run(container, List.of("nsenter", "-t", p, "-n", "ip", "route", "add", "default", "via", subnet.gateway()));
		return hostVeth;
	}

	/**
	 * A veth pair for a container CRIU restores: the host end {@code hostVeth} on the bridge, up (in the bridge's
	 * namespace when it has one), its peer left in the host's namespace under the returned name, for CRIU to move into
	 * the container's namespace as {@code eth0} ({@code --external netdev[eth0]:PEER}; CRIU's own veth creation fails
	 * inside a user namespace). Deleting the host end ({@link #detach}) deletes the peer too, wherever it is.
	 */
	String precreate(String container, String hostVeth) throws BerthException {
		ensureBridge(container);
		String peer = hostVeth + "r";
		run(container, List.of("ip", "link", "add", hostVeth, "type", "veth", "peer", "name", peer));
		if (bridgeNetns != null) {
			run(container, List.of("ip", "link", "set", hostVeth, "netns", bridgeNetns));
		}
		ip(container, "link", "set", hostVeth, "master", bridge, "up");
		return peer;
	}

	/** Deletes the host end if it is still there (it usually goes away with the container's namespace). */
	void detach(String container, String hostVeth) {
		if (hostVeth == null) {
			return;
		}
		try {
			List<String> cmd = ipCommand("link", "del", hostVeth);
			Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
			p.getInputStream().readAllBytes();
			p.waitFor(10, TimeUnit.SECONDS);
		} catch (IOException e) {
			// nothing to delete
			EngineLog.log(System.Logger.Level.DEBUG, "could not delete the veth "
					+ hostVeth + " of \"" + container + "\": " + e.getMessage());
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	private synchronized void ensureBridge(String container) throws BerthException {
		if (exitCode(ipCommand("link", "show", bridge)) == 0) {
			return;
		}
		ip(container, "link", "add", bridge, "type", "bridge");
		ip(container, "addr", "add", subnet.gateway() + "/" + subnet.prefix(), "dev", bridge);
		ip(container, "link", "set", bridge, "up");
	}

	private void ip(String container, String... args) throws BerthException {
		run(container, ipCommand(args));
	}

	private List<String> ipCommand(String... args) {
		List<String> cmd = new ArrayList<>();
		cmd.add("ip");
		if (bridgeNetns != null) {
			cmd.add("-n");
			cmd.add(bridgeNetns);
		}
		cmd.addAll(List.of(args));
		return cmd;
	}

	private static int exitCode(List<String> cmd) {
		try {
			Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
			p.getInputStream().readAllBytes();
			return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
		} catch (IOException e) {
			return -1;
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	private static void run(String container, List<String> cmd) throws BerthException {
		try {
			Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
			String out;
			try (InputStream in = p.getInputStream()) {
				out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
			}
			if (!p.waitFor(10, TimeUnit.SECONDS)) {
				p.destroyForcibly();
				throw new BerthException("network", container, String.join(" ", cmd) + " did not finish in 10 s");
			}
			if (p.exitValue() != 0) {
				throw new BerthException("network", container, "network set-up of \"" + container + "\" failed: "
						+ String.join(" ", cmd) + ": " + out);
			}
		} catch (IOException e) {
			throw new BerthException("network", container, "could not run " + cmd.get(0) + " (install iproute2"
					+ " and util-linux): " + e.getMessage(), e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new BerthException("network", container, "interrupted during network set-up");
		}
	}
}
