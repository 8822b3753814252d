package org.berth.cli;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;

import org.berth.core.ContainerSpec;
import org.berth.core.IdMap;
import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;

import picocli.CommandLine.Option;

/**
 * The namespace options of create and set: {@code --ns TYPE=new|host|share:OTHER} (each type once), {@code --uidmap}
 * and {@code --gidmap}. The words are create's; set words the maps its own way (see {@link SetCommand.Words}).
 */
final class NamespaceOptions {

	@Option(names = "--ns", paramLabel = "TYPE=new|host|share:OTHER", converter = Converters.Namespace.class,
			description = "The choice for one namespace (mnt, uts, ipc, pid, net, user, cgroup, time); repeatable.")
	List<NamespaceSpec> choices = new ArrayList<>();

	@Option(names = "--uidmap", paramLabel = "\"IN OUT COUNT\"", converter = Converters.IdMaps.class,
			description = "A uid map of a new user namespace, e.g. \"0 100000 65536\" or 0:100000:65536; repeatable.")
	List<IdMap> uidMaps = new ArrayList<>();

	@Option(names = "--gidmap", paramLabel = "\"IN OUT COUNT\"", converter = Converters.IdMaps.class,
			description = "A gid map of a new user namespace; repeatable.")
	List<IdMap> gidMaps = new ArrayList<>();

	/** Whether any of them is given. */
	boolean given() {
		return !choices.isEmpty() || !uidMaps.isEmpty() || !gidMaps.isEmpty();
	}

	/**
	 * Checks that each namespace type is given once.
	 *
	 * @throws IllegalArgumentException with a sentence when a type is given twice
	 */
	void check() {
		EnumMap<NamespaceType, NamespaceSpec> seen = new EnumMap<>(NamespaceType.class);
		for (NamespaceSpec ns : choices) {
			NamespaceSpec before = seen.put(ns.type(), ns);
			if (before != null) {
				throw new IllegalArgumentException("--ns " + ns.type().procName() + " is given twice ("
						+ before.toCli() + " and " + ns.toCli() + "); give it once");
			}
		}
	}

	/**
	 * Puts what is given into {@code b}: the namespace choices, and the id maps that are given (each replaces the
	 * spec's maps of its kind as a whole).
	 *
	 * @throws IllegalArgumentException as {@link #check()}
	 */
	void applyTo(ContainerSpec.Builder b) {
		check();
		choices.forEach(b::namespace);
		if (!uidMaps.isEmpty()) {
			b.uidMaps(uidMaps);
		}
		if (!gidMaps.isEmpty()) {
			b.gidMaps(gidMaps);
		}
	}
}
