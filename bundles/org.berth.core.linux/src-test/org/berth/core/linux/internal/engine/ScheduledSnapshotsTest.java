package org.berth.core.linux.internal.engine;

import static org.berth.core.linux.internal.engine.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.berth.core.ContainerSpec;
import org.berth.core.SnapshotInfo;
import org.berth.core.SnapshotSchedule;
import org.berth.core.linux.internal.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Snapshots on time, with a running container: taken when due, the oldest automatic ones deleted, named ones kept. */
class ScheduledSnapshotsTest {

	private TestEngine t;

	@BeforeEach
	void setUp() throws Exception {
		assumeTrue(Host.isRoot(), "integration tests start real containers and need root");
		assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs Debian's busybox-static");
		t = new TestEngine();
	}

	@AfterEach
	void tearDown() throws Exception {
		if (t != null) {
			t.close();
		}
	}

	private List<String> names(String c) throws Exception {
		return await(t.engine.snapshots(c)).stream().map(SnapshotInfo::name).toList();
	}

	@Test
	void takenWhenDueKeptAsManyAsSaid() throws Exception {
		t.define(ContainerSpec.builder("sch").template("busybox").build());
		t.start("sch");
		await(t.engine.createSnapshot("sch", "mine"));
		assertNull(await(t.engine.snapshotSchedule("sch")));
		await(t.engine.setSnapshotSchedule("sch", new SnapshotSchedule(Duration.ofHours(1), 2)));
		assertEquals("1h", await(t.engine.snapshotSchedule("sch")).everyText());

		Instant t0 = Instant.now();
		List<String> first = await(t.engine.runSchedules(t0));
		assertEquals(1, first.size(), first.toString());
		assertTrue(first.get(0).startsWith("sch: took auto-"), first.toString());
		assertEquals(List.of(), await(t.engine.runSchedules(t0.plus(Duration.ofMinutes(10)))), "not due yet");
		await(t.engine.runSchedules(t0.plus(Duration.ofHours(1))));
		List<String> third = await(t.engine.runSchedules(t0.plus(Duration.ofHours(2))));
		assertTrue(third.stream().anyMatch(l -> l.contains("deleted auto-")), third.toString());
		List<String> all = names("sch");
		assertEquals(2, all.stream().filter(n -> n.startsWith("auto-")).count(), all.toString());
		assertTrue(all.contains("mine"), "a named snapshot stays: " + all);

		await(t.engine.setSnapshotSchedule("sch", null));
		assertEquals(List.of(), await(t.engine.runSchedules(t0.plus(Duration.ofHours(5)))));
	}
}
