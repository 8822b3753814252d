package org.berth.core;

import java.util.Locale;
import java.util.Objects;

/**
 * The choice for one namespace type: a new namespace, the host's, or the one of another container.
 *
 * @param type      the namespace type
 * @param mode      new, host or share
 * @param shareWith the name of the container whose namespace is joined; non-null exactly when {@code mode} is SHARE
 */
public record NamespaceSpec(NamespaceType type, NamespaceMode mode, String shareWith) {

	public NamespaceSpec {
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(mode, "mode");
		if (mode == NamespaceMode.SHARE) {
			if (Text.isBlank(shareWith)) {
				throw new IllegalArgumentException("sharing the " + type.procName()
						+ " namespace needs the name of the container to share with, e.g. "
						+ type.procName() + "=share:c1");
			}
			shareWith = shareWith.trim();
		} else if (shareWith != null) {
			throw new IllegalArgumentException(type.procName() + "=" + mode.cli() + " cannot name a container ("
					+ Text.quote(shareWith) + "); only " + type.procName() + "=share:CONTAINER does");
		}
	}

	/** A new namespace of this type. */
	public static NamespaceSpec ofNew(NamespaceType type) {
		return new NamespaceSpec(type, NamespaceMode.NEW, null);
	}

	/** The host's namespace of this type. */
	public static NamespaceSpec host(NamespaceType type) {
		return new NamespaceSpec(type, NamespaceMode.HOST, null);
	}

	/** The namespace of this type of the container {@code container}. */
	public static NamespaceSpec share(NamespaceType type, String container) {
		return new NamespaceSpec(type, NamespaceMode.SHARE, container);
	}

	/** A spec of the given type and mode; for {@code SHARE} use {@link #share}. */
	public static NamespaceSpec of(NamespaceType type, NamespaceMode mode) {
		return new NamespaceSpec(type, mode, null);
	}

	/**
	 * Parses the command line syntax {@code TYPE=new}, {@code TYPE=host} or {@code TYPE=share:OTHER}
	 * (type and mode in any case, e.g. {@code net=host}, {@code pid=share:c1}).
	 *
	 * @throws IllegalArgumentException with a sentence saying what is wrong and what is accepted
	 */
	public static NamespaceSpec parse(String text) {
		Objects.requireNonNull(text, "text");
		String t = text.trim();
		int eq = t.indexOf('=');
		if (eq < 0) {
			throw new IllegalArgumentException(Text.quote(text) + " is not a namespace setting;"
					+ " use TYPE=new, TYPE=host or TYPE=share:CONTAINER, e.g. net=host");
		}
		NamespaceType type = NamespaceType.parse(t.substring(0, eq));
		String value = t.substring(eq + 1).trim();
		String lower = value.toLowerCase(Locale.ROOT);
		if (lower.equals("new")) {
			return ofNew(type);
		}
		if (lower.equals("host")) {
			return host(type);
		}
		if (lower.equals("share") || lower.startsWith("share:")) {
			String other = lower.equals("share") ? "" : value.substring("share:".length()).trim();
			if (other.isEmpty()) {
				throw new IllegalArgumentException(Text.quote(text) + " does not say which container to share with;"
						+ " use " + type.procName() + "=share:CONTAINER, e.g. " + type.procName() + "=share:c1");
			}
			return share(type, other);
		}
		throw new IllegalArgumentException(Text.quote(value) + " in " + Text.quote(text)
				+ " is not a namespace mode; use new, host or share:CONTAINER");
	}

	/** The command line form, the inverse of {@link #parse}: "net=host", "pid=share:c1", "uts=new". */
	public String toCli() {
		return type.procName() + "=" + (mode == NamespaceMode.SHARE ? "share:" + shareWith : mode.cli());
	}
}
