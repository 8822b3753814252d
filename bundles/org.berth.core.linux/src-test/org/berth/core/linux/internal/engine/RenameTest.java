package org.berth.core.linux.internal.engine;

import static org.berth.core.linux.internal.engine.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.berth.core.ContainerExistsException;
import org.berth.core.ContainerSpec;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.NamespaceType;
import org.berth.core.SnapshotInfo;
import org.berth.core.linux.internal.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Renaming a stopped container, as root with real containers: what goes with it and what is refused. */
class RenameTest {

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

	private String sh(String name, String script) throws Exception {
		ExecResult r = await(t.engine.exec(name, ExecRequest.of("sh", "-c", script)));
		assertEquals(0, r.exitCode(), script + ": " + r.stderrText());
		return r.stdoutText();
	}

	private static Throwable failure(CompletableFuture<?> f) {
		return assertThrows(ExecutionException.class, f::get).getCause();
	}

	@Test
	void filesSnapshotsAndIdsGoWithTheNewName() throws Exception {
		t.define(ContainerSpec.builder("old").template("busybox").build());
		t.start("old");
		sh("old", "echo kept >/root/file");
		await(t.engine.createSnapshot("old", "s1"));
		String refused = failure(t.engine.rename("old", "new")).getMessage();
		assertTrue(refused.contains("stop it before renaming it"), refused);
		await(t.engine.stop("old", Duration.ofSeconds(10)));
		var ids = t.engine.get("old").orElseThrow().spec().uidMaps();

		assertEquals("new", await(t.engine.rename("old", "new")).name());
		assertTrue(t.engine.get("old").isEmpty());
		assertFalse(Files.exists(t.configRoot.resolve("old")));
		assertEquals(ids, t.engine.get("new").orElseThrow().spec().uidMaps(), "its block of host ids");
		assertEquals(List.of("s1"), await(t.engine.snapshots("new")).stream().map(SnapshotInfo::name).toList());
		t.start("new");
		assertEquals("new kept", sh("new", "echo $(hostname) $(cat /root/file)").trim());
	}

	@Test
	void refusalsSayWhyAndChangeNothing() throws Exception {
		t.define(ContainerSpec.builder("a").template("busybox").build());
		t.define(ContainerSpec.builder("b").template("busybox").share(NamespaceType.UTS, "a").build());
		String shared = failure(t.engine.rename("a", "c")).getMessage();
		assertTrue(shared.contains("\"b\" shares its uts namespace with \"a\""), shared);
		assertTrue(failure(t.engine.rename("b", "a")) instanceof ContainerExistsException);
		String bad = failure(t.engine.rename("b", "../x")).getMessage();
		assertTrue(bad.contains("is not a valid container name"), bad);
		assertTrue(t.engine.get("a").isPresent() && t.engine.get("b").isPresent() && t.engine.get("c").isEmpty());
	}
}
