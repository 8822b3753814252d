package org.berth.core.linux.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.berth.core.linux.internal.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnlineCpusTest {

	@Test
	void countsRangesAndSingles() {
		assertEquals(5, OnlineCpus.count(Fixtures.text("sys/cpu-online.txt")));
		assertEquals(1, OnlineCpus.count("0\n"));
		assertEquals(64, OnlineCpus.count("0-63"));
	}

	@Test
	void rejectsWhatIsNoList() {
		assertThrows(IllegalArgumentException.class, () -> OnlineCpus.count("zero"));
		assertThrows(IllegalArgumentException.class, () -> OnlineCpus.count("3-1"));
	}

	@Test
	void readsTheFileOrFallsBackToTheJvmsCount(@TempDir Path dir) throws Exception {
		Path file = dir.resolve("online");
		Fixtures.copy("sys/cpu-online.txt", file);
		assertEquals(5, OnlineCpus.read(file));
		assertEquals(Runtime.getRuntime().availableProcessors(), OnlineCpus.read(dir.resolve("missing")));
		assertTrue(OnlineCpus.read(OnlineCpus.FILE) >= 1);
	}
}
