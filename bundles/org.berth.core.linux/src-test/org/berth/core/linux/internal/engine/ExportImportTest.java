package org.berth.core.linux.internal.engine;

import static org.berth.core.linux.internal.engine.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;

import org.berth.core.BerthException;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.Limits;
import org.berth.core.TreeDiff;
import org.berth.core.linux.internal.snapshots.TreeScan;
import org.berth.core.linux.internal.snapshots.Trees;
import org.berth.core.linux.internal.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Export, destroy, import: the container comes back with the same spec and tree, a device node, a hard link, an
 * extended attribute and a file owned by a mapped uid included. As root; nothing is left behind.
 */
class ExportImportTest {

	private TestEngine t;
	private Path work;

	@BeforeEach
	void setUp() throws Exception {
		assumeTrue(Host.isRoot(), "integration tests make real containers and need root");
		assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs Debian's busybox-static");
		t = new TestEngine();
		work = Files.createTempDirectory("berth-export-test");
	}

	@AfterEach
	void tearDown() throws Exception {
		try {
			if (t != null) {
				t.close();
			}
		} finally {
			if (work != null) {
				Trees.delete(work);
			}
		}
	}

	@Test
	void aRoundTripLosesNothing() throws Exception {
		ContainerSpec spec = ContainerSpec.builder("c1").template("busybox").limits(Limits.NONE.withPids(64L))
				.build();
		ContainerSpec defined = t.define(spec).spec();
		Path rootfs = t.configRoot.resolve("c1/rootfs");
		TestEngine.run("mknod", rootfs.resolve("dev/berth-null").toString(), "c", "1", "3");
		Files.writeString(rootfs.resolve("etc/linked"), "one file, two names\n");
		Files.createLink(rootfs.resolve("etc/linked-too"), rootfs.resolve("etc/linked"));
		Path mapped = Files.writeString(rootfs.resolve("etc/mapped"), "owned by a mapped uid\n");
		Files.setAttribute(mapped, "unix:uid", 100000);
		Files.setAttribute(mapped, "unix:gid", 100007);
		Files.getFileAttributeView(mapped, UserDefinedFileAttributeView.class).write("user.berth",
				ByteBuffer.wrap("kept".getBytes(StandardCharsets.UTF_8)));
		Path original = work.resolve("original");
		Trees.copy(rootfs, original);

		Path file = work.resolve("c1.tar.zst");
		assertEquals(file, await(t.engine.exportContainer("c1", file)));
		assertTrue(Files.size(file) > 100_000, "busybox is in it");
		assertFalse(Files.exists(work.resolve("c1.tar.zst.partial")));
		await(t.engine.destroy("c1"));

		ContainerSnapshot back = await(t.engine.importContainer(file, null));
		assertEquals(defined.withName("c1"), back.spec(),
				"the same spec; its block of ids is allocated again (free: the same)");
		List<TreeDiff.Change> changes = TreeScan.compare(original, rootfs);
		assertEquals(List.of(), changes);
		assertEquals(TreeDiff.Type.CHAR_DEVICE, TreeScan.entry("/dev/berth-null", rootfs.resolve("dev/berth-null"))
				.type());
		assertEquals(Files.getAttribute(rootfs.resolve("etc/linked"), "unix:ino"),
				Files.getAttribute(rootfs.resolve("etc/linked-too"), "unix:ino"), "still one file");
		assertEquals(100000, Files.getAttribute(rootfs.resolve("etc/mapped"), "unix:uid"));
		UserDefinedFileAttributeView x = Files.getFileAttributeView(rootfs.resolve("etc/mapped"),
				UserDefinedFileAttributeView.class);
		ByteBuffer b = ByteBuffer.allocate(x.size("user.berth"));
		x.read("user.berth", b);
		assertEquals("kept", new String(b.array(), StandardCharsets.UTF_8));
		t.start("c1");

		ContainerSnapshot copy = await(t.engine.importContainer(file, "c2"));
		assertEquals(spec.withName("c2"), copy.spec().toBuilder().uidMaps(List.of()).gidMaps(List.of()).build(),
				"the same spec but for its ids");
		assertNotEquals(back.spec().idBlock(), copy.spec().idBlock(), "a copy beside the original gets ids of its own");
		assertEquals(List.of(), TreeScan.compare(original, t.configRoot.resolve("c2/rootfs")));
		BerthException taken = assertThrows(BerthException.class, () -> await(t.engine.importContainer(file, "c2")));
		assertTrue(taken.getMessage().contains("c2"), taken.getMessage());
		try (var left = Files.list(t.configRoot)) {
			assertEquals(List.of("c1", "c2"), left.map(p -> p.getFileName().toString())
					.filter(n -> !n.equals(LinuxEngine.LOCKS) && !n.equals(Definitions.IDMAP_LOCK)).sorted().toList(),
					"no unpacked folder left (beside the engine's lock files)");
		}
		Path junk = Files.writeString(work.resolve("junk.tar.zst"), "not an archive");
		BerthException notOne = assertThrows(BerthException.class, () -> await(t.engine.importContainer(junk, "c3")));
		assertTrue(notOne.getMessage().contains("is not a Berth export"), notOne.getMessage());
	}

	/**
	 * With --snapshots the archive holds the snapshots and an import brings them back; a restore of one in the
	 * imported container gives its files and keeps the new container's ids (the snapshot's were the original's).
	 */
	@Test
	void snapshotsComeAlongWhenAskedAndARestoreKeepsTheNewContainersIds() throws Exception {
		t.define(ContainerSpec.builder("c1").template("busybox").build());
		Path rootfs = t.configRoot.resolve("c1/rootfs");
		Files.writeString(rootfs.resolve("etc/version"), "one\n");
		await(t.engine.createSnapshot("c1", "s1"));
		Files.writeString(rootfs.resolve("etc/version"), "two\n");

		Path plain = await(t.engine.exportContainer("c1", work.resolve("plain.tar.zst")));
		Path with = await(t.engine.exportContainer("c1", work.resolve("with.tar.zst"), true));
		await(t.engine.importContainer(plain, "n1"));
		assertEquals(List.of(), await(t.engine.snapshots("n1")), "without --snapshots: none");
		ContainerSnapshot n2 = await(t.engine.importContainer(with, "n2"));
		assertEquals(List.of("s1"), await(t.engine.snapshots("n2")).stream().map(s -> s.name()).toList());
		assertEquals("two\n", Files.readString(t.configRoot.resolve("n2/rootfs/etc/version")));
		ContainerSnapshot restored = await(t.engine.restoreSnapshot("n2", "s1"));
		assertEquals("one\n", Files.readString(t.configRoot.resolve("n2/rootfs/etc/version")));
		assertEquals(n2.spec().idBlock(), restored.spec().idBlock(), "the imported container's own ids");
		assertNotEquals(t.engine.get("c1").orElseThrow().spec().idBlock(), restored.spec().idBlock());
		t.start("n2");
	}
}
