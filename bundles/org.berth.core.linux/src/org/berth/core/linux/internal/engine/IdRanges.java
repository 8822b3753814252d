package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.berth.core.IdMap;

/**
 * The host ids containers with a user namespace of their own are mapped to: blocks of {@link #BLOCK} ids, aligned
 * to {@link #BLOCK}, inside root's subordinate ranges ({@code /etc/subuid}, {@code /etc/subgid}: lines
 * {@code root:START:COUNT} or {@code 0:START:COUNT}; setup adds {@code root:1000000:1000000000} when root has none),
 * or inside {@link #DEFAULT} when root has no range in either file. Two containers never get overlapping blocks:
 * the lowest block that no other container's uid or gid maps touch is taken. Pure, but for {@link #ofHost()}.
 */
record IdRanges(List<Range> uids, List<Range> gids) {

	/** Ids per container: 0..65535 inside, as every distribution's tools expect. */
	static final long BLOCK = 65536;

	/** Used when root has no subordinate range: a billion ids from one million, as setup writes them. */
	static final Range DEFAULT = new Range(1_000_000, 1_000_000_000);

	/** {@code count} host ids from {@code start}. */
	record Range(long start, long count) {
		long end() {
			return start + count;
		}
	}

	IdRanges {
		uids = List.copyOf(uids);
		gids = List.copyOf(gids);
	}

	/** Root's ranges on this host, or {@link #DEFAULT} for a file that has none (or is missing). */
	static IdRanges ofHost() throws IOException {
		return new IdRanges(orDefault(rootRanges(read(Path.of("/etc/subuid")))),
				orDefault(rootRanges(read(Path.of("/etc/subgid")))));
	}

	private static List<String> read(Path file) throws IOException {
		try {
			return Files.readAllLines(file);
		} catch (NoSuchFileException e) {
			return List.of();
		}
	}

	private static List<Range> orDefault(List<Range> ranges) {
		return ranges.isEmpty() ? List.of(DEFAULT) : ranges;
	}

	/** Root's ranges in the lines of a subuid or subgid file; lines that are not {@code NAME:START:COUNT} are skipped. */
	static List<Range> rootRanges(List<String> lines) {
		List<Range> out = new ArrayList<>();
		for (String line : lines) {
			String[] f = line.trim().split(":");
			if (f.length != 3 || !(f[0].equals("root") || f[0].equals("0"))) {
				continue;
			}
			try {
				long start = Long.parseLong(f[1]);
				long count = Long.parseLong(f[2]);
				if (start > 0 && count > 0) {
					out.add(new Range(start, count));
				}
			} catch (NumberFormatException e) {
				// not a range: skipped, as shadow's tools skip it
			}
		}
		return out;
	}

	/**
	 * The lowest aligned block inside both a uid and a gid range that no map in {@code used} (other containers' uid
	 * and gid maps) touches on the host; empty when the ranges are full.
	 */
	Optional<IdMap> allocate(Collection<IdMap> used) {
		for (Range r : sorted(uids)) {
			long base = (r.start() + BLOCK - 1) / BLOCK * BLOCK;
			while (base + BLOCK <= r.end()) {
				long b = base;
				Optional<IdMap> clash = used.stream().filter(m -> overlaps(m, b)).findFirst();
				if (clash.isEmpty() && within(gids, base)) {
					return Optional.of(new IdMap(0, base, BLOCK));
				}
				base = clash.isPresent()
						? Math.max(base + BLOCK, alignUp(clash.get().outsideId() + clash.get().count()))
						: base + BLOCK;
			}
		}
		return Optional.empty();
	}

	private static List<Range> sorted(List<Range> ranges) {
		List<Range> out = new ArrayList<>(ranges);
		out.sort((a, b) -> Long.compare(a.start(), b.start()));
		return out;
	}

	private static long alignUp(long id) {
		return (id + BLOCK - 1) / BLOCK * BLOCK;
	}

	private static boolean overlaps(IdMap m, long base) {
		return m.outsideId() < base + BLOCK && base < m.outsideId() + m.count();
	}

	private static boolean within(List<Range> ranges, long base) {
		return ranges.stream().anyMatch(r -> r.start() <= base && base + BLOCK <= r.end());
	}
}
