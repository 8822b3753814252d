package org.berth.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.NamespaceType;
import org.junit.jupiter.api.Test;

/** The order the agent starts {@code --autostart} containers in (pure). */
class AutostartTest {

	private static ContainerSnapshot stopped(ContainerSpec.Builder b) {
		return ContainerSnapshot.stopped(b.build());
	}

	@Test
	void sharersComeAfterWhatTheyShareThenByName() {
		List<ContainerSnapshot> all = List.of(
				stopped(ContainerSpec.builder("web").autostart(true).share(NamespaceType.NET, "db")),
				stopped(ContainerSpec.builder("db").autostart(true)),
				stopped(ContainerSpec.builder("app").autostart(true)),
				stopped(ContainerSpec.builder("manual")),
				stopped(ContainerSpec.builder("side").autostart(true).share(NamespaceType.UTS, "manual")),
				stopped(ContainerSpec.builder("up").autostart(true)).withState(ContainerState.RUNNING),
				stopped(ContainerSpec.builder("next").autostart(true).share(NamespaceType.IPC, "up")));
		Autostart.Plan plan = Autostart.plan(all);
		assertEquals(List.of("app", "db", "next", "web"), plan.order());
		assertEquals(List.of("side"), List.copyOf(plan.blocked().keySet()));
		assertTrue(plan.blocked().get("side").contains("manual"), plan.blocked().toString());
	}

	@Test
	void lowerBootOrderFirstButNeverBeforeWhatItShares() {
		List<ContainerSnapshot> all = List.of(
				stopped(ContainerSpec.builder("a").autostart(true).bootOrder(5)),
				stopped(ContainerSpec.builder("b").autostart(true).bootOrder(-1).bootDelaySeconds(3)),
				stopped(ContainerSpec.builder("c").autostart(true).share(NamespaceType.NET, "a")),
				stopped(ContainerSpec.builder("d").autostart(true)));
		assertEquals(List.of("b", "d", "a", "c"), Autostart.plan(all).order());
	}
}
