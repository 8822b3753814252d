package org.berth.core.linux.internal.cgroup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.berth.core.linux.internal.proc.NetDev;
import org.berth.core.linux.internal.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The byte parsers of the kept-open counter files give what the line parsers of {@link ControlFiles} give. */
class CounterFileTest {

	@TempDir
	Path dir;

	private final CounterFile.Buffer buffer = new CounterFile.Buffer(4096);

	private CounterFile file(String content) throws IOException {
		Path f = dir.resolve("f" + System.nanoTime());
		Files.writeString(f, content);
		return CounterFile.open(f, buffer);
	}

	@Test
	void singleAndLimitAsControlFiles() throws IOException {
		try (CounterFile f = file("299700389\n")) {
			assertEquals(299700389L, f.single());
		}
		try (CounterFile f = file("max\n")) {
			assertEquals(-1, f.limit());
		}
		try (CounterFile f = file("9223372036854771712\n")) {
			assertEquals(-1, f.limit(), "v1's no limit");
		}
		try (CounterFile f = file("4194304\n")) {
			assertEquals(4194304, f.limit());
		}
		try (CounterFile f = file("lots\n")) {
			IOException e = assertThrows(IOException.class, f::single);
			assertTrue(e.getMessage().endsWith("does not hold a number: \"lots\""), e.getMessage());
		}
	}

	@Test
	void keyedFindsWholeKeysOnlyAndMissingOnesAreMinusOne() throws IOException {
		long[] values = new long[3];
		try (CounterFile f = file("usage_usec 518300\nuser_usec 1\nnr_throttled 37\nthrottled_usec_x 5\n")) {
			f.keyed(CounterFile.keys("usage_usec", "nr_throttled", "throttled_usec"), values);
		}
		assertArrayEquals(new long[]{518300, 37, -1}, values);
		Path oom = dir.resolve("oom");
		Fixtures.copy("cgroup/v1/memory.oom_control", oom);
		try (CounterFile f = CounterFile.open(oom, buffer)) {
			f.keyed(CounterFile.keys("oom_kill"), values);
		}
		assertEquals(ControlFiles.flatKeyed(Files.readAllLines(oom)).get("oom_kill"), values[0]);
	}

	@Test
	void sumsAsTheIoParsers() throws IOException {
		Path blkio = dir.resolve("blkio");
		Fixtures.copy("cgroup/v1/blkio.throttle.io_service_bytes_recursive", blkio);
		ControlFiles.IoBytes v1 = ControlFiles.blkioServiceBytes(Files.readAllLines(blkio));
		try (CounterFile f = CounterFile.open(blkio, buffer)) {
			assertEquals(v1.read(), f.sumAfter(" Read ".getBytes()));
			assertEquals(v1.written(), f.sumAfter(" Write ".getBytes()));
		}
		Path io = dir.resolve("io.stat");
		Fixtures.copy("cgroup/v2/io.stat", io);
		ControlFiles.IoBytes v2 = ControlFiles.ioStat(Files.readAllLines(io));
		try (CounterFile f = CounterFile.open(io, buffer)) {
			assertEquals(v2.read(), f.sumAfter("rbytes=".getBytes()));
			assertEquals(v2.written(), f.sumAfter("wbytes=".getBytes()));
		}
	}

	@Test
	void netDevTotalsLeaveOutLoopbackAsNetDev() throws IOException {
		Path dev = dir.resolve("dev");
		Fixtures.copy("proc/net-dev.txt", dev);
		NetDev.Counters expected = NetDev.parse(Files.readAllLines(dev)).totalExcludingLoopback();
		long[] totals = new long[2];
		try (CounterFile f = CounterFile.open(dev, buffer)) {
			f.netDevTotals(totals);
		}
		assertArrayEquals(new long[]{expected.rxBytes(), expected.txBytes()}, totals);
	}

	@Test
	void readsTheFileAgainEachTime() throws IOException {
		Path f = dir.resolve("memory.current");
		Files.writeString(f, "1\n");
		try (CounterFile c = CounterFile.open(f, buffer)) {
			assertEquals(1, c.single());
			Files.writeString(f, "123456\n");
			assertEquals(123456, c.single());
		}
	}

	@Test
	void aFileOfMoreThanOneShortReadIsReadToItsEnd() throws IOException {
		// more than CounterFile.WHOLE_BELOW: the first read may have been a page of a longer file, so it reads on
		StringBuilder netDev = new StringBuilder("Inter-|   Receive |  Transmit\n face |bytes packets|bytes\n");
		for (int i = 0; i < 70; i++) {
			netDev.append(String.format("veth%02d: %d 2 0 0 0 0 0 0 %d 3 0 0 0 0 0 0%n", i, 1000 + i, 10 * i));
		}
		assertTrue(netDev.length() > CounterFile.WHOLE_BELOW, "the fixture is long enough: " + netDev.length());
		long[] totals = new long[2];
		try (CounterFile f = file(netDev.toString())) {
			f.netDevTotals(totals);
		}
		assertArrayEquals(new long[]{70 * 1000 + 2415, 24150}, totals, "the last interfaces count too");
	}

	@Test
	void aMissingFileIsNullOrSaysSo() throws IOException {
		assertNull(CounterFile.openIfExists(dir.resolve("none"), buffer));
		assertThrows(NoSuchFileException.class, () -> CounterFile.open(dir.resolve("none"), buffer));
	}

	@Test
	void aFileLargerThanTheBufferIsAnErrorNotATruncatedNumber() throws IOException {
		try (CounterFile f = file("1".repeat(5000))) {
			IOException e = assertThrows(IOException.class, f::single);
			assertTrue(e.getMessage().contains("larger than the 4096 bytes"), e.getMessage());
		}
	}
}
