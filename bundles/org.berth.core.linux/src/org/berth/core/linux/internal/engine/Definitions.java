package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.berth.core.Action;
import org.berth.core.BerthException;
import org.berth.core.ContainerExistsException;
import org.berth.core.ContainerKind;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.EngineEvent;
import org.berth.core.IdMap;
import org.berth.core.Limits;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;
import org.berth.core.NetworkMode;
import org.berth.core.NetworkSpec;
import org.berth.core.SpecValidator;
import org.berth.core.StateMachine;
import org.berth.core.linux.internal.snapshots.Trees;

/**
 * The containers' definitions: define, update, live limits, clone and destroy, each checked against the others
 * ({@link #validationContext()}) and kept by {@link ConfigStore}. Called under the container's lock.
 */
final class Definitions {

	/** Where the allocation of id blocks is serialised between processes: {@code flock} on it. */
	static final String IDMAP_LOCK = ".idmap.lock";
	/** ... and between the threads of this one (a file lock is held per process). */
	private static final Object ID_LOCK = new Object();

	private final EngineContext ctx;
	private final Snapshots snapshots;

	Definitions(EngineContext ctx, Snapshots snapshots) {
		this.ctx = ctx;
		this.snapshots = snapshots;
	}

	SpecValidator.ValidationContext validationContext() {
		ctx.requireWhole("check a container's settings against the others");
		return new SpecValidator.ValidationContext() {
			@Override
			public boolean exists(String name) {
				return snapshots.contains(name);
			}

			@Override
			public Optional<ContainerKind> kindOf(String name) {
				return snapshots.get(name).map(s -> s.spec().kind());
			}

			@Override
			public Set<String> templates() {
				return Templates.NAMES;
			}

			@Override
			public boolean isRunning(String name) {
				return snapshots.get(name).map(ContainerSnapshot::isActive).orElse(false);
			}

			@Override
			public Optional<ContainerSpec> specOf(String name) {
				return snapshots.get(name).map(ContainerSnapshot::spec);
			}

			@Override
			public int hostCpus() {
				return Runtime.getRuntime().availableProcessors();
			}
		};
	}

	ContainerSnapshot define(ContainerSpec spec) throws BerthException {
		if (snapshots.contains(spec.name()) || ctx.store.exists(spec.name())) {
			throw new ContainerExistsException("create", spec.name());
		}
		ContainerSpec checked = withUserNamespace("create", withAddress(spec));
		SpecValidator.requireValid(checked, validationContext());
		ContainerSpec complete = checked;
		try {
			if (checked.rootfs() == null) {
				ctx.templates.create(checked, ctx.store.rootfs(checked.name()));
			} else if (!Files.isDirectory(Path.of(checked.rootfs()))) {
				throw new BerthException("create", checked.name(), "the root file system " + checked.rootfs()
						+ " is not a directory");
			}
			complete = saveWithIds("create", checked);
		} catch (IOException | BerthException e) {
			if (complete.rootfs() == null) {
				ctx.store.forget(complete.name()); // nothing of a half-made definition may stay behind
			}
			if (e instanceof BerthException b) {
				throw b;
			}
			throw new BerthException("create", complete.name(), "could not save the config of \""
					+ complete.name() + "\": " + e.getMessage(), e);
		}
		ContainerSnapshot snap = ContainerSnapshot.stopped(complete);
		snapshots.publish(EngineEvent.Kind.DEFINED, snap);
		return snap;
	}

	/** A veth container without an address gets the first free one of the range, kept in its spec. */
	private ContainerSpec withAddress(ContainerSpec spec) throws BerthException {
		NetworkSpec net = spec.network();
		if (net.mode() != NetworkMode.VETH || net.address() != null) {
			return spec;
		}
		List<String> used = snapshots.values().stream().map(s -> s.spec().network())
				.filter(n -> n.mode() == NetworkMode.VETH).map(NetworkSpec::address).toList();
		String address = ctx.network.allocate(used);
		return spec.toBuilder().network(NetworkSpec.veth(net.bridge(), address)).build();
	}

	/**
	 * A new user namespace without id maps: a container that joins another's namespaces joins its user namespace
	 * as well (the kernel lets a process join a namespace only from the user namespace that owns it, or from an
	 * ancestor); one that joins a privileged container's is refused, as making it privileged is the user's choice
	 * alone. Otherwise the spec is kept, and {@link #saveWithIds} gives it a block of its own.
	 */
	private ContainerSpec withUserNamespace(String operation, ContainerSpec spec) throws BerthException {
		if (spec.mode(NamespaceType.USER) != NamespaceMode.NEW || !spec.uidMaps().isEmpty()
				|| !spec.gidMaps().isEmpty()) {
			return spec;
		}
		for (NamespaceSpec ns : spec.namespaces().values()) {
			if (ns.mode() != NamespaceMode.SHARE || ns.shareWith().equals(spec.name())) {
				continue;
			}
			Optional<ContainerSpec> owner = snapshots.get(ns.shareWith()).map(ContainerSnapshot::spec);
			if (owner.isEmpty()) {
				return spec; // the validator says the other container does not exist
			}
			NamespaceSpec theirs = owner.get().namespace(NamespaceType.USER);
			return switch (theirs.mode()) {
				case NEW -> spec.toBuilder().namespace(NamespaceSpec.share(NamespaceType.USER, ns.shareWith())).build();
				case SHARE -> spec.toBuilder().namespace(theirs).build();
				case HOST -> throw new BerthException(operation, spec.name(), "\"" + spec.name() + "\" shares the "
						+ ns.type().procName() + " namespace of \"" + ns.shareWith() + "\", a privileged container;"
						+ " only a privileged container can join it: make \"" + spec.name()
						+ "\" privileged too (user=host) or share nothing with \"" + ns.shareWith() + "\"");
			};
		}
		return spec;
	}

	/**
	 * Saves the spec; one with a new user namespace without maps first gets the lowest free block of host ids
	 * ({@link IdRanges}). Allocation and save happen under a lock that holds across threads and processes, so two
	 * containers defined at once never get the same block. Returns the spec saved.
	 */
	private ContainerSpec saveWithIds(String operation, ContainerSpec spec) throws IOException, BerthException {
		if (spec.mode(NamespaceType.USER) != NamespaceMode.NEW || !spec.uidMaps().isEmpty()
				|| !spec.gidMaps().isEmpty()) {
			ctx.store.save(spec);
			return spec;
		}
		synchronized (ID_LOCK) {
			Files2.privateDirectories(ctx.store.root());
			try (FileChannel ch = FileChannel.open(ctx.store.root().resolve(IDMAP_LOCK), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
				List<IdMap> used = new ArrayList<>();
				List<ConfigStore.Broken> broken = new ArrayList<>();
				// the engine's own picture, and the configs of containers another process made since (read only
				// those: reading every config at each define made a define of the 500th container cost 500 reads)
				// one picture: the folder watcher may add a container made elsewhere between two looks at the cache,
				// which then would be neither among the known specs nor among those read
				List<ContainerSpec> others = new ArrayList<>();
				Set<String> known = new HashSet<>();
				for (ContainerSnapshot s : List.copyOf(snapshots.values())) {
					others.add(s.spec());
					known.add(s.name());
				}
				List<String> unknown = ctx.store.names().stream().filter(n -> !known.contains(n)).toList();
				others.addAll(ctx.store.loadSome(unknown, broken));
				for (ContainerSpec other : others) {
					if (!other.name().equals(spec.name()) && other.mode(NamespaceType.USER) == NamespaceMode.NEW) {
						used.addAll(other.uidMaps());
						used.addAll(other.gidMaps());
					}
				}
				IdRanges ranges = IdRanges.ofHost();
				IdMap block = ranges.allocate(used).orElseThrow(() -> new BerthException(operation, spec.name(),
						"no free block of " + IdRanges.BLOCK + " host ids is left for \"" + spec.name()
								+ "\" in root's ranges of /etc/subuid and /etc/subgid (" + ranges.uids() + "); add a"
								+ " larger range for root there"));
				ContainerSpec complete = spec.toBuilder().uidMaps(List.of(block)).gidMaps(List.of(block)).build();
				ctx.store.save(complete);
				return complete;
			}
		}
	}

	ContainerSnapshot update(ContainerSpec spec) throws BerthException {
		ContainerSnapshot current = snapshots.require(spec.name());
		ContainerSpec checked = withUserNamespace("update", withAddress(spec));
		SpecValidator.requireValid(checked, validationContext());
		if (!Objects.equals(checked.rootfs(), current.spec().rootfs())
				|| !Objects.equals(checked.template(), current.spec().template())) {
			throw new BerthException("update", spec.name(), "the root file system of \"" + spec.name()
					+ "\" cannot change after it was created; clone it or create a new container");
		}
		ContainerSpec complete;
		try {
			complete = saveWithIds("update", checked);
		} catch (IOException e) {
			throw new BerthException("save", spec.name(), "could not save the config of \"" + spec.name() + "\": "
					+ e.getMessage(), e);
		}
		ContainerSnapshot snap = current.withSpec(complete);
		snapshots.publish(EngineEvent.Kind.UPDATED, snap);
		return snap;
	}

	private void save(ContainerSpec spec) throws BerthException {
		try {
			ctx.store.save(spec);
		} catch (IOException e) {
			throw new BerthException("save", spec.name(), "could not save the config of \"" + spec.name() + "\": "
					+ e.getMessage(), e);
		}
	}

	ContainerSnapshot setLimits(String name, Limits limits) throws BerthException {
		ContainerSnapshot snap = snapshots.require(name);
		ContainerSpec spec = snap.spec().toBuilder().limits(limits).build();
		SpecValidator.requireValid(spec, validationContext());
		if (snap.isActive()) {
			StateMachine.transitional(name, snap.state(), Action.UPDATE_LIVE);
			RunDir.State state = ctx.requireRunning(snap);
			try {
				ctx.driver().open(state.cgroup())
						.apply(RunControl.limitsOf(CpuPlacement.placed(name, limits, snapshots.values(), ctx)));
			} catch (IOException e) {
				throw EngineContext.translate("set limits", name, e);
			}
		}
		save(spec);
		ContainerSnapshot updated = snap.withSpec(spec);
		snapshots.publish(EngineEvent.Kind.UPDATED, updated);
		return updated;
	}

	ContainerSnapshot cloneContainer(String source, String newName) throws BerthException {
		ContainerSnapshot src = snapshots.require(source);
		if (src.isActive()) {
			throw new BerthException("clone", source, "stop \"" + source + "\" before cloning it: a running"
					+ " container's files change while they are copied");
		}
		if (snapshots.contains(newName) || ctx.store.exists(newName)) {
			throw new ContainerExistsException("clone", newName);
		}
		ContainerSpec.Builder b = src.spec().toBuilder().name(newName);
		if (src.spec().network().mode() == NetworkMode.VETH) {
			b.network(NetworkSpec.veth(src.spec().network().bridge(), null));
		}
		if (src.spec().idBlock().isPresent()) {
			b.uidMaps(List.of()).gidMaps(List.of()); // a block of its own, not the source's
		}
		ContainerSpec spec = withAddress(b.build());
		SpecValidator.requireValid(spec, validationContext());
		try {
			if (src.spec().rootfs() == null) {
				ctx.store.copyRootfs(source, newName);
			}
			spec = saveWithIds("clone", spec);
		} catch (IOException e) {
			ctx.store.forget(newName);
			throw new BerthException("clone", source, "could not clone \"" + source + "\" as \"" + newName
					+ "\": " + e.getMessage(), e);
		} catch (InterruptedException e) {
			ctx.store.forget(newName);
			Thread.currentThread().interrupt();
			throw new BerthException("clone", source, "interrupted while cloning \"" + source + "\"");
		}
		ContainerSnapshot snap = ContainerSnapshot.stopped(spec);
		snapshots.publish(EngineEvent.Kind.DEFINED, snap);
		return snap;
	}

	/**
	 * Defines {@code source} (named as it is; a veth address is chosen anew) with a copy of the tree {@code rootfs}
	 * as its root file system: a container made from a snapshot or an export.
	 */
	ContainerSnapshot defineCopy(ContainerSpec source, Path rootfs, String operation) throws BerthException {
		return defineWith(source, rootfs, operation, false);
	}

	/** {@link #defineCopy}, with {@code rootfs} moved (on the same file system as the config root) instead. */
	ContainerSnapshot defineMoved(ContainerSpec source, Path rootfs, String operation) throws BerthException {
		return defineWith(source, rootfs, operation, true);
	}

	private ContainerSnapshot defineWith(ContainerSpec source, Path rootfs, String operation, boolean move)
			throws BerthException {
		String newName = source.name();
		if (snapshots.contains(newName) || ctx.store.exists(newName)) {
			throw new ContainerExistsException(operation, newName);
		}
		ContainerSpec.Builder b = source.toBuilder().rootfs(null);
		if (source.network().mode() == NetworkMode.VETH) {
			b.network(NetworkSpec.veth(source.network().bridge(), null));
		}
		if (source.idBlock().isPresent()) {
			b.uidMaps(List.of()).gidMaps(List.of()); // a block of its own: the one recorded may be another's now
		}
		ContainerSpec spec = withUserNamespace(operation, withAddress(b.build()));
		SpecValidator.requireValid(spec, validationContext());
		try {
			Files2.privateDirectories(ctx.store.dir(newName));
			if (move) {
				Files.move(rootfs, ctx.store.rootfs(newName), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
			} else {
				Trees.copy(rootfs, ctx.store.rootfs(newName));
			}
			spec = saveWithIds(operation, spec);
		} catch (IOException e) {
			ctx.store.forget(newName);
			throw new BerthException(operation, newName, "could not " + operation + " \"" + newName + "\": "
					+ e.getMessage(), e);
		} catch (InterruptedException e) {
			ctx.store.forget(newName);
			Thread.currentThread().interrupt();
			throw new BerthException(operation, newName, "interrupted while copying the files of \"" + newName + "\"");
		}
		ContainerSnapshot snap = ContainerSnapshot.stopped(spec);
		snapshots.publish(EngineEvent.Kind.DEFINED, snap);
		return snap;
	}

	ContainerSnapshot rename(String name, String newName) throws BerthException {
		ContainerSnapshot snap = snapshots.require(name);
		if (snap.state() != ContainerState.STOPPED) {
			throw new BerthException("rename", name, "\"" + name + "\" is " + snap.state().cli()
					+ "; stop it before renaming it (its name is its hostname and the name of its folders)");
		}
		if (!SpecValidator.isValidName(newName)) {
			throw new BerthException("rename", name, "\"" + newName + "\" is not a valid container name: "
					+ SpecValidator.NAME_RULE);
		}
		if (snapshots.contains(newName) || ctx.store.exists(newName)) {
			throw new ContainerExistsException("rename", newName);
		}
		requireUnshared("rename", name, " by that name; change \"%s\" first");
		ContainerSpec spec = snap.spec().withName(newName);
		SpecValidator.requireValid(spec, validationContext());
		Path from = ctx.store.dir(name);
		Path to = ctx.store.dir(newName);
		try {
			Files.move(from, to, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
		} catch (IOException e) {
			throw EngineContext.translate("rename", name, e);
		}
		try {
			ctx.store.save(spec);
		} catch (IOException e) {
			EngineContext.quietly("move back", name, () -> Files.move(to, from));
			throw EngineContext.translate("rename", name, e);
		}
		EngineContext.quietly("remove the run folder of", name, () -> ctx.runDir(name).delete());
		snapshots.publishDestroyed(name, snap);
		ContainerSnapshot renamed = ContainerSnapshot.stopped(spec);
		snapshots.publish(EngineEvent.Kind.DEFINED, renamed);
		return renamed;
	}

	/**
	 * Refuses {@code operation} while another container shares one of {@code name}'s namespaces: "OTHER shares its
	 * TYPE namespace with NAME" and {@code advice}, whose %s is OTHER.
	 */
	void requireUnshared(String operation, String name, String advice) throws BerthException {
		for (ContainerSnapshot other : snapshots.values()) {
			for (NamespaceSpec ns : other.spec().namespaces().values()) {
				if (ns.mode() == NamespaceMode.SHARE && name.equals(ns.shareWith())) {
					throw new BerthException(operation, name, "\"" + other.name() + "\" shares its "
							+ ns.type().procName() + " namespace with \"" + name + "\"" + advice.formatted(other
									.name()));
				}
			}
		}
	}

	void destroy(String name) throws BerthException {
		ContainerSnapshot snap = snapshots.require(name);
		StateMachine.transitional(name, snap.state(), Action.DESTROY);
		requireUnshared("destroy", name, "; change or destroy \"%s\" first");
		try {
			ctx.store.destroy(name, snap.spec().rootfs() == null);
			ctx.runDir(name).delete();
		} catch (IOException e) {
			throw new BerthException("destroy", name, "could not remove \"" + name + "\": " + e.getMessage(), e);
		}
		if (snapshots.values().stream().noneMatch(ContainerSnapshot::isActive)) {
			ctx.removeParentIfEmpty(); // kept through stops and starts; gone with the last group
		} // else not empty: no listing of every group in every hierarchy on each destroy
		snapshots.publishDestroyed(name, snap);
	}
}
