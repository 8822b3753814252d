package org.berth.core.linux.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.berth.core.ContainerSpec;
import org.berth.core.IdMap;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceType;
import org.berth.core.linux.internal.files.ContainerFiles;
import org.berth.core.linux.internal.snapshots.Trees;
import org.berth.core.linux.internal.testing.Host;
import org.junit.jupiter.api.Test;

/**
 * Owners of pushed and pulled files in a container with a user namespace of its own: the same ids on disk where its
 * root file system is idmapped (owned by host root), mapped by its id maps where the root file system is shifted.
 */
class TransfersTest {

	private static final ContainerSpec MAPPED = ContainerSpec.builder("u1").namespace(NamespaceType.USER,
			NamespaceMode.NEW).uidMap(new IdMap(0, 100000, 65536)).gidMap(new IdMap(0, 200000, 65536)).build();

	@Test
	void idsAreMappedBothWays() {
		ContainerFiles.IdMapping m = Transfers.mapping(MAPPED, 100000); // a rootfs shifted on disk
		assertEquals(100000, m.uidToHost().applyAsLong(0));
		assertEquals(101000, m.uidToHost().applyAsLong(1000));
		assertEquals(200005, m.gidToHost().applyAsLong(5));
		assertEquals(100000, m.uidToHost().applyAsLong(70000), "an id the map lacks becomes the container's root");
		assertEquals(1000, m.uidToInside().applyAsLong(101000));
		assertEquals(-1, m.uidToInside().applyAsLong(0), "the host's root is nobody inside");
		ContainerFiles.IdMapping none = Transfers.mapping(ContainerSpec.builder("c1")
				.namespace(NamespaceType.USER, NamespaceMode.HOST).build(), 0);
		assertEquals(1000, none.uidToHost().applyAsLong(1000));
		assertEquals(0, none.uidToInside().applyAsLong(0));
		ContainerFiles.IdMapping idmapped = Transfers.mapping(MAPPED, 0);
		assertEquals(1000, idmapped.uidToHost().applyAsLong(1000), "an idmapped rootfs keeps the ids inside on disk");
		assertEquals(5, idmapped.gidToInside().applyAsLong(5));
	}

	@Test
	void aPushedFileBelongsToTheMappedOwnerAndComesBackAsTheIdInside() throws Exception {
		assumeTrue(Host.isRoot(), "changing owners needs root");
		Path work = Files.createTempDirectory("berth-transfers-test");
		try {
			Path rootfs = Files.createDirectories(work.resolve("rootfs/etc"));
			Path local = Files.writeString(work.resolve("motd"), "hello\n");
			Files.setAttribute(local, "unix:uid", 1000);
			Files.setAttribute(local, "unix:gid", 1000);
			try (ContainerFiles f = ContainerFiles.open(rootfs.getParent(), "u1", Transfers.mapping(MAPPED, 100000),
					true)) {
				f.push(local, "/etc/motd", false);
				Path inside = rootfs.resolve("motd");
				assertEquals(101000, Files.getAttribute(inside, "unix:uid"));
				assertEquals(201000, Files.getAttribute(inside, "unix:gid"));
				Path back = work.resolve("back");
				f.pull("/etc/motd", back, false);
				assertEquals(1000, Files.getAttribute(back, "unix:uid"));
				assertEquals(1000, Files.getAttribute(back, "unix:gid"));
				assertEquals("hello\n", Files.readString(back));
			}
		} finally {
			Trees.delete(work);
		}
	}
}
