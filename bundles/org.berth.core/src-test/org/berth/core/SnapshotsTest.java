package org.berth.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SnapshotsTest {

	@Test
	void namespaceIdentityClassifiesByInode() {
		Map<String, Long> others = Map.of("web", 4026532500L, "db", 4026532600L, "alt", 4026532600L);
		assertEquals(new NamespaceIdentity(NamespaceType.NET, 4026531840L, NamespaceMode.HOST, null),
				NamespaceIdentity.classify(NamespaceType.NET, 4026531840L, 4026531840L, others));
		assertEquals(new NamespaceIdentity(NamespaceType.NET, 4026532500L, NamespaceMode.SHARE, "web"),
				NamespaceIdentity.classify(NamespaceType.NET, 4026532500L, 4026531840L, others));
		assertEquals("alt", NamespaceIdentity.classify(NamespaceType.NET, 4026532600L, 1, others).sharedWith());
		assertEquals(NamespaceMode.NEW,
				NamespaceIdentity.classify(NamespaceType.NET, 4026532999L, 4026531840L, others).actualMode());
		assertThrows(IllegalArgumentException.class,
				() -> new NamespaceIdentity(NamespaceType.PID, 1, NamespaceMode.SHARE, null));
	}

	@Test
	void snapshot() {
		ContainerSpec spec = ContainerSpec.builder("c1").build();
		ContainerSnapshot stopped = ContainerSnapshot.stopped(spec);
		assertEquals("c1", stopped.name());
		assertFalse(stopped.isRunning());
		assertFalse(stopped.isActive());
		assertEquals(0, stopped.initPid());
		assertNull(stopped.startedAt());
		Map<NamespaceType, NamespaceIdentity> ns = new HashMap<>();
		ns.put(NamespaceType.PID, new NamespaceIdentity(NamespaceType.PID, 5, NamespaceMode.NEW, null));
		ContainerSnapshot running = new ContainerSnapshot(spec, ContainerState.RUNNING, 4242, Instant.EPOCH, null, ns);
		ns.clear();
		assertTrue(running.isRunning());
		assertEquals(1, running.namespaces().size());
		assertThrows(UnsupportedOperationException.class, () -> running.namespaces().clear());
		ContainerSnapshot frozen = running.withState(ContainerState.FROZEN);
		assertFalse(frozen.isRunning());
		assertTrue(frozen.isActive());
		assertEquals(4242, frozen.initPid());
	}

	@Test
	void events() {
		ContainerSnapshot s = ContainerSnapshot.stopped(ContainerSpec.builder("c1").build());
		assertEquals(EngineEvent.Kind.DEFINED, new EngineEvent(EngineEvent.Kind.DEFINED, "c1", s).kind());
		assertNull(new EngineEvent(EngineEvent.Kind.DESTROYED, "c1", null).snapshot());
		assertEquals("STATE_CHANGED events carry the container's snapshot", assertThrows(
				IllegalArgumentException.class, () -> new EngineEvent(EngineEvent.Kind.STATE_CHANGED, "c1", null))
				.getMessage());
	}

	@Test
	void execRequestAndResultAreImmutable() {
		Map<String, String> env = new LinkedHashMap<>();
		env.put("TERM", "xterm");
		ExecRequest r = new ExecRequest(List.of("/bin/sh", "-c", "uptime"), env, " ", true);
		env.put("X", "y");
		assertEquals(Map.of("TERM", "xterm"), r.env());
		assertNull(r.cwd());
		assertEquals("an exec request needs a command, e.g. /bin/sh -c 'uptime'",
				assertThrows(IllegalArgumentException.class, () -> new ExecRequest(List.of(), null, null, false))
						.getMessage());
		assertEquals(List.of("/bin/true"), ExecRequest.of("/bin/true").command());

		byte[] out = "up 3 days\n".getBytes(StandardCharsets.UTF_8);
		ExecResult result = new ExecResult(0, out, null);
		out[0] = 'X';
		result.stdout()[1] = 'Y';
		assertEquals("up 3 days\n", result.stdoutText());
		assertArrayEquals(new byte[0], result.stderr());
		assertEquals(new ExecResult(0, "up 3 days\n".getBytes(StandardCharsets.UTF_8), new byte[0]), result);
		assertEquals(result.hashCode(),
				new ExecResult(0, "up 3 days\n".getBytes(StandardCharsets.UTF_8), null).hashCode());
		assertTrue(result.succeeded());
	}

	@Test
	void usageLimits() {
		Usage u = new Usage(Instant.EPOCH, 1, 2, 3, -1, 4, -1, 0, 0, 0, 0, 0, 0, 0, 0);
		assertFalse(u.hasMemoryLimit());
		assertFalse(u.hasPidsLimit());
	}
}
