package org.berth.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {

	@ParameterizedTest
	@CsvSource({
			"256M, 268435456",
			"1G, 1073741824",
			"512k, 524288",
			"1048576, 1048576",
			"1.5G, 1610612736",
			"256 MiB, 268435456",
			"256MB, 268435456",
			"2T, 2199023255552",
			"1.3K, 1331",
			"10B, 10",
			"0, 0",
			"' 64m ', 67108864",
	})
	void parsesSizes(String text, long expected) {
		assertEquals(expected, Sizes.parseBytes(text));
	}

	@Test
	void rejectsWordsWithASentence() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parseBytes("abc"));
		assertEquals("\"abc\" is not a size; use a number with an optional unit K, M, G or T, e.g. 256M",
				e.getMessage());
	}

	@ParameterizedTest
	@ValueSource(strings = {"-1", "12Q", "1.2.3M", "M", "1 G B", "0x10", "1e3"})
	void rejectsMalformedSizes(String text) {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parseBytes(text));
		assertEquals("\"" + text + "\" is not a size; use a number with an optional unit K, M, G or T, e.g. 256M",
				e.getMessage());
	}

	@Test
	void rejectsEmptyAndHugeSizes() {
		assertEquals("a size is missing; use a number with an optional unit K, M, G or T, e.g. 256M",
				assertThrows(IllegalArgumentException.class, () -> Sizes.parseBytes(" ")).getMessage());
		assertEquals("\"99999999T\" is too large for a size; the largest is 8 EiB",
				assertThrows(IllegalArgumentException.class, () -> Sizes.parseBytes("99999999T")).getMessage());
	}

	@Test
	void parsesOptionalLimits() {
		assertNull(Sizes.parseLimit("max"));
		assertNull(Sizes.parseLimit("Unlimited"));
		assertNull(Sizes.parseLimit(""));
		assertNull(Sizes.parseLimit(null));
		assertEquals(1073741824L, Sizes.parseLimit("1G"));
	}

	@ParameterizedTest
	@CsvSource({
			"268435456, 256 MiB",
			"1610612736, 1.5 GiB",
			"512, 512 B",
			"0, 0 B",
			"1024, 1 KiB",
			"1536, 1.5 KiB",
			"1048575, 1 MiB",
			"4194305, 4 MiB",
			"2199023255552, 2 TiB",
			"-1048576, -1 MiB",
	})
	void formatsForPeople(long bytes, String expected) {
		assertEquals(expected, Sizes.formatBytes(bytes));
	}

	@ParameterizedTest
	@CsvSource({
			"268435456, 256M",
			"1610612736, 1536M",
			"1000, 1000",
			"0, 0",
			"2147483648, 2G",
			"1099511627776, 1T",
			"1536, 1536",
			"3072, 3K",
	})
	void formatsExactlyAndParsesBack(long bytes, String expected) {
		assertEquals(expected, Sizes.formatExact(bytes));
		assertEquals(bytes, Sizes.parseBytes(expected));
	}

	@ParameterizedTest
	@CsvSource({"0.5, 0.5", "2, 2.0", ".25, 0.25", "1024, 1024.0", "' 1.50 ', 1.5"})
	void parsesCpus(String text, double expected) {
		assertEquals(expected, Sizes.parseCpus(text));
	}

	@ParameterizedTest
	@ValueSource(strings = {"abc", "-1", "NaN", "1e3", "", "0.5cpu", "Infinity"})
	void rejectsBadCpus(String text) {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parseCpus(text));
		assertEquals("\"" + text + "\" is not a number of CPUs; use a number such as 0.5 or 2", e.getMessage());
	}

	@Test
	void formatsCpusWithoutTrailingZeros() {
		assertEquals("0.5", Sizes.formatCpus(0.5));
		assertEquals("2", Sizes.formatCpus(2.0));
		assertEquals("0.125", Sizes.formatCpus(0.125));
	}

	/** The exact rules, with BigDecimal (which the code avoids for start-up time): one decimal, half up. */
	private static String formatBytesByBigDecimal(long bytes) {
		if (bytes < 0) {
			return "-" + formatBytesByBigDecimal(-bytes);
		}
		String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
		int unit = 0;
		BigDecimal value = BigDecimal.valueOf(bytes);
		BigDecimal k = BigDecimal.valueOf(1024);
		while (unit < units.length - 1 && value.compareTo(k) >= 0) {
			value = value.divide(k);
			unit++;
		}
		BigDecimal rounded = value.setScale(1, RoundingMode.HALF_UP);
		if (rounded.compareTo(k) >= 0 && unit < units.length - 1) {
			rounded = rounded.divide(k).setScale(1, RoundingMode.HALF_UP);
			unit++;
		}
		return rounded.stripTrailingZeros().toPlainString() + " " + units[unit];
	}

	@Test
	void formatsAsTheExactRuleDoes() {
		Random random = new Random(7);
		for (int i = 0; i < 20_000; i++) {
			long bytes = switch (i % 4) {
				case 0 -> random.nextLong() >>> random.nextInt(64); // every magnitude
				case 1 -> (1L << (10 * (1 + random.nextInt(6)))) - 1 - random.nextInt(100_000); // just below a unit
				case 2 -> ((1L << (10 * random.nextInt(6))) * (1 + random.nextInt(1024)) / 20 * 20 + random.nextInt(3));
				default -> random.nextInt(1 << 20);
			};
			assertEquals(formatBytesByBigDecimal(bytes), Sizes.formatBytes(bytes), "bytes " + bytes);
		}
		assertEquals(formatBytesByBigDecimal(Long.MAX_VALUE), Sizes.formatBytes(Long.MAX_VALUE));
		assertEquals("-8 EiB", Sizes.formatBytes(Long.MIN_VALUE));
	}

	@Test
	void parsesFractionsAsTheExactRuleDoes() {
		Random random = new Random(11);
		String[] units = {"", "K", "M", "G", "T"};
		for (int i = 0; i < 5_000; i++) {
			StringBuilder number = new StringBuilder(random.nextInt(100_000) + ".");
			for (int d = random.nextInt(19); d > 0; d--) {
				number.append(random.nextInt(10));
			}
			int u = random.nextInt(units.length);
			long expected = new BigDecimal(number + "0").multiply(BigDecimal.valueOf(1L << (10 * u)))
					.setScale(0, RoundingMode.DOWN).longValueExact();
			assertEquals(expected, Sizes.parseBytes(number + units[u]), number + units[u]);
		}
		assertEquals(Long.MAX_VALUE, Sizes.parseBytes(Long.toString(Long.MAX_VALUE)));
		assertEquals("\"8388608T\" is too large for a size; the largest is 8 EiB",
				assertThrows(IllegalArgumentException.class, () -> Sizes.parseBytes("8388608T")).getMessage());
		assertEquals(512, Sizes.parseBytes(".5K"));
		assertEquals(1024, Sizes.parseBytes("1.K"));
	}

	@Test
	void formatsNumbersWithoutExponentOrTrailingZeros() {
		for (double d : new double[]{0.5, 2.0, -3.0, 1e-7, 1e20, 123.456, 1e14 + 1, -0.25, 0.1 + 0.2, 12345678.9}) {
			assertEquals(BigDecimal.valueOf(d).stripTrailingZeros().toPlainString(), Text.number(d), "" + d);
		}
	}
}
