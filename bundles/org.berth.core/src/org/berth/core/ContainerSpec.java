package org.berth.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the user configured for one container. Immutable: collections are copied and unmodifiable.
 * <p>
 * The canonical constructor accepts what a form or a file holds and normalises it; it does not judge it:
 * {@link SpecValidator} says in sentences what is wrong. Normalisation:
 * <ul>
 * <li>{@code kind} null → SYSTEM; {@code template} null while {@code rootfs} is null → "busybox";</li>
 * <li>{@code init} null or empty → {@code null} (the template's default init);</li>
 * <li>every {@link NamespaceType} is present in {@code namespaces}: a missing one gets
 * {@link #defaultNamespace(NamespaceType, NetworkMode)} (NEW, except TIME = HOST, and NET = HOST when the network
 * mode is HOST);</li>
 * <li>null id map lists → empty; {@code limits} null → {@link Limits#NONE}; {@code network} null →
 * {@link NetworkSpec#NONE};</li>
 * <li>{@code dropCapabilities} null → {@link #DEFAULT_DROPPED_CAPABILITIES}; names are upper-cased and get their
 * "CAP_" prefix ("sys_time" → "CAP_SYS_TIME") and are kept sorted; an empty set drops nothing;</li>
 * <li>{@code haltSignal} null → {@link #DEFAULT_HALT_SIGNAL}; a known signal gets its usual name ("usr2" →
 * "SIGUSR2", "37" → "SIGRTMIN+3");</li>
 * <li>{@code seccomp} null or blank → {@link #SECCOMP_DEFAULT}; otherwise trimmed.</li>
 * <li>{@code description} null → ""; trimmed. {@code tags} null → none; trimmed, lower-cased, sorted, each once.</li>
 * </ul>
 *
 * @param name                   the container's name, also its hostname
 * @param kind                   system or application container
 * @param template               how the root file system is made and which init it has by default ("busybox");
 *                               {@code null} only together with a {@code rootfs}, which is then used as it is
 * @param rootfs                 absolute path of the root file system; {@code null} = the engine's own directory
 *                               ({@code /var/lib/berth/NAME/rootfs}) made from the template
 * @param init                   the init command (system) or the program (application) with its arguments;
 *                               {@code null} = the template's default
 * @param namespaces             the choice for every namespace type
 * @param uidMaps                uid maps of a new user namespace; empty with a new user namespace = the engine
 *                               allocates the container a block of its own when it is defined
 * @param gidMaps                gid maps of a new user namespace (empty: as {@code uidMaps})
 * @param monotonicOffsetSeconds offset of CLOCK_MONOTONIC in a new time namespace
 * @param boottimeOffsetSeconds  offset of CLOCK_BOOTTIME in a new time namespace
 * @param limits                 resource limits
 * @param network                the network
 * @param dropCapabilities       names of the capabilities taken from the container's processes
 * @param haltSignal             the signal that asks init to shut down (busybox: SIGUSR2, systemd: SIGRTMIN+3,
 *                               sysvinit: SIGPWR); the engine may pick a template's own when this is the default
 * @param autostart              start the container when the engine starts
 * @param seccomp                the system call filter: {@link #SECCOMP_DEFAULT} (the engine's denylist),
 *                               {@link #SECCOMP_UNCONFINED} (none), or the absolute path of a profile file on the
 *                               engine's host (one system call per line, see the README)
 * @param description            what the container is for, in a line (may be empty)
 * @param tags                   words to find and group containers by ("web", "prod"); checked by SpecValidator
 * @param bootOrder              among the containers started when the agent starts, lower first (after those whose
 *                               namespaces it shares); 0 by default
 * @param bootDelaySeconds       after starting it at boot, how long to wait before starting the next one
 */
public record ContainerSpec(String name, ContainerKind kind, String template, String rootfs, List<String> init,
		Map<NamespaceType, NamespaceSpec> namespaces, List<IdMap> uidMaps, List<IdMap> gidMaps,
		long monotonicOffsetSeconds, long boottimeOffsetSeconds, Limits limits, NetworkSpec network,
		Set<String> dropCapabilities, String haltSignal, boolean autostart, String seccomp, String description,
		List<String> tags, int bootOrder, int bootDelaySeconds) {

	/** The template used when neither template nor rootfs is given. */
	public static final String DEFAULT_TEMPLATE = "busybox";

	/** busybox init powers off on SIGUSR2 (SIGUSR1 halts, SIGTERM reboots). */
	public static final String DEFAULT_HALT_SIGNAL = "SIGUSR2";

	/** The engine's own seccomp denylist (kexec, modules, open_by_handle_at, the clock, keyrings, bpf, ...). */
	public static final String SECCOMP_DEFAULT = "default";

	/** No seccomp filter at all. */
	public static final String SECCOMP_UNCONFINED = "unconfined";

	/** The capabilities dropped unless the user says otherwise. */
	public static final Set<String> DEFAULT_DROPPED_CAPABILITIES = Collections.unmodifiableSortedSet(new TreeSet<>(
			List.of("CAP_SYS_TIME", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_MAC_ADMIN", "CAP_MAC_OVERRIDE")));

	public ContainerSpec {
		Objects.requireNonNull(name, "name");
		kind = kind == null ? ContainerKind.SYSTEM : kind;
		rootfs = Text.trimToNull(rootfs);
		template = Text.trimToNull(template);
		if (template == null && rootfs == null) {
			template = DEFAULT_TEMPLATE;
		}
		init = init == null || init.isEmpty() ? null : List.copyOf(init);
		limits = limits == null ? Limits.NONE : limits;
		network = network == null ? NetworkSpec.NONE : network;
		namespaces = normaliseNamespaces(namespaces, network.mode());
		uidMaps = uidMaps == null ? List.of() : List.copyOf(uidMaps);
		gidMaps = gidMaps == null ? List.of() : List.copyOf(gidMaps);
		if (dropCapabilities == null) {
			dropCapabilities = DEFAULT_DROPPED_CAPABILITIES;
		} else {
			SortedSet<String> caps = new TreeSet<>();
			for (String c : dropCapabilities) {
				caps.add(Capability.normalize(Objects.requireNonNull(c, "capability name")));
			}
			dropCapabilities = Collections.unmodifiableSortedSet(caps);
		}
		if (Text.isBlank(haltSignal)) {
			haltSignal = DEFAULT_HALT_SIGNAL;
		} else {
			haltSignal = Signals.isKnown(haltSignal) ? Signals.canonicalName(haltSignal)
					: haltSignal.trim().toUpperCase(Locale.ROOT);
		}
		seccomp = Text.isBlank(seccomp) ? SECCOMP_DEFAULT : seccomp.trim();
		description = description == null ? "" : description.trim();
		if (tags == null) {
			tags = List.of();
		} else {
			SortedSet<String> sorted = new TreeSet<>();
			for (String t : tags) {
				if (!Text.isBlank(t)) {
					sorted.add(t.trim().toLowerCase(Locale.ROOT));
				}
			}
			tags = List.copyOf(sorted);
		}
	}

	/** The spec before boot order and delay: neither. */
	public ContainerSpec(String name, ContainerKind kind, String template, String rootfs, List<String> init,
			Map<NamespaceType, NamespaceSpec> namespaces, List<IdMap> uidMaps, List<IdMap> gidMaps,
			long monotonicOffsetSeconds, long boottimeOffsetSeconds, Limits limits, NetworkSpec network,
			Set<String> dropCapabilities, String haltSignal, boolean autostart, String seccomp, String description,
			List<String> tags) {
		this(name, kind, template, rootfs, init, namespaces, uidMaps, gidMaps, monotonicOffsetSeconds,
				boottimeOffsetSeconds, limits, network, dropCapabilities, haltSignal, autostart, seccomp, description,
				tags,
				0, 0);
	}

	/** The spec before descriptions and tags: none of either. */
	public ContainerSpec(String name, ContainerKind kind, String template, String rootfs, List<String> init,
			Map<NamespaceType, NamespaceSpec> namespaces, List<IdMap> uidMaps, List<IdMap> gidMaps,
			long monotonicOffsetSeconds, long boottimeOffsetSeconds, Limits limits, NetworkSpec network,
			Set<String> dropCapabilities, String haltSignal, boolean autostart, String seccomp) {
		this(name, kind, template, rootfs, init, namespaces, uidMaps, gidMaps, monotonicOffsetSeconds,
				boottimeOffsetSeconds, limits, network, dropCapabilities, haltSignal, autostart, seccomp, null, null);
	}

	private static Map<NamespaceType, NamespaceSpec> normaliseNamespaces(Map<NamespaceType, NamespaceSpec> given,
			NetworkMode networkMode) {
		EnumMap<NamespaceType, NamespaceSpec> map = new EnumMap<>(NamespaceType.class);
		if (given != null) {
			for (Map.Entry<NamespaceType, NamespaceSpec> e : given.entrySet()) {
				NamespaceType key = Objects.requireNonNull(e.getKey(), "namespace type");
				NamespaceSpec value = e.getValue();
				if (value == null) {
					continue;
				}
				if (value.type() != key) {
					throw new IllegalArgumentException("the namespace setting " + value.toCli()
							+ " is stored under " + key.procName() + "; each setting belongs under its own type");
				}
				map.put(key, value);
			}
		}
		for (NamespaceType t : NamespaceType.values()) {
			map.computeIfAbsent(t, type -> defaultNamespace(type, networkMode));
		}
		return Collections.unmodifiableMap(map);
	}

	/**
	 * The namespace choice used when none is given: a new namespace, except TIME (the host's) and NET, which is the
	 * host's when the network mode is HOST. USER is new: a container's root is nobody on the host unless the user
	 * asks for a privileged container ({@link #isPrivileged()}).
	 */
	public static NamespaceSpec defaultNamespace(NamespaceType type, NetworkMode networkMode) {
		return switch (type) {
			case TIME -> NamespaceSpec.host(type);
			case NET -> networkMode == NetworkMode.HOST ? NamespaceSpec.host(type) : NamespaceSpec.ofNew(type);
			default -> NamespaceSpec.ofNew(type);
		};
	}

	/** A builder with all defaults for a container of this name. */
	public static Builder builder(String name) {
		return new Builder(name);
	}

	/**
	 * A builder holding this spec. Namespace choices equal to their default are not carried over, so that e.g.
	 * changing the network to HOST also moves a default NET to HOST.
	 */
	public Builder toBuilder() {
		Builder b = new Builder(name).kind(kind).rootfs(rootfs).init(init).uidMaps(uidMaps).gidMaps(gidMaps)
				.monotonicOffsetSeconds(monotonicOffsetSeconds).boottimeOffsetSeconds(boottimeOffsetSeconds)
				.limits(limits).network(network).dropCapabilities(dropCapabilities).haltSignal(haltSignal)
				.autostart(autostart).seccomp(seccomp).description(description).tags(tags).bootOrder(bootOrder)
				.bootDelaySeconds(bootDelaySeconds);
		b.template = template;
		for (NamespaceSpec ns : namespaces.values()) {
			if (!ns.equals(defaultNamespace(ns.type(), network.mode()))) {
				b.namespace(ns);
			}
		}
		return b;
	}

	/** The choice for one namespace type (never null). */
	public NamespaceSpec namespace(NamespaceType type) {
		return namespaces.get(type);
	}

	/** The mode for one namespace type (never null). */
	public NamespaceMode mode(NamespaceType type) {
		return namespaces.get(type).mode();
	}

	/** The choices that differ from {@link #defaultNamespace}, in NamespaceType order. */
	public List<NamespaceSpec> nonDefaultNamespaces() {
		List<NamespaceSpec> out = new ArrayList<>();
		for (NamespaceSpec ns : namespaces.values()) {
			if (!ns.equals(defaultNamespace(ns.type(), network.mode()))) {
				out.add(ns);
			}
		}
		return List.copyOf(out);
	}

	/**
	 * A privileged container shares the host's user namespace: its root is the host's root (still without the
	 * dropped capabilities). Sharing another container's user namespace is as privileged as that container.
	 */
	public boolean isPrivileged() {
		return mode(NamespaceType.USER) == NamespaceMode.HOST;
	}

	/**
	 * The block the container's root is mapped to on the host when its uid and gid maps are one and the same map of
	 * 0..N-1 (what the engine allocates); empty otherwise.
	 */
	public Optional<IdMap> idBlock() {
		if (mode(NamespaceType.USER) == NamespaceMode.NEW && uidMaps.size() == 1 && uidMaps.equals(gidMaps)
				&& uidMaps.get(0).insideId() == 0) {
			return Optional.of(uidMaps.get(0));
		}
		return Optional.empty();
	}

	/** The hostname set in a new UTS namespace: the container's name. */
	public String hostname() {
		return name;
	}

	/** This spec with other limits. */
	public ContainerSpec withLimits(Limits newLimits) {
		return new ContainerSpec(name, kind, template, rootfs, init, namespaces, uidMaps, gidMaps,
				monotonicOffsetSeconds, boottimeOffsetSeconds, newLimits, network, dropCapabilities, haltSignal,
				autostart, seccomp, description, tags, bootOrder, bootDelaySeconds);
	}

	/** This spec under another name (for clones). Namespaces shared with the new name itself are left as they are. */
	public ContainerSpec withName(String newName) {
		return new ContainerSpec(newName, kind, template, rootfs, init, namespaces, uidMaps, gidMaps,
				monotonicOffsetSeconds, boottimeOffsetSeconds, limits, network, dropCapabilities, haltSignal,
				autostart, seccomp, description, tags, bootOrder, bootDelaySeconds);
	}

	/** Builds a {@link ContainerSpec}; unset values get the defaults described there. Not thread-safe. */
	public static final class Builder {
		private String name;
		private ContainerKind kind = ContainerKind.SYSTEM;
		private String template;
		private String rootfs;
		private List<String> init;
		private final EnumMap<NamespaceType, NamespaceSpec> namespaces = new EnumMap<>(NamespaceType.class);
		private final List<IdMap> uidMaps = new ArrayList<>();
		private final List<IdMap> gidMaps = new ArrayList<>();
		private long monotonicOffsetSeconds;
		private long boottimeOffsetSeconds;
		private Limits limits = Limits.NONE;
		private NetworkSpec network = NetworkSpec.NONE;
		private Set<String> dropCapabilities;
		private String haltSignal;
		private boolean autostart;
		private String seccomp;
		private String description;
		private List<String> tags;
		private int bootOrder;
		private int bootDelaySeconds;

		private Builder(String name) {
			this.name = name;
		}

		public Builder name(String value) {
			this.name = value;
			return this;
		}

		public Builder kind(ContainerKind value) {
			this.kind = value;
			return this;
		}

		/** The template; {@code null} with a rootfs means "use the rootfs as it is". Default: busybox. */
		public Builder template(String value) {
			this.template = value;
			return this;
		}

		public Builder rootfs(String value) {
			this.rootfs = value;
			return this;
		}

		/** The init command with its arguments; null or empty = the template's default. */
		public Builder init(List<String> value) {
			this.init = value == null ? null : new ArrayList<>(value);
			return this;
		}

		public Builder init(String... argv) {
			return init(Arrays.asList(argv));
		}

		/** Sets the choice for {@code spec.type()}, replacing an earlier one. */
		public Builder namespace(NamespaceSpec spec) {
			namespaces.put(spec.type(), spec);
			return this;
		}

		/** Sets NEW or HOST for a type ({@code SHARE} needs {@link #share}). */
		public Builder namespace(NamespaceType type, NamespaceMode mode) {
			return namespace(NamespaceSpec.of(type, mode));
		}

		/** Shares {@code type} with the container {@code other}. */
		public Builder share(NamespaceType type, String other) {
			return namespace(NamespaceSpec.share(type, other));
		}

		/** Replaces all namespace choices; types not in {@code value} get their default. */
		public Builder namespaces(Map<NamespaceType, NamespaceSpec> value) {
			namespaces.clear();
			if (value != null) {
				value.values().forEach(this::namespace);
			}
			return this;
		}

		/** Forgets the choice for {@code type}, so it gets its default. */
		public Builder defaultNamespace(NamespaceType type) {
			namespaces.remove(type);
			return this;
		}

		public Builder uidMap(IdMap map) {
			uidMaps.add(Objects.requireNonNull(map));
			return this;
		}

		public Builder gidMap(IdMap map) {
			gidMaps.add(Objects.requireNonNull(map));
			return this;
		}

		public Builder uidMaps(List<IdMap> value) {
			uidMaps.clear();
			if (value != null) {
				uidMaps.addAll(value);
			}
			return this;
		}

		public Builder gidMaps(List<IdMap> value) {
			gidMaps.clear();
			if (value != null) {
				gidMaps.addAll(value);
			}
			return this;
		}

		/** A new user namespace mapping {@code count} IDs from 0 inside to {@code outsideId} outside, uids and gids. */
		public Builder userNamespace(long outsideId, long count) {
			namespace(NamespaceType.USER, NamespaceMode.NEW);
			uidMaps(List.of(new IdMap(0, outsideId, count)));
			gidMaps(List.of(new IdMap(0, outsideId, count)));
			return this;
		}

		public Builder monotonicOffsetSeconds(long value) {
			this.monotonicOffsetSeconds = value;
			return this;
		}

		public Builder boottimeOffsetSeconds(long value) {
			this.boottimeOffsetSeconds = value;
			return this;
		}

		public Builder limits(Limits value) {
			this.limits = value;
			return this;
		}

		public Builder network(NetworkSpec value) {
			this.network = value;
			return this;
		}

		/** The capabilities to drop; null = the defaults, empty = none. */
		public Builder dropCapabilities(Set<String> value) {
			this.dropCapabilities = value;
			return this;
		}

		public Builder haltSignal(String value) {
			this.haltSignal = value;
			return this;
		}

		public Builder autostart(boolean value) {
			this.autostart = value;
			return this;
		}

		/** The system call filter: "default", "unconfined" or a profile file's absolute path; null = default. */
		public Builder seccomp(String value) {
			this.seccomp = value;
			return this;
		}

		/** What the container is for, in a line; null = none. */
		public Builder description(String value) {
			this.description = value;
			return this;
		}

		/** Words to find it by; null = none. */
		public Builder tags(List<String> value) {
			this.tags = value;
			return this;
		}

		/** Among the containers started at boot, lower first. */
		public Builder bootOrder(int value) {
			this.bootOrder = value;
			return this;
		}

		/** After starting it at boot, seconds to wait before the next. */
		public Builder bootDelaySeconds(int value) {
			this.bootDelaySeconds = value;
			return this;
		}

		public ContainerSpec build() {
			return new ContainerSpec(name, kind, template, rootfs, init, namespaces, uidMaps, gidMaps,
					monotonicOffsetSeconds, boottimeOffsetSeconds, limits, network, dropCapabilities, haltSignal,
					autostart, seccomp, description, tags, bootOrder, bootDelaySeconds);
		}
	}
}
