package org.berth.core;

import java.util.List;
import java.util.Objects;

/**
 * What {@link ContainerEngine#migrate} is asked to do.
 *
 * @param target         the other Berth host: {@code ssh://[user@]host[:port]}
 * @param ssh            the ssh command and its own options (e.g. {@code ["ssh", "-F", "/path/config"]}); empty:
 *                       {@code ssh} with the user's own configuration, keys and known hosts
 * @param remoteBerth    the {@code berth} command on the target (null: {@code berth} on its PATH)
 * @param tcpEstablished carry established TCP connections along (their peers keep them)
 */
public record MigrationRequest(String target, List<String> ssh, String remoteBerth, boolean tcpEstablished) {

	public MigrationRequest {
		Objects.requireNonNull(target, "target");
		ssh = ssh == null || ssh.isEmpty() ? List.of("ssh") : List.copyOf(ssh);
		remoteBerth = remoteBerth == null || remoteBerth.isBlank() ? "berth" : remoteBerth;
	}

	/** To {@code target} with the user's ssh and the target's {@code berth}. */
	public static MigrationRequest to(String target) {
		return new MigrationRequest(target, null, null, false);
	}
}
