package org.berth.cli;

import org.berth.core.NetworkMode;
import org.berth.core.NetworkSpec;

import picocli.CommandLine.Option;

/**
 * The network options of create and set: {@code --network} (or {@code --net}), {@code --bridge} and
 * {@code --address}. The words are create's; set words some of them its own way (see {@link SetCommand.Words}).
 */
final class NetworkOptions {

	@Option(names = {"--network", "--net"}, paramLabel = "none|host|veth", converter = Converters.Network.class,
			description = "No network (default), the host's, or a veth on a bridge.")
	NetworkMode mode;

	@Option(names = "--bridge", paramLabel = "NAME", description = "The bridge of a veth network.")
	String bridge;

	@Option(names = "--address", paramLabel = "CIDR", description = "The address of a veth network, e.g."
			+ " 10.88.0.5/24 (default: one from the engine's range).")
	String address;

	/** Whether any of them is given. */
	boolean given() {
		return mode != null || bridge != null || address != null;
	}

	/**
	 * The network they say: a bridge or an address alone means a veth; null when none of the three is given.
	 *
	 * @throws IllegalArgumentException with a sentence when a bridge or address comes with another mode
	 */
	NetworkSpec spec() {
		NetworkMode m = mode;
		if (bridge != null || address != null) {
			if (m == null) {
				m = NetworkMode.VETH;
			} else if (m != NetworkMode.VETH) {
				throw new IllegalArgumentException("--bridge and --address need --network veth, not --network "
						+ m.cli());
			}
		}
		return m == null ? null : new NetworkSpec(m, bridge, address);
	}
}
