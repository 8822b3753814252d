package org.berth.core.wire;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;

/**
 * One container in {@code berth list --json} and in the agent's {@code GET /1.0/containers}: both build it here, so
 * the two are the same objects. The field names are an interface: add fields, never rename them.
 *
 * @param state       lower case: stopped, starting, running, stopping, freezing, frozen, thawing, aborting
 * @param pid         the host PID of init; null when not running
 * @param namespaces  the configured choice per namespace type ("new", "host", "share:c1")
 * @param memoryBytes memory in use; null when not running
 * @param privileged  whether root inside is root on the host (the host's user namespace, or a privileged
 *                    container's)
 * @param idmap       where the container's ids 0..size-1 are on the host (its own block, or that of the container
 *                    whose user namespace it shares); null when privileged or mapped otherwise
 * @param description what it is for ("" when nothing was said)
 * @param tags        its tags, sorted
 */
public record ListEntry(String name, String state, String kind, String template, String rootfs, Long pid,
		String startedAt, Long uptimeSeconds, String lastExit, Map<String, String> namespaces, String network,
		String address, Long memoryBytes, Long memoryLimitBytes, boolean privileged, IdBlock idmap,
		String description, List<String> tags) {

	/** The first host uid and gid of a container's ids, and how many. */
	public record IdBlock(long uid, long gid, long size) {
	}

	/**
	 * The entry of {@code s} among {@code all}, with the memory it uses ({@code memoryBytes}, null when not known) at
	 * {@code now}.
	 */
	public static ListEntry of(ContainerSnapshot s, List<ContainerSnapshot> all, Long memoryBytes, Instant now) {
		ContainerSpec spec = s.spec();
		ContainerSpec userSpec = userSpec(spec, all);
		Map<String, String> namespaces = new LinkedHashMap<>();
		for (NamespaceType t : NamespaceType.values()) {
			namespaces.put(t.procName(), choice(spec.namespace(t)));
		}
		IdBlock idmap = null;
		if (userSpec.mode(NamespaceType.USER) == NamespaceMode.NEW && userSpec.uidMaps().size() == 1
				&& userSpec.gidMaps().size() == 1 && userSpec.uidMaps().get(0).insideId() == 0
				&& userSpec.gidMaps().get(0).insideId() == 0) {
			idmap = new IdBlock(userSpec.uidMaps().get(0).outsideId(), userSpec.gidMaps().get(0).outsideId(),
					Math.min(userSpec.uidMaps().get(0).count(), userSpec.gidMaps().get(0).count()));
		}
		boolean running = s.isActive();
		return new ListEntry(s.name(), s.state().cli(), spec.kind().cli(), spec.template(), spec.rootfs(),
				running && s.initPid() > 0 ? s.initPid() : null,
				running && s.startedAt() != null ? s.startedAt().toString() : null,
				running && s.startedAt() != null ? Math.max(0, Duration.between(s.startedAt(), now).getSeconds())
						: null,
				s.lastExit(), namespaces, spec.network().mode().cli(), spec.network().address(), memoryBytes,
				spec.limits().memoryBytes(), userSpec.isPrivileged(), idmap, spec.description(), spec.tags());
	}

	/**
	 * The spec whose user namespace the container has: its own, or, when it shares another's, that container's
	 * (followed while they share further; its own when the other is gone).
	 */
	public static ContainerSpec userSpec(ContainerSpec spec, List<ContainerSnapshot> all) {
		ContainerSpec at = spec;
		for (int hops = 0; hops < all.size() && at.mode(NamespaceType.USER) == NamespaceMode.SHARE; hops++) {
			String other = at.namespace(NamespaceType.USER).shareWith();
			ContainerSpec next = all.stream().filter(o -> o.name().equals(other)).map(ContainerSnapshot::spec)
					.findFirst()
					.orElse(null);
			if (next == null) {
				return spec;
			}
			at = next;
		}
		return at;
	}

	/** The value of a namespace choice as the command line writes it after "TYPE=": "new", "host", "share:c1". */
	public static String choice(NamespaceSpec ns) {
		return ns.mode() == NamespaceMode.SHARE ? "share:" + ns.shareWith() : ns.mode().cli();
	}
}
