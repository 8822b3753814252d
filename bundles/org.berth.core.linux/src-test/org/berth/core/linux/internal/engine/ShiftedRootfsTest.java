package org.berth.core.linux.internal.engine;

import static org.berth.core.linux.internal.engine.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.berth.core.ContainerSpec;
import org.berth.core.ExecRequest;
import org.berth.core.linux.internal.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Containers whose root file system sits on a file system that cannot be idmapped (ramfs here; NFS and many FUSE
 * file systems elsewhere): the files are shifted to the container's host ids at the first start, so its root still
 * owns its files; a clone is shifted again to its own block.
 */
class ShiftedRootfsTest {

	private Path ramfs;
	private TestEngine t;

	@BeforeEach
	void setUp() throws Exception {
		assumeTrue(Host.isRoot(), "integration tests start real containers and need root");
		ramfs = Files.createTempDirectory("berth-ramfs");
		TestEngine.run("mount", "-t", "ramfs", "-o", "mode=0755", "berth-test-ramfs", ramfs.toString());
		Files.setPosixFilePermissions(ramfs, PosixFilePermissions.fromString("rwxr-xr-x"));
		t = new TestEngine(c -> c.withRoots(ramfs, c.runRoot()));
	}

	@AfterEach
	void tearDown() throws Exception {
		try {
			if (t != null) {
				t.close();
			}
		} finally {
			if (ramfs != null) {
				TestEngine.run("umount", ramfs.toString());
				Files.delete(ramfs);
			}
		}
	}

	@Test
	void aRootfsThatCannotBeIdmappedIsShiftedToTheContainersIdsAndAgainForAClone() throws Exception {
		Path helper = HelperBinary.locate(t.config.helper(), t.runRoot);
		assertFalse(new RootfsIds(t.runRoot).canIdmap(ramfs, helper), "ramfs cannot be idmapped on this kernel");
		t.define(ContainerSpec.builder("sh1").template("busybox").build());
		Path rootfs = ramfs.resolve("sh1/rootfs");
		assertEquals(0, Files2.ownerUid(rootfs), "made from the template: host root's until it starts");
		t.start("sh1");
		long base = RootfsIds.rootMap(t.engine.get("sh1").orElseThrow().spec()).orElseThrow().outsideId();
		assertEquals(base, Files2.ownerUid(rootfs), "shifted to the container's block");
		assertEquals(base, Files2.ownerUid(rootfs.resolve("bin/busybox")));
		assertEquals("0 0\n", exec("sh1", "stat -c '%u %g' /bin/busybox"), "its root owns its files");
		exec("sh1", "touch /root/made-inside && chown 5:7 /root/made-inside");
		assertEquals(base + 5, Files2.ownerUid(rootfs.resolve("root/made-inside")));
		await(t.engine.stop("sh1", java.time.Duration.ofSeconds(10)));
		t.start("sh1"); // already in its block: nothing to shift
		assertEquals(base, Files2.ownerUid(rootfs));
		await(t.engine.kill("sh1"));

		await(t.engine.cloneContainer("sh1", "sh2"));
		t.start("sh2");
		long base2 = RootfsIds.rootMap(t.engine.get("sh2").orElseThrow().spec()).orElseThrow().outsideId();
		assertNotEquals(base, base2);
		Path rootfs2 = ramfs.resolve("sh2/rootfs");
		assertEquals(base2, Files2.ownerUid(rootfs2), "the clone's tree moved to the clone's own block");
		assertEquals(base2 + 5, Files2.ownerUid(rootfs2.resolve("root/made-inside")));
		assertEquals("5 7\n", exec("sh2", "stat -c '%u %g' /root/made-inside"));
		assertEquals(base, Files2.ownerUid(rootfs), "the source's stays in its block");
	}

	private String exec(String name, String script) throws Exception {
		var r = await(t.engine.exec(name, ExecRequest.of("sh", "-c", script)));
		assertEquals(0, r.exitCode(), r.stderrText());
		return r.stdoutText();
	}
}
