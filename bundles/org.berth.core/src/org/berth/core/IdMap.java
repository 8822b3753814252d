package org.berth.core;

import java.util.Objects;

/**
 * One line of a user namespace's {@code uid_map} or {@code gid_map}: {@code count} IDs starting at {@code insideId}
 * in the container are the IDs starting at {@code outsideId} on the host.
 *
 * @param insideId  first ID inside the container
 * @param outsideId first ID on the host
 * @param count     how many IDs, at least 1
 */
public record IdMap(long insideId, long outsideId, long count) {

	/** IDs are 32-bit unsigned; {@code 4294967295} ((uid_t) -1) is not a valid ID, so a range ends below it. */
	public static final long ID_LIMIT = 4294967295L;

	public IdMap {
		if (insideId < 0 || outsideId < 0) {
			throw new IllegalArgumentException("id map \"" + insideId + " " + outsideId + " " + count
					+ "\" has a negative ID; IDs start at 0");
		}
		if (count < 1) {
			throw new IllegalArgumentException("id map \"" + insideId + " " + outsideId + " " + count
					+ "\" maps no IDs; the count must be at least 1");
		}
		if (insideId + count > ID_LIMIT || outsideId + count > ID_LIMIT) {
			throw new IllegalArgumentException("id map \"" + insideId + " " + outsideId + " " + count
					+ "\" goes past the largest ID, " + (ID_LIMIT - 1));
		}
	}

	/**
	 * Parses "INSIDE OUTSIDE COUNT", e.g. "0 100000 65536" (the format of {@code /proc/PID/uid_map}); the numbers may
	 * also be separated by ':' as on the command line ("0:100000:65536").
	 *
	 * @throws IllegalArgumentException with a sentence showing the expected form
	 */
	public static IdMap parse(String text) {
		Objects.requireNonNull(text, "text");
		String[] parts = text.trim().split("[\\s:]+");
		if (parts.length != 3) {
			throw bad(text);
		}
		long[] n = new long[3];
		for (int i = 0; i < 3; i++) {
			if (!parts[i].matches("[0-9]{1,10}")) {
				throw bad(text);
			}
			n[i] = Long.parseLong(parts[i]);
		}
		return new IdMap(n[0], n[1], n[2]);
	}

	private static IllegalArgumentException bad(String text) {
		return new IllegalArgumentException(Text.quote(text)
				+ " is not an id map; use INSIDE OUTSIDE COUNT, e.g. 0 100000 65536");
	}

	/** Whether the ranges of IDs inside the container overlap. */
	public boolean overlapsInside(IdMap other) {
		return insideId < other.insideId + other.count && other.insideId < insideId + count;
	}

	/** Whether the ranges of IDs on the host overlap. */
	public boolean overlapsOutside(IdMap other) {
		return outsideId < other.outsideId + other.count && other.outsideId < outsideId + count;
	}

	/** The host ID of {@code inside}, or -1 when this map does not cover it. */
	public long toOutside(long inside) {
		return inside >= insideId && inside < insideId + count ? outsideId + (inside - insideId) : -1;
	}

	/** The command line form "0:100000:65536" (no spaces, no quoting needed). */
	public String toCli() {
		return insideId + ":" + outsideId + ":" + count;
	}

	/** The {@code uid_map} line form "0 100000 65536". */
	@Override
	public String toString() {
		return insideId + " " + outsideId + " " + count;
	}
}
