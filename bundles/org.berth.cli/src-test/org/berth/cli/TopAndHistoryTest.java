package org.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.berth.core.ContainerSpec;
import org.berth.core.Limits;
import org.berth.core.Sizes;
import org.berth.core.Usage;
import org.berth.core.UsageCsv;
import org.berth.core.UsageSample;
import org.junit.jupiter.api.Test;

/** {@code berth top} and {@code berth stats --history --csv} over an engine whose sampler the test scripts. */
class TopAndHistoryTest {

	static UsageSample sample(double cpu, long memory, long memoryLimit) {
		Usage u = new Usage(Instant.EPOCH, 0, memory, memory, memoryLimit, 3, 100, 1, 0, 10, 20, 0, 0, 0, 0);
		return new UsageSample(u, cpu, Double.NaN, 0, 2048, 1024, 0, 512);
	}

	private final FakeLocalEngine engine = monitored();

	/** An engine whose sampler has one sample of three of its four containers. */
	private static FakeLocalEngine monitored() {
		FakeLocalEngine e = new FakeLocalEngine();
		e.addRunning(ContainerSpec.builder("web").limits(Limits.NONE.withMemoryBytes(256 * Sizes.MIB)).build());
		e.addRunning(ContainerSpec.builder("db").build());
		e.addRunning(ContainerSpec.builder("idle").build());
		e.add(ContainerSpec.builder("off").build());
		e.monitor().of("web").add(1_000, sample(12.5, 100 * Sizes.MIB, 256 * Sizes.MIB));
		e.monitor().of("db").add(1_000, sample(40, 50 * Sizes.MIB, -1));
		e.monitor().of("idle").add(1_000, sample(0.25, 300 * Sizes.MIB, -1));
		return e;
	}

	@Test
	void topOnceSortsByCpuByDefault() {
		Cli.Result r = new Cli(engine).run("top", "--once");
		assertEquals(0, r.code(), r::toString);
		List<String> lines = r.outLines();
		assertEquals(4, lines.size(), r::toString);
		assertTrue(lines.get(0).startsWith("NAME"), lines.get(0));
		assertEquals(List.of("db", "web", "idle"), lines.subList(1, 4).stream().map(l -> l.split("\\s+")[0]).toList());
		assertEquals(List.of("db", "running", "40.0", "-", "50", "MiB", "-", "3/100", "2", "KiB/s", "1", "KiB/s", "0",
				"B/s", "512", "B/s", "1"), List.of(lines.get(1).split("\\s+")));
		assertTrue(lines.get(2).contains("256 MiB"), lines.get(2));
		assertTrue(r.out().indexOf('\033') < 0, "no screen clearing into a pipe");
	}

	@Test
	void topSortsByMemoryOrName() {
		assertEquals(List.of("idle", "web", "db"), names(new Cli(engine).run("top", "--once", "--sort", "mem")));
		assertEquals(List.of("db", "idle", "web"), names(new Cli(engine).run("top", "--once", "--sort=name")));
	}

	@Test
	void topSetsTheSamplingInterval() {
		assertEquals(0, new Cli(engine).run("top", "--once", "--interval", "250ms").code());
		assertEquals(Duration.ofMillis(250), engine.monitor().interval());
	}

	@Test
	void topRefusesUnknownKeysAndDurations() {
		Cli.Result bad = new Cli(engine).run("top", "--sort", "disk");
		assertEquals(2, bad.code());
		ErrorsTest.assertOneErrorLine(bad, "--sort: \"disk\" is no sort key; use cpu, mem or name");
		Cli.Result badInterval = new Cli(engine).run("top", "--interval", "soon");
		assertEquals(2, badInterval.code());
		ErrorsTest.assertOneErrorLine(badInterval, "--interval: \"soon\" is not a duration; write e.g. 2s, 500ms"
				+ " or 1m");
	}

	@Test
	void topOfAContainerWithoutSampleYetShowsDashes() {
		engine.addRunning(ContainerSpec.builder("new").build());
		List<String> lines = new Cli(engine).run("top", "--once", "--sort", "name", "--interval", "1ms").outLines();
		assertEquals(List.of("new", "running", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"),
				List.of(lines.get(3).split("\\s+")));
	}

	@Test
	void historyAsCsv() {
		engine.monitor().of("web").add(2_000, sample(50, 110 * Sizes.MIB, 256 * Sizes.MIB));
		Cli.Result r = new Cli(engine).run("stats", "web", "--history", "--csv", "--duration", "2s", "--interval",
				"1s");
		assertEquals(0, r.code(), r::toString);
		List<String> lines = r.outLines();
		assertEquals(UsageCsv.header(), lines.get(0));
		assertEquals(3, lines.size());
		assertTrue(lines.get(0).startsWith("time,container,cpu_percent,cpu_quota_percent,"), lines.get(0));
		assertEquals("1970-01-01T00:00:01Z,web,12.500,,0,104857600,104857600,268435456,3,100,2048,1024,0,512,1,0,0",
				lines.get(1));
		assertTrue(lines.get(2).startsWith("1970-01-01T00:00:02Z,web,50,"), lines.get(2));
		assertEquals(Duration.ofSeconds(1), engine.monitor().interval());
	}

	@Test
	void historyNeedsCsvARunningContainerAndAnEngineThatSamples() {
		Cli.Result noCsv = new Cli(engine).run("stats", "web", "--history");
		assertEquals(2, noCsv.code());
		ErrorsTest.assertOneErrorLine(noCsv, "--history and --csv go together: the history is written as CSV"
				+ " (see berth stats --help)");
		Cli.Result stopped = new Cli(engine).run("stats", "off", "--history", "--csv");
		assertEquals(1, stopped.code());
		ErrorsTest.assertOneErrorLine(stopped, "\"off\" is not running");
		FakeLocalEngine plain = new FakeLocalEngine().addRunning(ContainerSpec.builder("c1").build());
		Cli.Result none = new Cli(plain).run("stats", "c1", "--history", "--csv");
		assertEquals(1, none.code());
		ErrorsTest.assertOneErrorLine(none, "this engine keeps no usage history, so it cannot sample");
	}

	@Test
	void helpSaysThatTheCliSamplesFirst() {
		String help = new Cli(engine).run("stats", "--help").out();
		assertTrue(help.contains("keeps no history of its own"), help);
		assertTrue(help.contains("--duration"), help);
		String top = new Cli(engine).run("top", "--help").out();
		assertTrue(top.contains("--once") && top.contains("--sort"), top);
	}

	@Test
	void durations() {
		assertEquals(Duration.ofMillis(500), Sampling.parse("500ms"));
		assertEquals(Duration.ofMillis(1500), Sampling.parse("1.5"));
		assertEquals(Duration.ofMinutes(2), Sampling.parse("2m"));
		assertEquals(Duration.ofHours(1), Sampling.parse("1h"));
	}

	private static List<String> names(Cli.Result r) {
		return r.outLines().subList(1, r.outLines().size()).stream().map(l -> l.split("\\s+")[0]).toList();
	}
}
