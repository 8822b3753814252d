package org.berth.core.linux.internal.cgroup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A group's counter files, opened once and read again at every sample: what {@link Group#stats()} reads, at a
 * tenth of the cost (see {@link CounterFile}). A file the host lacks reads as -1, as in {@link Group#stats()}.
 * Once the group is removed its reads fail with an {@link IOException}; close it then. One thread reads it.
 */
public abstract class GroupCounters implements AutoCloseable {

	private static final byte[][] OOM_KILL = CounterFile.keys("oom_kill");
	private static final byte[][] PIDS_MAX = CounterFile.keys("max");
	private static final byte[][] V1_CPU_STAT = CounterFile.keys("nr_throttled", "throttled_time");
	private static final byte[][] V2_CPU_STAT = CounterFile.keys("usage_usec", "nr_throttled", "throttled_usec");
	private static final byte[] V1_READ = " Read ".getBytes();
	private static final byte[] V1_WRITE = " Write ".getBytes();
	private static final byte[] V2_READ = "rbytes=".getBytes();
	private static final byte[] V2_WRITE = "wbytes=".getBytes();

	private final List<CounterFile> open;
	/** How often the limits are read again (in readings): at 1 s, a limit set elsewhere shows within 10 s. */
	static final int LIMITS_EVERY = 10;

	final long[] values = new long[3];
	final long[] io = new long[2];
	final long[] limits = new long[3];
	/** Readings made so far; the subclasses count up after each. */
	long readings;
	final CounterFile.Buffer buffer;

	/** @param open where the files it opens are listed, so that a failure half-way can close them */
	GroupCounters(CounterFile.Buffer buffer, List<CounterFile> open) {
		this.buffer = buffer;
		this.open = open;
	}

	/** One reading of every counter and limit. */
	public abstract CgroupStats read() throws IOException;

	CounterFile file(Optional<Path> dir, String name) throws IOException {
		if (dir.isEmpty()) {
			return null;
		}
		CounterFile f = CounterFile.openIfExists(dir.get().resolve(name), buffer);
		if (f != null) {
			open.add(f);
		}
		return f;
	}

	static long single(CounterFile f) throws IOException {
		return f == null ? -1 : f.single();
	}

	static long limit(CounterFile f) throws IOException {
		return f == null ? -1 : f.limit();
	}

	long keyed(CounterFile f, byte[][] keys, int index) throws IOException {
		if (f == null) {
			return -1;
		}
		f.keyed(keys, values);
		return values[index];
	}

	/** Sums after the two prefixes into {@link #io}; -1 each when the file is missing. */
	void sums(CounterFile f, byte[] read, byte[] write) throws IOException {
		if (f == null) {
			io[0] = -1;
			io[1] = -1;
		} else {
			f.sumsAfter(read, write, io);
		}
	}

	/**
	 * A limit, read again only every {@link #LIMITS_EVERY} readings: limits change only when someone sets them,
	 * and reading them costs as much as the counters. The engine's own {@code usage()} reads them fresh.
	 */
	long limit(CounterFile f, int slot) throws IOException {
		if (readings % LIMITS_EVERY == 0) {
			limits[slot] = limit(f);
		}
		return limits[slot];
	}

	@Override
	public void close() {
		closeAll(open);
	}

	private static void closeAll(List<CounterFile> files) {
		files.forEach(CounterFile::close);
		files.clear();
	}

	/** What the driver-specific constructors are: they open their files as they are made. */
	private interface Opener {
		GroupCounters open(List<CounterFile> opened) throws IOException;
	}

	private static GroupCounters opened(Opener opener) throws IOException {
		List<CounterFile> opened = new ArrayList<>();
		try {
			return opener.open(opened);
		} catch (IOException | RuntimeException e) {
			closeAll(opened);
			throw e;
		}
	}

	/** Counters that read {@link Group#stats()} each time, for a group that has no files of its own (tests). */
	static GroupCounters ofStats(Group group, CounterFile.Buffer buffer) {
		return new GroupCounters(buffer, new ArrayList<>()) {
			@Override
			public CgroupStats read() throws IOException {
				return group.stats();
			}
		};
	}

	/** The files of a v1 group, found in each controller's hierarchy. */
	static GroupCounters v1(Function<String, Optional<Path>> dir, CounterFile.Buffer buffer) throws IOException {
		return opened(opened -> new GroupCounters(buffer, opened) {
			private final CounterFile cpuUsage = file(dir.apply("cpuacct"), "cpuacct.usage");
			private final CounterFile memory = file(dir.apply("memory"), "memory.usage_in_bytes");
			private final CounterFile memoryPeak = file(dir.apply("memory"), "memory.max_usage_in_bytes");
			private final CounterFile memoryLimit = file(dir.apply("memory"), "memory.limit_in_bytes");
			private final CounterFile swapLimit = file(dir.apply("memory"), "memory.memsw.limit_in_bytes");
			private final CounterFile oom = file(dir.apply("memory"), "memory.oom_control");
			private final CounterFile pids = file(dir.apply("pids"), "pids.current");
			private final CounterFile pidsLimit = file(dir.apply("pids"), "pids.max");
			private final CounterFile pidsEvents = file(dir.apply("pids"), "pids.events");
			private final CounterFile blkio = file(dir.apply("blkio"), "blkio.throttle.io_service_bytes_recursive");
			private final CounterFile cpuStat = file(dir.apply("cpu"), "cpu.stat");

			@Override
			public CgroupStats read() throws IOException {
				long throttledPeriods = keyed(cpuStat, V1_CPU_STAT, 0);
				long throttledNanos = cpuStat == null ? -1 : values[1];
				sums(blkio, V1_READ, V1_WRITE);
				CgroupStats s = new CgroupStats(single(cpuUsage), single(memory), single(memoryPeak),
						limit(memoryLimit, 0), limit(swapLimit, 1), keyed(oom, OOM_KILL, 0), single(pids),
						limit(pidsLimit, 2), keyed(pidsEvents, PIDS_MAX, 0), io[0], io[1], throttledPeriods,
						throttledNanos);
				readings++;
				return s;
			}
		});
	}

	/** The files of a v2 group, all in its one directory. */
	static GroupCounters v2(Path dir, CounterFile.Buffer buffer) throws IOException {
		Optional<Path> d = Optional.of(dir);
		return opened(opened -> new GroupCounters(buffer, opened) {
			private final CounterFile cpuStat = file(d, "cpu.stat");
			private final CounterFile memory = file(d, "memory.current");
			private final CounterFile memoryPeak = file(d, "memory.peak");
			private final CounterFile memoryLimit = file(d, "memory.max");
			private final CounterFile swapLimit = file(d, "memory.swap.max");
			private final CounterFile memoryEvents = file(d, "memory.events");
			private final CounterFile pids = file(d, "pids.current");
			private final CounterFile pidsLimit = file(d, "pids.max");
			private final CounterFile pidsEvents = file(d, "pids.events");
			private final CounterFile ioStat = file(d, "io.stat");

			@Override
			public CgroupStats read() throws IOException {
				long usageMicros = keyed(cpuStat, V2_CPU_STAT, 0);
				long throttledPeriods = cpuStat == null ? -1 : values[1];
				long throttledMicros = cpuStat == null ? -1 : values[2];
				long limit = limit(memoryLimit, 0);
				long swap = limit(swapLimit, 1);
				sums(ioStat, V2_READ, V2_WRITE);
				CgroupStats s = new CgroupStats(usageMicros < 0 ? -1 : usageMicros * 1000, single(memory),
						single(memoryPeak), limit, limit >= 0 && swap >= 0 ? limit + swap : -1,
						keyed(memoryEvents, OOM_KILL, 0), single(pids), limit(pidsLimit, 2),
						keyed(pidsEvents, PIDS_MAX, 0), io[0], io[1], throttledPeriods,
						throttledMicros < 0 ? -1 : throttledMicros * 1000);
				readings++;
				return s;
			}
		});
	}
}
