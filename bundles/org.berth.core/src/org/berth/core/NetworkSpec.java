package org.berth.core;

import java.util.Objects;

/**
 * The network of a container.
 *
 * @param mode    none, host or veth
 * @param bridge  for VETH: the host bridge the veth is attached to; {@code null} = the engine's default bridge
 * @param address for VETH: the container's address in CIDR notation, e.g. "10.88.0.5/24"; {@code null} = allocate
 *                one from the engine's range
 */
public record NetworkSpec(NetworkMode mode, String bridge, String address) {

	/** No network configured. */
	public static final NetworkSpec NONE = new NetworkSpec(NetworkMode.NONE, null, null);

	/** The host's network. */
	public static final NetworkSpec HOST = new NetworkSpec(NetworkMode.HOST, null, null);

	/**
	 * Blank texts become {@code null}. Bridge and address only mean something for VETH and are dropped
	 * ({@code null}) for the other modes, so two specs of the same mode are equal.
	 */
	public NetworkSpec {
		Objects.requireNonNull(mode, "mode");
		if (mode == NetworkMode.VETH) {
			bridge = Text.trimToNull(bridge);
			address = Text.trimToNull(address);
		} else {
			bridge = null;
			address = null;
		}
	}

	/** A veth on {@code bridge} (null = default) with {@code address} (null = allocated). */
	public static NetworkSpec veth(String bridge, String address) {
		return new NetworkSpec(NetworkMode.VETH, bridge, address);
	}
}
