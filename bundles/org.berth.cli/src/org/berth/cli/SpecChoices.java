package org.berth.cli;

import java.util.EnumMap;
import java.util.List;

import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;
import org.berth.core.NetworkMode;
import org.berth.core.NetworkSpec;

/** What {@code --ns}, {@code --network}, {@code --bridge} and {@code --address} mean, for create and set alike. */
final class SpecChoices {

    private SpecChoices() {
    }

    /**
     * The {@code --ns} choices, each namespace type once.
     *
     * @throws IllegalArgumentException with a sentence when a type is given twice
     */
    static List<NamespaceSpec> oncePerType(List<NamespaceSpec> given) {
        EnumMap<NamespaceType, NamespaceSpec> seen = new EnumMap<>(NamespaceType.class);
        for (NamespaceSpec ns : given) {
            NamespaceSpec before = seen.put(ns.type(), ns);
            if (before != null) {
                throw new IllegalArgumentException("--ns " + ns.type().procName() + " is given twice ("
                        + before.toCli() + " and " + ns.toCli() + "); give it once");
            }
        }
        return List.copyOf(given);
    }

    /**
     * The network of {@code --network}, {@code --bridge} and {@code --address}: a bridge or an address alone
     * means a veth; null when none of the three is given.
     *
     * @throws IllegalArgumentException with a sentence when a bridge or address comes with another mode
     */
    static NetworkSpec network(NetworkMode mode, String bridge, String address) {
        if (bridge != null || address != null) {
            if (mode == null) {
                mode = NetworkMode.VETH;
            } else if (mode != NetworkMode.VETH) {
                throw new IllegalArgumentException("--bridge and --address need --network veth, not --network "
                        + mode.cli());
            }
        }
        return mode == null ? null : new NetworkSpec(mode, bridge, address);
    }
}
