package org.berth.core.linux.internal.engine;

import static org.berth.core.linux.internal.engine.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.util.List;

import org.berth.core.BerthException;
import org.berth.core.ContainerDiff;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.Limits;
import org.berth.core.Sizes;
import org.berth.core.SnapshotInfo;
import org.berth.core.SpecDiff;
import org.berth.core.TreeDiff;
import org.berth.core.linux.internal.snapshots.SnapshotStore;
import org.berth.core.linux.internal.snapshots.TreeScan;
import org.berth.core.linux.internal.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Snapshots of real containers, as root: taken while running (frozen for the copy), restored while stopped, compared
 * with the container, made into a new container. Each test ends with everything it made removed.
 */
class RootfsSnapshotsTest {

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

	private ExecResult sh(String name, String script) throws Exception {
		ExecResult r = await(t.engine.exec(name, ExecRequest.of("sh", "-c", script)));
		assertEquals(0, r.exitCode(), () -> script + ": " + r.stderrText());
		return r;
	}

	private static String xattr(Path file, String name) throws Exception {
		UserDefinedFileAttributeView v = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
		ByteBuffer b = ByteBuffer.allocate(v.size(name));
		v.read(name, b);
		return new String(b.array(), StandardCharsets.UTF_8);
	}

	@Test
	void restoreGivesBackTheTreeOfTheSnapshotAndDiffListsExactlyTheChanges() throws Exception {
		t.define(ContainerSpec.builder("c1").template("busybox").build());
		t.start("c1");
		sh("c1", "mkdir -p /data && echo one > /data/kept && echo two > /data/gone && echo three > /data/edited"
				+ " && chmod 640 /data/kept && chown 7:8 /data/kept && ln /data/kept /data/link");
		Path rootfs = t.configRoot.resolve("c1/rootfs");
		Files.getFileAttributeView(rootfs.resolve("data/kept"), UserDefinedFileAttributeView.class).write("user.berth",
				ByteBuffer.wrap("x1".getBytes(StandardCharsets.UTF_8)));

		SnapshotInfo s1 = await(t.engine.createSnapshot("c1", "s1"));
		assertEquals(ContainerState.RUNNING, t.engine.get("c1").get().state(), "thawed after the copy");
		assertEquals("c1/s1", s1.reference());
		assertTrue(s1.sizeBytes() > 1_000_000, "busybox is in it: " + s1.sizeBytes());
		assertEquals(List.of("s1"), await(t.engine.snapshots("c1")).stream().map(SnapshotInfo::name).toList());

		sh("c1", "echo changed > /data/edited && rm /data/gone && echo new > /data/added && chmod 600 /data/kept");
		Files.getFileAttributeView(rootfs.resolve("data/edited"), UserDefinedFileAttributeView.class).write(
				"user.berth", ByteBuffer.wrap("x2".getBytes(StandardCharsets.UTF_8)));
		await(t.engine.setLimits("c1", Limits.NONE.withMemoryBytes(64 * Sizes.MIB)));

		ContainerDiff diff = await(t.engine.diff("c1/s1", "c1"));
		assertEquals(List.of(new SpecDiff.Change("memory", "", "64 MiB")), diff.spec());
		List<String> changes = diff.files().stream().map(c -> c.kind().sign() + " " + c.path() + " "
				+ c.details().stream().map(TreeDiff.Detail::field).toList()).toList();
		assertEquals(List.of("+ /data/added []", "~ /data/edited [xattrs, size, content]", "- /data/gone []",
				"~ /data/kept [mode]", "~ /data/link [mode]"), changes);

		BerthException running = assertThrows(BerthException.class,
				() -> await(t.engine.restoreSnapshot("c1", "s1")));
		assertTrue(running.getMessage().contains("stop \"c1\""), running.getMessage());

		await(t.engine.stop("c1", Duration.ofSeconds(10)));
		ContainerSnapshot restored = await(t.engine.restoreSnapshot("c1", "s1"));
		assertEquals(Limits.NONE, restored.spec().limits(), "the spec of the snapshot");
		Path snapRoot = new SnapshotStore(t.configRoot.resolve("c1")).rootfs("s1");
		assertEquals(List.of(), TreeScan.compare(snapRoot, rootfs), "the tree equals the snapshot's");
		assertEquals("x1", xattr(rootfs.resolve("data/kept"), "user.berth"));
		assertEquals(Files.getAttribute(rootfs.resolve("data/kept"), "unix:ino"),
				Files.getAttribute(rootfs.resolve("data/link"), "unix:ino"), "the hard link stays one file");
		assertEquals(List.of(), await(t.engine.diff("c1", "c1/s1")).files());
		t.start("c1");
		assertEquals("one", sh("c1", "cat /data/kept").stdoutText().trim());
	}

	@Test
	void aNewContainerFromASnapshotAndDeleting() throws Exception {
		t.define(ContainerSpec.builder("src").template("busybox").limits(Limits.NONE.withPids(50L)).build());
		assertEquals("snap0", await(t.engine.createSnapshot("src", null)).name());
		assertEquals("snap1", await(t.engine.createSnapshot("src", null)).name());
		BerthException taken = assertThrows(BerthException.class,
				() -> await(t.engine.createSnapshot("src", "snap0")));
		assertTrue(taken.getMessage().contains("has a snapshot \"snap0\" already"), taken.getMessage());
		BerthException bad = assertThrows(BerthException.class, () -> await(t.engine.createSnapshot("src", "../x")));
		assertTrue(bad.getMessage().contains("not a valid snapshot name"), bad.getMessage());

		ContainerSnapshot copy = await(t.engine.createFromSnapshot("src", "snap0", "copy"));
		assertEquals(50L, copy.spec().limits().pids());
		assertEquals(List.of(), TreeScan.compare(t.configRoot.resolve("src/rootfs"), t.configRoot.resolve(
				"copy/rootfs")));
		t.start("copy");
		assertEquals("copy", sh("copy", "hostname").stdoutText().trim());

		await(t.engine.deleteSnapshot("src", "snap0"));
		assertEquals(List.of("snap1"), await(t.engine.snapshots("src")).stream().map(SnapshotInfo::name).toList());
		assertFalse(Files.exists(t.configRoot.resolve("src/snapshots/snap0")));
		BerthException none = assertThrows(BerthException.class, () -> await(t.engine.deleteSnapshot("src", "snap0")));
		assertEquals("\"src\" has no snapshot \"snap0\"", none.getMessage());
	}
}
