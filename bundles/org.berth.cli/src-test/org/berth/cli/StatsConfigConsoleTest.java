package org.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.berth.core.ContainerSpec;
import org.berth.core.Sizes;
import org.berth.core.Usage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

class StatsConfigConsoleTest {

	private static final Usage USAGE = new Usage(Instant.parse("2025-03-01T10:00:00Z"), 12_345_000_000L,
			12 * Sizes.MIB + 300 * Sizes.KIB, 20 * Sizes.MIB, 256 * Sizes.MIB, 4, 100, 1, 2, 1536, 300, 0,
			4 * Sizes.KIB, 3, 200_000_000L);

	private final FakeLocalEngine engine = new FakeLocalEngine().addRunning(ContainerSpec.builder("c1").build())
			.add(ContainerSpec.builder("c2").build()).usage("c1", USAGE);

	@Test
	void statsForPeople() {
		Cli.Result r = new Cli(engine).run("stats", "c1");
		assertEquals(0, r.code(), r::toString);
		assertEquals(List.of(
				"cpu              12.35 s",
				"throttled        3 periods, 0.20 s",
				"memory           12.3 MiB (peak 20 MiB, limit 256 MiB)",
				"oom kills        1",
				"pids             4 (limit 100)",
				"pids limit hits  2",
				"network          received 1.5 KiB, sent 300 B",
				"block io         read 0 B, written 4 KiB"), r.outLines());
	}

	@Test
	void statsAsJson() {
		Cli.Result r = new Cli(engine).run("stats", "c1", "--json");
		assertEquals(0, r.code(), r::toString);
		JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
		assertEquals(Set.of("name", "at", "cpuNanos", "cpuSeconds", "memoryBytes", "memoryPeakBytes",
				"memoryLimitBytes", "pids", "pidsLimit", "oomKills", "pidsLimitHits", "netRxBytes", "netTxBytes",
				"ioReadBytes", "ioWriteBytes", "cpuThrottledPeriods", "cpuThrottledNanos"), o.keySet());
		assertEquals("c1", o.get("name").getAsString());
		assertEquals("2025-03-01T10:00:00Z", o.get("at").getAsString());
		assertEquals(12.345, o.get("cpuSeconds").getAsDouble(), 1e-9);
		assertEquals(256 * Sizes.MIB, o.get("memoryLimitBytes").getAsLong());
		assertEquals(100, o.get("pidsLimit").getAsLong());
	}

	@Test
	void noLimitIsNullInJson() {
		engine.usage("c1", FakeLocalEngine.usageWithMemory(Sizes.MIB));
		JsonObject o = JsonParser.parseString(new Cli(engine).run("stats", "c1", "--json").out()).getAsJsonObject();
		assertTrue(o.get("memoryLimitBytes").isJsonNull());
		assertTrue(o.get("pidsLimit").isJsonNull());
	}

	@Test
	void theHostsNetworkIsNotShownAsTheContainers() {
		engine.usage("c1", new Usage(USAGE.at(), 0, 0, 0, -1, 1, -1, 0, 0, -1, -1, 0, 0, 0, 0));
		assertTrue(new Cli(engine).run("stats", "c1").outLines()
				.contains("network          the host's (no network namespace of its own)"));
		JsonObject o = JsonParser.parseString(new Cli(engine).run("stats", "c1", "--json").out()).getAsJsonObject();
		assertTrue(o.get("netRxBytes").isJsonNull());
		assertTrue(o.get("netTxBytes").isJsonNull());
	}

	@Test
	void statsOfAStoppedContainer() {
		Cli.Result r = new Cli(engine).run("stats", "c2");
		assertEquals(1, r.code());
		ErrorsTest.assertOneErrorLine(r, "\"c2\" is not running");
	}

	@Test
	void configPrintsTheCreateCommand() {
		Cli.Result r = new Cli(engine).run("config", "c1");
		assertEquals(List.of("berth create c1 --template busybox"), r.outLines());
	}

	@Test
	void consolePrintsTheLog(@TempDir Path dir) throws IOException {
		engine.consoleDir = dir;
		Files.writeString(dir.resolve("c1.log"), "init started\nwelcome to c1\n");
		Cli.Result r = new Cli(engine).run("console", "c1");
		assertEquals(0, r.code(), r::toString);
		assertEquals("init started\nwelcome to c1\n", r.out());
		Cli.Result none = new Cli(engine).run("console", "c2");
		assertEquals(1, none.code());
		ErrorsTest.assertOneErrorLine(none, "\"c2\" has no console log yet");
		Cli.Result ghost = new Cli(engine).run("console", "ghost");
		ErrorsTest.assertOneErrorLine(ghost, "no container named \"ghost\"");
	}
}
