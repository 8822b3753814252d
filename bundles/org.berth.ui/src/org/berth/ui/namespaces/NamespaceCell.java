package org.berth.ui.namespaces;

import java.util.List;

import org.berth.core.ContainerSnapshot;
import org.berth.core.NamespaceIdentity;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;
import org.berth.ui.internal.Formats;

/**
 * What one cell of the Namespaces view says: for a running container the actual namespace (by inode), the
 * containers that joined it, and whether that differs from the configuration; otherwise the configured choice.
 *
 * @param text     the cell text, e.g. "shared with c1", "new · joined by c2", "new (configured: share with c1)"
 * @param drift    whether the actual sharing differs from the configuration
 * @param actual   whether the text comes from the running container (false: only the configuration is known)
 * @param tooltip  the details: inode, configuration
 */
public record NamespaceCell(String text, boolean drift, boolean actual, String tooltip) {

	/**
	 * @param s          the container
	 * @param type       the namespace type
	 * @param joinedBy   the other running containers whose namespace of this type has the same inode
	 */
	public static NamespaceCell of(ContainerSnapshot s, NamespaceType type, List<String> joinedBy) {
		NamespaceSpec configured = s.spec().namespace(type);
		NamespaceIdentity id = s.namespaces().get(type);
		String ids = type == NamespaceType.USER ? userSuffix(s) : "";
		if (id == null) {
			return new NamespaceCell(Formats.configured(configured) + ids, false, false,
					"Configured: " + configured.toCli() + (s.isActive() ? "" : " (applies when it starts)"));
		}
		String text = Formats.actual(id.actualMode(), id.sharedWith());
		if (!joinedBy.isEmpty()) {
			text += " · joined by " + String.join(", ", joinedBy);
		}
		boolean drift = !matches(configured, id);
		if (drift) {
			text += " (configured: " + Formats.configured(configured) + ")";
		}
		text += ids;
		String tip = type.procName() + ":[" + id.inode() + "]\nConfigured: " + configured.toCli()
				+ (drift ? "\nThe running container differs from its configuration: it changes at the next start,"
						+ " or the container it shares with was restarted." : "");
		return new NamespaceCell(text, drift, true, tip);
	}

	/** The user column says whose root the container's is: privileged, or its block of host ids. */
	private static String userSuffix(ContainerSnapshot s) {
		if (s.spec().isPrivileged()) {
			return " (privileged)";
		}
		return s.spec().idBlock().map(b -> " · host ids " + b.outsideId() + "–" + (b.outsideId() + b.count() - 1))
				.orElse("");
	}

	static boolean matches(NamespaceSpec configured, NamespaceIdentity actual) {
		if (configured.mode() != actual.actualMode()) {
			return false;
		}
		return configured.mode() != NamespaceMode.SHARE || configured.shareWith().equals(actual.sharedWith());
	}
}
