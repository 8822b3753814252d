package org.berth.ui.containers;

import java.time.Instant;
import java.util.Comparator;
import java.util.function.BiFunction;

import org.berth.core.ContainerSnapshot;
import org.berth.core.Usage;
import org.berth.ui.internal.Formats;

/** The columns of the Containers view: header, width, cell text and sort order. */
enum Column {
	NAME("Name", 170, (i, now) -> i.name(), Comparator.comparing(ContainerItem::name)),
	STATE("State", 110, (i, now) -> Formats.state(i.snapshot().state()),
			Comparator.comparing(i -> i.snapshot().state())),
	KIND("Kind", 95, (i, now) -> Formats.kind(i.snapshot().spec().kind()),
			Comparator.comparing(i -> i.snapshot().spec().kind())),
	PID("Init PID", 80, (i, now) -> i.snapshot().initPid() > 0 ? Long.toString(i.snapshot().initPid()) : "",
			Comparator.comparingLong(i -> i.snapshot().initPid())),
	UPTIME("Uptime", 95, (i, now) -> i.snapshot().isActive() ? Formats.uptime(i.snapshot().startedAt(), now) : "",
			Comparator.comparing(i -> startedAt(i.snapshot()), Comparator.reverseOrder())),
	CPU("CPU % of host", 130, (i, now) -> Formats.percent(i.cpuPercent()),
			Comparator.comparingDouble(i -> Double.isNaN(i.cpuPercent()) ? -1 : i.cpuPercent())),
	MEMORY("Memory used / limit", 220,
			(i, now) -> i.usage() == null ? "" : Formats.memory(i.usage().memoryBytes(), i.usage().memoryLimitBytes()),
			Comparator.comparingLong(i -> i.usage() == null ? -1 : i.usage().memoryBytes())),
	PIDS("Pids", 80, (i, now) -> i.usage() == null ? "" : Formats.pids(i.usage().pids(), i.usage().pidsLimit()),
			Comparator.comparingLong(i -> i.usage() == null ? -1 : i.usage().pids())),
	NET("Net rx / tx", 150,
			(i, now) -> i.usage() == null ? "" : Formats.net(i.usage().netRxBytes(), i.usage().netTxBytes()),
			Comparator.comparingLong(i -> netTotal(i.usage()))),
	/** Shown second (see {@link #SHOWN}); last here so that the columns before keep their indices. */
	HOST("Host", 150, (i, now) -> i.away() ? i.host() + " (reconnecting)" : i.host(),
			Comparator.comparing(ContainerItem::host));

	/** The order the table shows the columns in, by ordinal: Name, Host, then the others. */
	static final int[] SHOWN = {0, 9, 1, 2, 3, 4, 5, 6, 7, 8};

	final String header;
	final int width;
	final BiFunction<ContainerItem, Instant, String> text;
	final Comparator<ContainerItem> order;

	Column(String header, int width, BiFunction<ContainerItem, Instant, String> text, Comparator<ContainerItem> order) {
		this.header = header;
		this.width = width;
		this.text = text;
		this.order = order.thenComparing(ContainerItem::name);
	}

	private static Instant startedAt(ContainerSnapshot s) {
		return s.startedAt() == null || !s.isActive() ? Instant.MAX : s.startedAt();
	}

	private static long netTotal(Usage u) {
		return u == null || !u.hasOwnNetwork() ? -1 : u.netRxBytes() + u.netTxBytes();
	}
}
