package org.berth.core;

import java.util.List;

/**
 * What differs between two containers or snapshots (see {@link ContainerEngine#diff}).
 *
 * @param a     the first side, as given ("c1" or "c1/snap0")
 * @param b     the second side
 * @param spec  the spec's differences ({@link SpecDiff})
 * @param files the files added, removed and changed, sorted by path ({@link TreeDiff})
 */
public record ContainerDiff(String a, String b, List<SpecDiff.Change> spec, List<TreeDiff.Change> files) {

	public ContainerDiff {
		spec = List.copyOf(spec);
		files = List.copyOf(files);
	}

	/** Whether both sides are the same. */
	public boolean isEmpty() {
		return spec.isEmpty() && files.isEmpty();
	}
}
