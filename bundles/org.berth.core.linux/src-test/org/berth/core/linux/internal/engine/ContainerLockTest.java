package org.berth.core.linux.internal.engine;

import static org.berth.core.linux.internal.engine.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.linux.internal.testing.Await;
import org.berth.core.linux.internal.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A container's operations run one at a time across engines and processes: a lock file per container
 * ({@code CONFIG_ROOT/.locks/NAME.lock}) held for the whole operation, and each operation looks at what is on disk
 * first. Real containers, as root.
 */
class ContainerLockTest {

	private TestEngine t;

	@BeforeEach
	void setUp() throws Exception {
		assumeTrue(Host.isRoot(), "integration tests start real containers and need root");
		assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs Debian's busybox-static");
		t = new TestEngine();
	}

	@AfterEach
	void tearDown() throws Exception {
		if (t != null) {
			t.close();
		}
	}

	@Test
	void twoEnginesStartingOneContainerAtOnceStartItOnceAndTheOtherSaysItRuns() throws Exception {
		t.define(ContainerSpec.builder("once").build());
		LinuxEngine other = t.reopen();
		try {
			List<CompletableFuture<ContainerSnapshot>> starts = List.of(t.engine.start("once"), other.start("once"));
			List<ContainerSnapshot> started = new ArrayList<>();
			List<String> refusals = new ArrayList<>();
			for (CompletableFuture<ContainerSnapshot> f : starts) {
				try {
					started.add(await(f));
				} catch (Exception e) {
					refusals.add(e.getMessage());
				}
			}
			assertEquals(1, started.size(), "one start: " + started + ", refused: " + refusals);
			assertEquals(ContainerState.RUNNING, started.get(0).state());
			assertEquals(1, refusals.size());
			assertTrue(refusals.get(0).contains("running"), refusals.get(0));
		} finally {
			other.close();
		}
	}

	@Test
	void anotherProcessHoldingTheLockMakesAStartWaitForIt() throws Exception {
		t.define(ContainerSpec.builder("waits").build());
		Path lockFile = t.configRoot.resolve(LinuxEngine.LOCKS).resolve("waits.lock");
		Path source = Files.createTempFile("HoldLock", ".java");
		Files.writeString(source, """
				import java.nio.channels.FileChannel;
				import java.nio.file.*;
				public class HoldLock {
				    public static void main(String[] a) throws Exception {
				        try (FileChannel ch = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE,
				                StandardOpenOption.WRITE); var lock = ch.lock()) {
				            System.out.println("locked");
				            System.out.flush();
				            System.in.read(); // until the test closes our stdin
				        }
				    }
				}
				""");
		Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				source.toString(), lockFile.toString()).redirectErrorStream(true).start();
		try {
			BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
					StandardCharsets.UTF_8));
			assertEquals("locked", out.readLine());
			CompletableFuture<ContainerSnapshot> start = t.engine.start("waits");
			Await.until("the engine's worker waits for the other process's lock", TestEngine.TIMEOUT,
					() -> Thread.getAllStackTraces().entrySet().stream()
							.anyMatch(e -> e.getKey().getName().startsWith("berth-engine-") && List
									.of(e.getValue()).stream().anyMatch(f -> f.getMethodName().equals("lock")
											&& f.getClassName().contains("FileChannel"))));
			assertFalse(start.isDone(), "no start while another process holds the container's lock");
			holder.getOutputStream().close();
			assertEquals(ContainerState.RUNNING, await(start).state());
		} finally {
			holder.destroy();
			holder.waitFor();
			Files.deleteIfExists(source);
		}
	}

	@Test
	void whatAStartKilledHalfWayLeftIsSweptByTheNextEngine() throws Exception {
		t.define(ContainerSpec.builder("half").build());
		String rel = t.config.cgroupParent() + "/half-1";
		org.berth.core.linux.internal.cgroup.CgroupDriver driver = org.berth.core.linux.internal.cgroup.CgroupDriver
				.detect();
		driver.create(rel); // made by a start whose process was then killed
		new RunDir(t.runRoot.resolve("half")).markStarting(new RunDir.Pending(rel, null));
		assertTrue(driver.open(rel).exists());
		LinuxEngine next = t.reopen();
		try {
			assertFalse(driver.open(rel).exists(), "the next engine swept the cgroup");
			assertFalse(Files.exists(t.runRoot.resolve("half").resolve(RunDir.PENDING)));
			assertEquals(ContainerState.STOPPED, next.get("half").orElseThrow().state());
		} finally {
			next.close();
		}
	}

	@Test
	void twoEnginesDefiningAtOnceNeverGiveTwoContainersTheSameIds() throws Exception {
		LinuxEngine other = t.reopen();
		try {
			List<CompletableFuture<ContainerSnapshot>> defs = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				defs.add(t.engine.define(ContainerSpec.builder("a" + i).build()));
				defs.add(other.define(ContainerSpec.builder("b" + i).build()));
			}
			java.util.Set<Long> bases = new java.util.HashSet<>();
			for (CompletableFuture<ContainerSnapshot> f : defs) {
				assertTrue(bases.add(await(f).spec().idBlock().orElseThrow().outsideId()),
						"a block given twice: " + bases);
			}
			assertEquals(12, bases.size());
		} finally {
			other.close();
		}
	}
}
