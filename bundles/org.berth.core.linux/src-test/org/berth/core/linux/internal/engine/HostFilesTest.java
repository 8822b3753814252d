package org.berth.core.linux.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.berth.core.ContainerSpec;
import org.berth.core.linux.internal.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What Berth leaves on the host, seen as another user and as a container's root would see it: configs root's alone,
 * folders others may pass but not list, the templates' /tmp sticky, no password hash of the host in a container, and a
 * destroy that does not follow a link a container planted. As root.
 */
class HostFilesTest {

	private TestEngine t;

	@BeforeEach
	void setUp() throws Exception {
		assumeTrue(Host.isRoot(), "checks files as root and as nobody");
		assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs Debian's busybox-static");
		t = new TestEngine();
	}

	@AfterEach
	void tearDown() throws Exception {
		if (t != null) {
			t.close();
		}
	}

	private static String mode(Path p) throws Exception {
		return Integer.toOctalString((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777);
	}

	/** The exit code of a command run as nobody (setpriv, no capabilities). */
	private static int asNobody(String... cmd) throws Exception {
		String[] argv = new String[cmd.length + 4];
		argv[0] = "setpriv";
		argv[1] = "--reuid=nobody";
		argv[2] = "--regid=nogroup";
		argv[3] = "--clear-groups";
		System.arraycopy(cmd, 0, argv, 4, cmd.length);
		Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		return p.waitFor();
	}

	@Test
	void configsAreRootsAloneAndFoldersCannotBeListedByOthers() throws Exception {
		t.define(ContainerSpec.builder("files").build());
		Path dir = t.configRoot.resolve("files");
		assertEquals("600", mode(dir.resolve(ConfigStore.CONFIG)));
		assertEquals("711", mode(dir));
		assertEquals("711", mode(t.configRoot), "the config root is tightened when a config is saved");
		assertNotEquals(0, asNobody("ls", t.configRoot.toString()), "nobody cannot list the containers");
		assertNotEquals(0, asNobody("cat", dir.resolve(ConfigStore.CONFIG).toString()));
		try (var s = Files.list(dir)) {
			assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left");
		}
		assertEquals("1777", mode(dir.resolve("rootfs/tmp")));
		assertEquals("1777", mode(dir.resolve("rootfs/var/tmp")));
	}

	@Test
	void theHostTemplateCopiesNoPasswordHash() throws Exception {
		t.define(ContainerSpec.builder("hosty").template("host").build());
		Path etc = t.configRoot.resolve("hosty/rootfs/etc");
		String shadow = Files.readString(etc.resolve("shadow"));
		assertTrue(shadow.startsWith("root:*:"), shadow);
		assertFalse(shadow.contains("$"), "no hash of the host's: " + shadow);
		assertEquals("600", mode(etc.resolve("shadow")));
	}

	@Test
	void destroyDoesNotFollowALinkPlantedInside() throws Exception {
		Path outside = Files.createTempDirectory("berth-outside");
		Path precious = Files.writeString(outside.resolve("precious"), "keep me");
		try {
			t.define(ContainerSpec.builder("planted").build());
			Path rootfs = t.configRoot.resolve("planted/rootfs");
			Files.createSymbolicLink(rootfs.resolve("root/escape"), outside);
			Files.createSymbolicLink(rootfs.resolve("root/file-escape"), precious);
			TestEngine.await(t.engine.destroy("planted"));
			assertFalse(Files.exists(t.configRoot.resolve("planted"), LinkOption.NOFOLLOW_LINKS));
			assertEquals("keep me", Files.readString(precious), "the link was removed, not what it points at");
		} finally {
			Files2.deleteTree(outside);
		}
	}

	@Test
	void aTreeIsDeletedWithoutFollowingLinks() throws Exception {
		Path tree = Files.createTempDirectory("berth-tree");
		Path outside = Files.createTempDirectory("berth-outside");
		try {
			Files.writeString(outside.resolve("f"), "x");
			Files.createDirectories(tree.resolve("a/b"));
			Files.writeString(tree.resolve("a/b/c"), "y");
			Files.createSymbolicLink(tree.resolve("a/link"), outside);
			Files.setPosixFilePermissions(tree.resolve("a/b"), PosixFilePermissions.fromString("rwx------"));
			Files2.deleteTree(tree);
			assertFalse(Files.exists(tree, LinkOption.NOFOLLOW_LINKS));
			assertTrue(Files.exists(outside.resolve("f")));
		} finally {
			Files2.deleteTree(outside);
		}
	}
}
