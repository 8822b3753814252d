package org.berth.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.berth.core.ContainerDiff;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.EngineEvent;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.Limits;
import org.berth.core.NamespaceIdentity;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceType;
import org.berth.core.Problem;
import org.berth.core.SnapshotInfo;
import org.berth.core.SpecDiff;
import org.berth.core.TerminalRequest;
import org.berth.core.TreeDiff;
import org.berth.core.Usage;
import org.berth.core.UsageSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WireTest {

	private static final Instant T = Instant.parse("2026-12-03T09:00:00.123Z");

	private static <T> T roundTrip(T value, Class<T> type) throws WireException {
		return Wire.fromJson(Wire.toJson(value), type);
	}

	@Test
	void snapshotsAndEventsRoundTrip() throws WireException {
		ContainerSpec spec = ContainerSpec.builder("c1").template("busybox")
				.limits(new Limits(256L << 20, null, 0.5, null, null, 100L))
				.build();
		ContainerSnapshot s = new ContainerSnapshot(spec, ContainerState.RUNNING, 4242, T, "exit 0",
				Map.of(NamespaceType.PID, new NamespaceIdentity(NamespaceType.PID, 4026531836L, NamespaceMode.NEW,
						null)));
		assertEquals(s, roundTrip(s, ContainerSnapshot.class));
		EngineEvent e = new EngineEvent(EngineEvent.Kind.STATE_CHANGED, "c1", s);
		assertEquals(e, roundTrip(e, EngineEvent.class));
		EngineEvent gone = new EngineEvent(EngineEvent.Kind.DESTROYED, "c1", null);
		assertEquals(gone, roundTrip(gone, EngineEvent.class));
	}

	@Test
	void usageExecSnapshotsTerminalsDiffsRoundTrip() throws WireException {
		Usage u = new Usage(T, 1, 2, 3, 4, 5, 6, 7, 8, -1, -1, 11, 12, 13, 14);
		assertEquals(u, roundTrip(u, Usage.class));
		UsageSample sample = new UsageSample(u, 12.5, Double.NaN, 0, Double.NaN, Double.NaN, 1, 2);
		assertEquals(sample.toString(), roundTrip(sample, UsageSample.class).toString());
		assertTrue(Wire.toJson(sample).contains("\"cpuQuotaPercent\":null"), Wire.toJson(sample));

		ExecRequest req = new ExecRequest(List.of("sh", "-c", "echo hi"), Map.of("A", "b"), "/tmp", false);
		assertEquals(req, roundTrip(req, ExecRequest.class));
		ExecResult res = new ExecResult(3, new byte[]{0, (byte) 0xff, 'a'}, "oops\n".getBytes());
		ExecResult back = roundTrip(res, ExecResult.class);
		assertEquals(3, back.exitCode());
		assertArrayEquals(res.stdout(), back.stdout());
		assertTrue(Wire.toJson(res).contains("\"stdout\":\"AP9h\""), Wire.toJson(res));

		ContainerSpec spec = ContainerSpec.builder("c2").build();
		SnapshotInfo info = new SnapshotInfo("c2", "snap0", T, 1234, true, spec);
		assertEquals(info, roundTrip(info, SnapshotInfo.class));

		TerminalRequest t = new TerminalRequest(List.of("/bin/sh"), 80, 24, "xterm", Set.of(NamespaceType.PID), false,
				Map.of("X", "y"), false);
		assertEquals(t, roundTrip(t, TerminalRequest.class));

		ContainerDiff d = new ContainerDiff("a", "b", List.of(new SpecDiff.Change("limits.cpus", "1", "2")),
				List.of(new TreeDiff.Change("/etc/x", TreeDiff.Kind.values()[0], TreeDiff.Type.values()[0],
						List.of(new TreeDiff.Detail("size", "1", "2")))));
		assertEquals(d, roundTrip(d, ContainerDiff.class));

		Problem p = Problem.error("limits.cpus", "must be positive");
		assertEquals(p, roundTrip(p, Problem.class));
		Limits l = new Limits(1L, 2L, 0.25, 100, "0-1", 50L);
		assertEquals(l, roundTrip(l, Limits.class));
		Api.StateChange sc = new Api.StateChange("stop", 5L);
		assertEquals(sc, roundTrip(sc, Api.StateChange.class));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { //
			"{\"action\":\"stop\",\"timout\":5}|timout: there is no such field", //
			"{\"action\":\"stop\",\"timeout\":\"soon\"}|timeout", //
			"{\"action\":\"stop\"|not valid JSON", //
			"{\"action\":\"stop\"} {}|more after", //
			"[1,2]|must be a JSON object", //
			"' '|no body", //
			"{'action':'stop'}|not valid JSON", //
	})
	void badStateChangesSayWhichField(String json, String expected) {
		WireException e = assertThrows(WireException.class, () -> Wire.fromJson(json, Api.StateChange.class));
		assertTrue(e.getMessage().contains(expected), e.getMessage());
		assertTrue(e.getMessage().endsWith("."), e.getMessage());
		assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { //
			"{\"name\":\"c1\",\"kind\":\"VM\"}|kind: \"VM\" is not one of", //
			"{\"name\":\"c1\",\"limits\":{\"cpus\":\"x\"}}|limits.cpus", //
			"{\"name\":\"c1\",\"limits\":{\"memory\":1}}|limits.memory: there is no such field", //
			"{\"name\":\"c1\",\"colour\":\"red\"}|colour: there is no such field", //
			"{\"name\":\"c1\",\"uidMaps\":[{\"inside\":0}]}|uidMaps[0].inside: there is no such field", //
	})
	void badSpecsSayWhichField(String json, String expected) {
		WireException e = assertThrows(WireException.class, () -> Wire.fromJson(json, ContainerSpec.class));
		assertTrue(e.getMessage().contains(expected), e.getMessage());
	}

	@Test
	void badExecBodiesSayWhichField() throws WireException {
		WireException e = assertThrows(WireException.class,
				() -> Wire.fromJson("{\"command\":[\"true\"],\"input\":\"x\"}", ExecRequest.class));
		assertTrue(e.getMessage().startsWith("input: there is no such field"), e.getMessage());
		e = assertThrows(WireException.class,
				() -> Wire.fromJson("{\"command\":[\"true\"],\"stdin\":\"!!\"}", ExecRequest.class));
		assertTrue(e.getMessage().startsWith("stdin: is not base64"), e.getMessage());
		assertEquals("hi", new String(Wire.fromJson("{\"command\":[\"cat\"],\"stdin\":\"aGk=\"}",
				ExecRequest.class).stdin(), java.nio.charset.StandardCharsets.UTF_8));
		e = assertThrows(WireException.class,
				() -> Wire.fromJson("{\"exitCode\":0,\"stdout\":\"***\",\"stderr\":\"\"}", ExecResult.class));
		assertTrue(e.getMessage().contains("stdout"), e.getMessage());
	}
}
