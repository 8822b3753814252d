package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.berth.core.EngineEvent;
import org.berth.core.Limits;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceSpec;
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
		ContainerSpec complete = withAddress(spec);
		SpecValidator.requireValid(complete, validationContext());
		try {
			if (complete.rootfs() == null) {
				ctx.templates.create(complete, ctx.store.rootfs(complete.name()));
			} else if (!Files.isDirectory(Path.of(complete.rootfs()))) {
				throw new BerthException("create", complete.name(), "the root file system " + complete.rootfs()
						+ " is not a directory");
			}
			ctx.store.save(complete);
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

	ContainerSnapshot update(ContainerSpec spec) throws BerthException {
		ContainerSnapshot current = snapshots.require(spec.name());
		ContainerSpec complete = withAddress(spec);
		SpecValidator.requireValid(complete, validationContext());
		if (!Objects.equals(complete.rootfs(), current.spec().rootfs())
				|| !Objects.equals(complete.template(), current.spec().template())) {
			throw new BerthException("update", spec.name(), "the root file system of \"" + spec.name()
					+ "\" cannot change after it was created; clone it or create a new container");
		}
		save(complete);
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
				ctx.driver().open(state.cgroup()).apply(RunControl.limitsOf(limits));
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
		ContainerSpec spec = withAddress(b.build());
		SpecValidator.requireValid(spec, validationContext());
		try {
			if (src.spec().rootfs() == null) {
				ctx.store.copyRootfs(source, newName);
			}
			ctx.store.save(spec);
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
		ContainerSpec spec = withAddress(b.build());
		SpecValidator.requireValid(spec, validationContext());
		try {
			Files.createDirectories(ctx.store.dir(newName));
			if (move) {
				Files.move(rootfs, ctx.store.rootfs(newName), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
			} else {
				Trees.copy(rootfs, ctx.store.rootfs(newName));
			}
			ctx.store.save(spec);
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

	void destroy(String name) throws BerthException {
		ContainerSnapshot snap = snapshots.require(name);
		StateMachine.transitional(name, snap.state(), Action.DESTROY);
		for (ContainerSnapshot other : snapshots.values()) {
			for (NamespaceSpec ns : other.spec().namespaces().values()) {
				if (ns.mode() == NamespaceMode.SHARE && name.equals(ns.shareWith())) {
					throw new BerthException("destroy", name, "\"" + other.name() + "\" shares its "
							+ ns.type().procName() + " namespace with \"" + name
							+ "\"; change or destroy \"" + other.name() + "\" first");
				}
			}
		}
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
