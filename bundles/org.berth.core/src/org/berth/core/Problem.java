package org.berth.core;

import java.io.Serializable;
import java.util.Objects;

/**
 * One finding of {@link SpecValidator}: a sentence a person understands, shown verbatim by the editor and the CLI.
 *
 * @param severity error (refused) or warning
 * @param field    what it is about, for placing the message in a form: a {@link ContainerSpec} component name
 *                 ("name", "template", "rootfs", "init", "uidMaps", "gidMaps", "dropCapabilities", "haltSignal"),
 *                 "namespaces.TYPE" with the namespace's proc name ("namespaces.net"), "limits.COMPONENT"
 *                 ("limits.memoryBytes") or "network.COMPONENT" ("network.address")
 * @param message  the sentence
 */
public record Problem(Severity severity, String field, String message) implements Serializable {

	public Problem {
		Objects.requireNonNull(severity, "severity");
		Objects.requireNonNull(field, "field");
		Objects.requireNonNull(message, "message");
	}

	public static Problem error(String field, String message) {
		return new Problem(Severity.ERROR, field, message);
	}

	public static Problem warning(String field, String message) {
		return new Problem(Severity.WARNING, field, message);
	}

	public boolean isError() {
		return severity == Severity.ERROR;
	}
}
