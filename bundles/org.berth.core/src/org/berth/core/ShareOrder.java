package org.berth.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The order in which to act on several containers when some share a namespace of another: the one whose namespace
 * is shared must run before the sharer starts, and must stay until the sharer is destroyed (the engine refuses
 * both otherwise). Apart from that, the order given is kept; a cycle (which the validator does not let arise) falls
 * back to it.
 */
public final class ShareOrder {

	private ShareOrder() {
	}

	/** For start: a container comes after those of the list whose namespaces it joins. */
	public static List<String> sharedFirst(List<String> names, Function<String, Optional<ContainerSpec>> specs) {
		return order(names, (candidate, other) -> sharesWith(specs, candidate, other));
	}

	/** For destroy: a container comes after those of the list that join one of its namespaces. */
	public static List<String> sharersFirst(List<String> names, Function<String, Optional<ContainerSpec>> specs) {
		return order(names, (candidate, other) -> sharesWith(specs, other, candidate));
	}

	private interface Waits {
		/** Whether {@code candidate} must wait for {@code other}. */
		boolean on(String candidate, String other);
	}

	private static List<String> order(List<String> names, Waits waits) {
		List<String> left = new ArrayList<>(names);
		List<String> out = new ArrayList<>(names.size());
		while (!left.isEmpty()) {
			String next = left.stream()
					.filter(n -> left.stream().noneMatch(other -> !other.equals(n) && waits.on(n, other)))
					.findFirst().orElse(left.get(0));
			left.remove(next);
			out.add(next);
		}
		return List.copyOf(out);
	}

	private static boolean sharesWith(Function<String, Optional<ContainerSpec>> specs, String sharer,
			String target) {
		return specs.apply(sharer).map(s -> s.namespaces().values().stream()
				.anyMatch(ns -> target.equals(ns.shareWith()))).orElse(false);
	}
}
