package org.berth.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

class ExceptionsTest {

	@Test
	void nativeExceptionNamesCallTargetAndError() {
		NativeException e = new NativeException("pidfd_open", "4242", 3, "No such process");
		assertEquals("pidfd_open(4242): No such process", e.getMessage());
		assertEquals("pidfd_open", e.operation());
		assertEquals("4242", e.target());
		assertEquals(OptionalInt.of(3), e.errno());
		assertEquals("No such process", e.strerror());
		assertFalse(e.isPermissionDenied());
	}

	@Test
	void permissionErrorsSayTheyNeedRoot() {
		NativeException eperm = new NativeException("clone3", null, NativeException.EPERM, "Operation not permitted");
		assertEquals("clone3: Operation not permitted; this needs root", eperm.getMessage());
		assertTrue(eperm.isPermissionDenied());
		NativeException eacces = new NativeException("open", "/sys/fs/cgroup/berth/c1/memory.max", 13,
				"Permission denied");
		assertEquals("open(/sys/fs/cgroup/berth/c1/memory.max): Permission denied; this needs root",
				eacces.getMessage());
	}

	@Test
	void missingStrerrorShowsTheNumber() {
		NativeException e = new NativeException("setns", "7", 22, null);
		assertEquals("setns(7): errno 22", e.getMessage());
		assertEquals("errno 22", e.strerror());
	}

	@Test
	void containerExceptions() {
		NoSuchContainerException missing = new NoSuchContainerException("start", "x");
		assertEquals("no container named \"x\"", missing.getMessage());
		assertEquals("x", missing.name());
		assertEquals("start", missing.operation());
		assertEquals(OptionalInt.empty(), missing.errno());
		assertEquals("a container named \"c1\" already exists", new ContainerExistsException("c1").getMessage());
	}

	@Test
	void invalidSpecJoinsTheSentences() {
		InvalidSpecException e = new InvalidSpecException(List.of(Problem.error("name", "first"),
				Problem.error("limits.pids", "second")));
		assertEquals("first\nsecond", e.getMessage());
		assertEquals(2, e.problems().size());
		assertEquals("the container spec is invalid", new InvalidSpecException(List.of()).getMessage());
	}

	@Test
	void allAreCheckedBerthExceptions() {
		for (Class<?> c : List.of(InvalidSpecException.class, NoSuchContainerException.class,
				ContainerExistsException.class, IllegalTransitionException.class, NativeException.class)) {
			assertTrue(BerthException.class.isAssignableFrom(c), c.getName());
		}
		assertFalse(RuntimeException.class.isAssignableFrom(BerthException.class));
	}
}
