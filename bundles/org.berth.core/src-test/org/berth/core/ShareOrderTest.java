package org.berth.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

class ShareOrderTest {

	/** db joins web's net namespace, app joins db's uts and web's ipc; solo shares nothing. */
	private static final Map<String, ContainerSpec> SPECS = Map.of(
			"web", ContainerSpec.builder("web").build(),
			"db", ContainerSpec.builder("db").share(NamespaceType.NET, "web").build(),
			"app", ContainerSpec.builder("app").share(NamespaceType.UTS, "db").share(NamespaceType.IPC, "web").build(),
			"solo", ContainerSpec.builder("solo").build());
	private static final Function<String, Optional<ContainerSpec>> LOOKUP = n -> Optional.ofNullable(SPECS.get(n));

	@Test
	void startTakesTheSharedOnesFirstAndKeepsTheGivenOrderOtherwise() {
		assertEquals(List.of("solo", "web", "db", "app"),
				ShareOrder.sharedFirst(List.of("app", "solo", "db", "web"), LOOKUP));
		assertEquals(List.of("web", "solo", "db"), ShareOrder.sharedFirst(List.of("web", "solo", "db"), LOOKUP));
	}

	@Test
	void destroyTakesTheSharersFirst() {
		assertEquals(List.of("app", "db", "web", "solo"),
				ShareOrder.sharersFirst(List.of("web", "db", "app", "solo"), LOOKUP));
	}

	@Test
	void unknownNamesAndOnesOutsideTheListDoNotMatter() {
		assertEquals(List.of("ghost", "db"), ShareOrder.sharedFirst(List.of("ghost", "db"), LOOKUP));
		assertEquals(List.of(), ShareOrder.sharersFirst(List.of(), LOOKUP));
	}
}
