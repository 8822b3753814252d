package org.berth.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LifecycleTest {

	/** db joins web's net namespace, app joins db's uts; solo shares nothing. */
	private static final Map<String, ContainerSpec> SPECS = Map.of(
			"web", ContainerSpec.builder("web").build(),
			"db", ContainerSpec.builder("db").share(NamespaceType.NET, "web").build(),
			"app", ContainerSpec.builder("app").share(NamespaceType.UTS, "db").build(),
			"solo", ContainerSpec.builder("solo").build());

	/** The engine calls made, as "stop c1 PT3S". */
	private final List<String> calls = new ArrayList<>();
	/** What the engine's operations fail with; null: they work. */
	private BerthException failure;
	private final ContainerEngine engine = recordingEngine();

	/**
	 * An engine that knows {@link #SPECS}, records each operation in {@link #calls} and answers it with a stopped
	 * snapshot (destroy: with nothing), or fails it with {@link #failure}.
	 */
	private ContainerEngine recordingEngine() {
		return (ContainerEngine) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[]{ContainerEngine.class}, (proxy, method, args) -> {
					if (method.getName().equals("get")) {
						return Optional.ofNullable(SPECS.get((String) args[0])).map(ContainerSnapshot::stopped);
					}
					if (method.getReturnType() != CompletableFuture.class) {
						throw new UnsupportedOperationException(method.getName());
					}
					calls.add(method.getName() + " " + Arrays.stream(args).map(String::valueOf)
							.collect(Collectors.joining(" ")));
					if (failure != null) {
						return CompletableFuture.failedFuture(failure);
					}
					return CompletableFuture.completedFuture(method.getName().equals("destroy") ? null
							: ContainerSnapshot.stopped(ContainerSpec.builder((String) args[0]).build()));
				});
	}

	@ParameterizedTest
	@CsvSource({"START, start c1", "STOP, stop c1 PT3S", "RESTART, restart c1 PT3S", "KILL, kill c1",
			"FREEZE, freeze c1", "THAW, thaw c1", "DESTROY, destroy c1"})
	void eachOperationMakesItsEngineCall(Lifecycle op, String call) throws Exception {
		Optional<ContainerSnapshot> after = op.run(engine, "c1", Duration.ofSeconds(3)).get();
		assertEquals(List.of(call), calls);
		assertEquals(op != Lifecycle.DESTROY, after.isPresent(), "the snapshot afterwards; none after destroy");
		after.ifPresent(s -> assertEquals("c1", s.name()));
	}

	@Test
	void stopAndRestartWaitTenSecondsUnlessTold() throws Exception {
		assertEquals(Duration.ofSeconds(10), Lifecycle.DEFAULT_TIMEOUT);
		assertEquals(10, Lifecycle.DEFAULT_TIMEOUT_SECONDS);
		Lifecycle.STOP.run(engine, "c1").get();
		Lifecycle.RESTART.run(engine, "c2").get();
		Lifecycle.START.run(engine, "c3").get();
		assertEquals(List.of("stop c1 PT10S", "restart c2 PT10S", "start c3"), calls);
	}

	@Test
	void theEnginesFailureComesThrough() {
		failure = new IllegalTransitionException("c1", ContainerState.RUNNING, Action.START);
		ExecutionException e = assertThrows(ExecutionException.class,
				() -> Lifecycle.START.run(engine, "c1").get());
		assertSame(failure, e.getCause());
		e = assertThrows(ExecutionException.class, () -> Lifecycle.DESTROY.run(engine, "c1").get());
		assertSame(failure, e.getCause());
	}

	@Test
	void eachOperationIsTheStateMachinesAction() {
		for (Lifecycle op : Lifecycle.values()) {
			assertEquals(op.name(), op.action().name());
		}
	}

	@Test
	void startAndRestartTakeTheSharedOnesFirst() {
		for (Lifecycle op : List.of(Lifecycle.START, Lifecycle.RESTART)) {
			assertTrue(op.ordered(), op::name);
			assertEquals(List.of("solo", "web", "db", "app"), op.order(engine, List.of("app", "solo", "db", "web")));
		}
	}

	@Test
	void destroyTakesTheSharersFirst() {
		assertTrue(Lifecycle.DESTROY.ordered());
		assertEquals(List.of("app", "db", "web", "solo"),
				Lifecycle.DESTROY.order(engine, List.of("web", "db", "app", "solo")));
	}

	@Test
	void theOthersKeepTheOrderGiven() {
		for (Lifecycle op : EnumSet.of(Lifecycle.STOP, Lifecycle.KILL, Lifecycle.FREEZE, Lifecycle.THAW)) {
			assertFalse(op.ordered(), op::name);
			assertEquals(List.of("web", "db", "app"), op.order(engine, List.of("web", "db", "app")));
		}
	}

	@Test
	void eachNameOnceWhereItIsFirstGiven() {
		assertEquals(List.of("db", "web"), Lifecycle.STOP.order(engine, List.of("db", "web", "db")));
		assertEquals(List.of("web", "db"), Lifecycle.START.order(engine, List.of("db", "web", "db", "web")));
		assertEquals(List.of("ghost"), Lifecycle.DESTROY.order(engine, List.of("ghost", "ghost")));
		assertEquals(List.of(), Lifecycle.KILL.order(engine, List.of()));
	}
}
