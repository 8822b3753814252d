package org.berth.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

/** The sweeps of {@link PolledMonitoring}, driven by hand over containers and counters of the test's own. */
class PolledMonitoringTest {

	final List<ContainerSnapshot> containers = new ArrayList<>();
	final Map<String, Long> cpu = new ConcurrentHashMap<>();
	final List<String> asked = new ArrayList<>();

	ContainerSnapshot running(String name, Instant started) {
		return new ContainerSnapshot(ContainerSpec.builder(name).build(), ContainerState.RUNNING, 100, started, null,
				Map.of());
	}

	PolledMonitoring monitoring() {
		return new PolledMonitoring(() -> List.copyOf(containers), name -> {
			asked.add(name);
			if (name.equals("broken")) {
				return CompletableFuture.failedFuture(new BerthException("usage", name, "gone"));
			}
			return CompletableFuture.completedFuture(new Usage(Instant.now(), cpu.getOrDefault(name, 0L), 1 << 20,
					1 << 20, -1, 3, -1, 0, 0, -1, -1, 0, 0, 0, 0));
		}, () -> 2, Duration.ofSeconds(1), Tier.DEFAULTS);
	}

	@Test
	void twoReadingsMakeASampleAndANewRunANewStretch() {
		Instant first = Instant.parse("2026-12-04T10:00:00Z");
		containers.add(running("web", first));
		containers.add(ContainerSnapshot.stopped(ContainerSpec.builder("idle").build()));
		containers.add(running("broken", first));
		try (PolledMonitoring m = monitoring()) {
			m.sweep();
			assertTrue(m.history("web").orElseThrow().latest().isEmpty(), "one reading makes no rate");
			assertTrue(m.history("idle").isEmpty(), "a stopped container is not asked");
			cpu.put("web", 500_000_000L);
			m.sweep();
			UsageSample s = m.history("web").orElseThrow().latest().orElseThrow();
			assertEquals(1 << 20, s.usage().memoryBytes());
			assertTrue(s.cpuPercent() > 0, "cpu: " + s.cpuPercent());
			assertTrue(m.history("broken").orElseThrow().latest().isEmpty(), "no answer, no sample");
			assertEquals(2, m.sweeps());

			containers.set(0, running("web", first.plusSeconds(60))); // restarted: its counters begin again
			cpu.put("web", 1_000L);
			m.sweep();
			assertTrue(m.history("web").orElseThrow().latest().isEmpty(), "no rate across two runs");
			cpu.put("web", 2_000L);
			m.sweep();
			assertTrue(m.history("web").orElseThrow().latest().isPresent(), "the new run's first rate");

			containers.remove(0);
			m.sweep();
			assertTrue(m.history("web").isEmpty(), "a destroyed container's history goes");
		}
	}

	@Test
	void whatIsWatchedIsAskedEverySweepTheRestEveryBackgroundInterval() {
		Instant started = Instant.now();
		containers.add(running("a", started));
		containers.add(running("b", started));
		try (PolledMonitoring m = monitoring()) {
			m.setBackgroundInterval(Duration.ofHours(1));
			m.sweep();
			assertEquals(List.of("a", "b"), asked, "nothing watched: all");
			try (Monitoring.Watch w = m.watch(List.of("a"))) {
				asked.clear();
				m.sweep();
				m.sweep();
				assertEquals(List.of("a", "a"), asked, "b waits for its background interval");
				// one that starts while the watch is open is asked at once, then waits like b
				containers.add(running("c", started));
				asked.clear();
				m.sweep();
				m.sweep();
				assertEquals(List.of("a", "c", "a"), asked, "c at its first sweep, then at its background interval");
			}
			asked.clear();
			m.sweep();
			assertEquals(List.of("a", "b", "c"), asked, "the watch closed: all again");
		}
	}
}
