package org.berth.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class NamespaceSpecTest {

	@Test
	void procNamesAreTheFilesUnderProcPidNs() {
		assertEquals(List.of("mnt", "uts", "ipc", "pid", "net", "user", "cgroup", "time"),
				Arrays.stream(NamespaceType.values()).map(NamespaceType::procName).toList());
	}

	@Test
	void cloneFlagsAreLinuxs() {
		assertEquals(0x00020000L, NamespaceType.MNT.cloneFlag());
		assertEquals(0x40000000L, NamespaceType.NET.cloneFlag());
		assertEquals(0x10000000L, NamespaceType.USER.cloneFlag());
		assertEquals(0x00000080L, NamespaceType.TIME.cloneFlag());
		assertEquals(0x02000000L, NamespaceType.CGROUP.cloneFlag());
	}

	@ParameterizedTest
	@EnumSource(NamespaceType.class)
	void everyTypeExplainsWhatItIsolates(NamespaceType type) {
		assertTrue(type.isolates().length() > 15, type + ": " + type.isolates());
		assertFalse(type.isolates().contains("\n"));
	}

	@Test
	void netIsolatesTheNetwork() {
		assertTrue(NamespaceType.NET.isolates().contains("network devices"));
		assertTrue(NamespaceType.UTS.isolates().contains("hostname"));
	}

	@ParameterizedTest
	@CsvSource({"mnt, MNT", "MNT, MNT", "mount, MNT", "Network, NET", "net, NET", "cgroup, CGROUP", "Time, TIME",
			"' user ', USER", "UTS, UTS", "ipc, IPC", "pid, PID"})
	void parsesTypes(String text, NamespaceType expected) {
		assertEquals(expected, NamespaceType.parse(text));
	}

	@Test
	void unknownTypeNamesTheAcceptedWords() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NamespaceType.parse("foo"));
		assertEquals("\"foo\" is not a namespace type; use mnt, uts, ipc, pid, net, user, cgroup or time",
				e.getMessage());
	}

	static Stream<NamespaceSpec> allSpecs() {
		return Arrays.stream(NamespaceType.values()).flatMap(t -> Stream.of(NamespaceSpec.ofNew(t),
				NamespaceSpec.host(t), NamespaceSpec.share(t, "web-1.a_b")));
	}

	@ParameterizedTest
	@MethodSource("allSpecs")
	void toCliParsesBack(NamespaceSpec spec) {
		assertEquals(spec, NamespaceSpec.parse(spec.toCli()));
	}

	@Test
	void parsesTheCliSyntax() {
		assertEquals(NamespaceSpec.host(NamespaceType.NET), NamespaceSpec.parse("net=host"));
		assertEquals(NamespaceSpec.host(NamespaceType.NET), NamespaceSpec.parse("NET=HOST"));
		assertEquals(NamespaceSpec.ofNew(NamespaceType.MNT), NamespaceSpec.parse("mount=new"));
		assertEquals(NamespaceSpec.share(NamespaceType.PID, "c1"), NamespaceSpec.parse(" pid = share: c1 "));
		assertEquals(NamespaceSpec.share(NamespaceType.IPC, "Web"), NamespaceSpec.parse("ipc=SHARE:Web"));
		assertEquals("pid=share:c1", NamespaceSpec.share(NamespaceType.PID, "c1").toCli());
		assertEquals("uts=new", NamespaceSpec.ofNew(NamespaceType.UTS).toCli());
		assertEquals("time=host", NamespaceSpec.host(NamespaceType.TIME).toCli());
	}

	@Test
	void missingEqualsSign() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NamespaceSpec.parse("net"));
		assertEquals("\"net\" is not a namespace setting; use TYPE=new, TYPE=host or TYPE=share:CONTAINER,"
				+ " e.g. net=host", e.getMessage());
	}

	@Test
	void unknownMode() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> NamespaceSpec.parse("net=bogus"));
		assertEquals("\"bogus\" in \"net=bogus\" is not a namespace mode; use new, host or share:CONTAINER",
				e.getMessage());
	}

	@Test
	void shareWithoutContainer() {
		for (String text : List.of("net=share:", "net=share", "net=share:  ")) {
			IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
					() -> NamespaceSpec.parse(text));
			assertEquals("\"" + text + "\" does not say which container to share with; use net=share:CONTAINER,"
					+ " e.g. net=share:c1", e.getMessage());
		}
	}

	@Test
	void unknownTypeInSetting() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> NamespaceSpec.parse("foo=new"));
		assertEquals("\"foo\" is not a namespace type; use mnt, uts, ipc, pid, net, user, cgroup or time",
				e.getMessage());
	}

	@Test
	void shareWithIsSetExactlyForShare() {
		assertEquals("sharing the pid namespace needs the name of the container to share with, e.g. pid=share:c1",
				assertThrows(IllegalArgumentException.class,
						() -> new NamespaceSpec(NamespaceType.PID, NamespaceMode.SHARE, null)).getMessage());
		assertEquals("net=host cannot name a container (\"c1\"); only net=share:CONTAINER does",
				assertThrows(IllegalArgumentException.class,
						() -> new NamespaceSpec(NamespaceType.NET, NamespaceMode.HOST, "c1")).getMessage());
		assertNull(NamespaceSpec.ofNew(NamespaceType.NET).shareWith());
		assertEquals("c2", new NamespaceSpec(NamespaceType.NET, NamespaceMode.SHARE, " c2 ").shareWith());
	}

	@Test
	void idMapParsesAndPrints() {
		IdMap m = IdMap.parse("0 100000 65536");
		assertEquals(new IdMap(0, 100000, 65536), m);
		assertEquals("0 100000 65536", m.toString());
		assertEquals("0:100000:65536", m.toCli());
		assertEquals(m, IdMap.parse("0:100000:65536"));
		assertEquals(m, IdMap.parse("  0\t100000   65536\n"));
		assertEquals(100005, m.toOutside(5));
		assertEquals(-1, m.toOutside(65536));
	}

	@Test
	void idMapRejectsBadText() {
		for (String text : List.of("0 100000", "a b c", "0 100000 65536 1", "-1 0 1", "")) {
			IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdMap.parse(text));
			assertEquals("\"" + text + "\" is not an id map; use INSIDE OUTSIDE COUNT, e.g. 0 100000 65536",
					e.getMessage());
		}
		assertEquals("id map \"0 100000 0\" maps no IDs; the count must be at least 1",
				assertThrows(IllegalArgumentException.class, () -> IdMap.parse("0 100000 0")).getMessage());
		assertEquals("id map \"0 4294967290 10\" goes past the largest ID, 4294967294",
				assertThrows(IllegalArgumentException.class, () -> IdMap.parse("0 4294967290 10")).getMessage());
	}

	@Test
	void idMapOverlaps() {
		IdMap a = new IdMap(0, 100000, 1000);
		assertTrue(a.overlapsInside(new IdMap(999, 500000, 1)));
		assertFalse(a.overlapsInside(new IdMap(1000, 500000, 1)));
		assertTrue(a.overlapsOutside(new IdMap(5000, 100999, 1)));
		assertFalse(a.overlapsOutside(new IdMap(5000, 101000, 1)));
	}
}
