package org.berth.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
