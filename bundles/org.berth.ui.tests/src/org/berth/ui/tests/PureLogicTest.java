package org.berth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.NamespaceIdentity;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceType;
import org.berth.core.Sizes;
import org.berth.ui.internal.Formats;
import org.berth.ui.internal.app.EngineStatusItem;
import org.berth.ui.namespaces.NamespaceCell;
import org.junit.jupiter.api.Test;

/** The console's pure parts: cell texts, drift, formats, the status text. No workbench needed. */
class PureLogicTest {

	private static ContainerSnapshot running(ContainerSpec spec, Map<NamespaceType, NamespaceIdentity> ns) {
		return new ContainerSnapshot(spec, ContainerState.RUNNING, 42, Instant.now(), null, ns);
	}

	@Test
	void aStoppedContainerShowsItsConfiguration() {
		ContainerSnapshot s = ContainerSnapshot.stopped(ContainerSpec.builder("c2").share(NamespaceType.UTS, "c1")
				.build());
		NamespaceCell cell = NamespaceCell.of(s, NamespaceType.UTS, List.of());
		assertEquals("share with c1", cell.text());
		assertFalse(cell.actual());
		assertFalse(cell.drift());
	}

	@Test
	void theUserColumnSaysWhoseRootTheContainersIs() {
		ContainerSnapshot own = ContainerSnapshot.stopped(ContainerSpec.builder("c1").userNamespace(1048576, 65536)
				.build());
		assertEquals("new · host ids 1048576–1114111", NamespaceCell.of(own, NamespaceType.USER, List.of()).text());
		ContainerSnapshot root = ContainerSnapshot.stopped(ContainerSpec.builder("c2")
				.namespace(NamespaceType.USER, NamespaceMode.HOST).build());
		assertTrue(NamespaceCell.of(root, NamespaceType.USER, List.of()).text().endsWith(" (privileged)"));
		assertEquals("new", NamespaceCell.of(own, NamespaceType.UTS, List.of()).text(), "only in the user column");
	}

	@Test
	void aRunningContainerShowsTheActualSharingAndWhoJoined() {
		ContainerSnapshot c1 = running(ContainerSpec.builder("c1").build(),
				Map.of(NamespaceType.UTS, new NamespaceIdentity(NamespaceType.UTS, 100, NamespaceMode.NEW, null)));
		NamespaceCell cell = NamespaceCell.of(c1, NamespaceType.UTS, List.of("c2", "c3"));
		assertEquals("new · joined by c2, c3", cell.text());
		assertTrue(cell.actual());
		assertFalse(cell.drift());
		assertTrue(cell.tooltip().startsWith("uts:[100]"), cell.tooltip());
	}

	@Test
	void aDifferenceFromTheConfigurationIsADrift() {
		ContainerSnapshot c2 = running(ContainerSpec.builder("c2").share(NamespaceType.UTS, "c1").build(),
				Map.of(NamespaceType.UTS, new NamespaceIdentity(NamespaceType.UTS, 7, NamespaceMode.NEW, null)));
		NamespaceCell cell = NamespaceCell.of(c2, NamespaceType.UTS, List.of());
		assertEquals("new (configured: share with c1)", cell.text());
		assertTrue(cell.drift());

		ContainerSnapshot other = running(ContainerSpec.builder("c3").share(NamespaceType.NET, "c1").build(),
				Map.of(NamespaceType.NET, new NamespaceIdentity(NamespaceType.NET, 9, NamespaceMode.SHARE, "c9")));
		assertTrue(NamespaceCell.of(other, NamespaceType.NET, List.of()).drift(), "shared, but with another one");
	}

	@Test
	void formats() {
		Instant t = Instant.parse("2026-01-01T00:00:00Z");
		assertEquals("5 s", Formats.uptime(t, t.plusSeconds(5)));
		assertEquals("2 min 05 s", Formats.uptime(t, t.plusSeconds(125)));
		assertEquals("1 h 01 min", Formats.uptime(t, t.plusSeconds(3660)));
		assertEquals("2 d 3 h", Formats.uptime(t, t.plusSeconds(2 * 86400 + 3 * 3600)));
		assertEquals("12 MiB / 256 MiB", Formats.memory(12 * Sizes.MIB, 256 * Sizes.MIB));
		assertEquals("12 MiB / no limit", Formats.memory(12 * Sizes.MIB, -1));
		assertEquals("7 / 512", Formats.pids(7, 512));
		assertEquals("1.5 KiB / 300 B", Formats.net(1536, 300));
		assertEquals("host's network", Formats.net(-1, -1));
		assertEquals("none (loopback only)", Formats.network(org.berth.core.NetworkSpec.NONE));
		assertEquals("veth on br0, 10.88.0.5/24",
				Formats.network(org.berth.core.NetworkSpec.veth("br0", "10.88.0.5/24")));
		assertEquals("veth on the default bridge, an address from the engine's range",
				Formats.network(org.berth.core.NetworkSpec.veth(null, null)));
		assertEquals("Starting…", Formats.state(ContainerState.STARTING));
		assertEquals("", Formats.percent(Double.NaN));
		assertEquals("12.5 %", Formats.percent(12.5));
	}

	@Test
	void statusText() {
		assertEquals("No engine", EngineStatusItem.text(null));
		ContainerSnapshot a = running(ContainerSpec.builder("a").build(), Map.of());
		ContainerSnapshot b = ContainerSnapshot.stopped(ContainerSpec.builder("b").build());
		assertEquals("Engine connected · 1 running / 2 total", EngineStatusItem.text(List.of(a, b)));
	}
}
