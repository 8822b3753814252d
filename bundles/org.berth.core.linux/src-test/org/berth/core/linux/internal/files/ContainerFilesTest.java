package org.berth.core.linux.internal.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.berth.core.TreeDiff;
import org.berth.core.linux.internal.snapshots.TreeScan;
import org.berth.core.linux.internal.snapshots.Trees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Push and pull through {@code openat2(RESOLVE_IN_ROOT)}: a round trip of a tree, and symbolic links planted in the
 * container ("/etc -> /", "../../..", absolute links to a host folder) that never lead a write out of its root.
 */
class ContainerFilesTest {

	private Path work;
	private Path rootfs;
	private Path host;

	@BeforeEach
	void setUp() throws IOException {
		work = Files.createTempDirectory("berth-files-test");
		rootfs = Files.createDirectories(work.resolve("rootfs"));
		host = Files.createDirectories(work.resolve("host")); // stands for the host's files beside the root
	}

	@AfterEach
	void tearDown() throws IOException {
		Trees.delete(work);
	}

	private ContainerFiles files() throws IOException {
		return ContainerFiles.open(rootfs, "c1", ContainerFiles.IdMapping.IDENTITY, false);
	}

	@Test
	void aTreeGoesInAndComesBackTheSame() throws IOException {
		Path local = Files.createDirectories(work.resolve("local/conf"));
		Files.writeString(local.resolve("a.txt"), "alpha\n");
		Files.createDirectories(local.resolve("sub/deeper"));
		Path secret = Files.writeString(local.resolve("sub/secret"), "s3cret\n");
		Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
		Files.createSymbolicLink(local.resolve("sub/link"), Path.of("../a.txt"));
		Files.write(local.resolve("big"), new byte[300_000]);
		Files.createDirectories(rootfs.resolve("etc"));
		try (ContainerFiles f = files()) {
			assertEquals(7, f.push(local, "/etc/conf", true));
			assertTrue(Files.isRegularFile(rootfs.resolve("etc/conf/sub/secret")));
			assertEquals(List.of(), TreeScan.compare(local, rootfs.resolve("etc/conf")));
			Path back = work.resolve("back");
			assertEquals(7, f.pull("/etc/conf", back, true));
			assertEquals(List.of(), TreeScan.compare(local, back));
			IOException dir = assertThrows(IOException.class, () -> f.pull("/etc/conf", work.resolve("x"), false));
			assertTrue(dir.getMessage().contains("give -r"), dir.getMessage());
		}
	}

	@Test
	void plantedLinksNeverLeadOutOfTheRoot() throws IOException {
		Files.createSymbolicLink(rootfs.resolve("etc"), Path.of("/"));
		Files.createSymbolicLink(rootfs.resolve("up"), Path.of("../../../../../.."));
		Files.createSymbolicLink(rootfs.resolve("hostdir"), host.toAbsolutePath());
		Files.createSymbolicLink(rootfs.resolve("pw"), Path.of("/etc/pw-target"));
		Path local = Files.writeString(work.resolve("evil"), "pwned\n");
		try (ContainerFiles f = files()) {
			f.push(local, "/etc/evil-etc", false);
			f.push(local, "/up/evil-up", false);
			f.push(local, "../../../evil-dots", false);
			// the host folder's path does not exist inside the root: refused, not written on the host
			IOException notThere = assertThrows(IOException.class, () -> f.push(local, "/hostdir/evil-host", false));
			assertTrue(notThere.getMessage().contains("No such file or directory"), notThere.getMessage());
			f.push(local, "/pw", false); // through "/etc/pw-target" and "/etc -> /": the root's pw-target
		}
		for (String name : List.of("evil-etc", "evil-up", "evil-dots", "pw-target")) {
			assertEquals("pwned\n", Files.readString(rootfs.resolve(name), java.nio.charset.StandardCharsets.UTF_8),
					name + " landed inside the root");
		}
		try (var left = Files.list(host)) {
			assertEquals(List.of(), left.toList(), "nothing written to the host folder a link pointed at");
		}
		assertFalse(Files.exists(work.resolve("evil-up")), "nothing beside the root");
		assertFalse(Files.exists(Path.of("/evil-etc")) || Files.exists(Path.of("/evil-up"))
				|| Files.exists(Path.of("/evil-dots")), "nothing at the host's root");
		assertFalse(Files.exists(Path.of("/etc/pw-target")), "nothing in the host's /etc");
		assertEquals(Path.of("/"), Files.readSymbolicLink(rootfs.resolve("etc")), "the planted link is left as it is");
	}

	@Test
	void pullingThroughAPlantedLinkReadsTheContainersFile() throws IOException {
		Files.createDirectories(rootfs.resolve("etc"));
		Files.writeString(rootfs.resolve("etc/hostname"), "c1\n");
		Files.createSymbolicLink(rootfs.resolve("h"), Path.of("/../../../../etc/hostname"));
		Path out = work.resolve("out");
		try (ContainerFiles f = files()) {
			f.pull("/h", out, false);
		}
		assertEquals("c1\n", Files.readString(out), "the container's /etc/hostname, not the host's");
		assertEquals(TreeDiff.Type.FILE, TreeScan.entry("/out", out).type());
		assertFalse(Files.isSymbolicLink(out), "a file, not a link");
		assertTrue(Files.exists(out, LinkOption.NOFOLLOW_LINKS));
	}

	/** The console's Files page: list, read, write; planted links, FIFOs and device nodes do not lead anywhere. */
	@Test
	void browsingReadingAndWritingStayInsideAndTouchOnlyRegularFiles() throws Exception {
		Files.createDirectories(rootfs.resolve("etc"));
		Files.writeString(rootfs.resolve("etc/hostname"), "c1\n");
		Files.setPosixFilePermissions(rootfs.resolve("etc/hostname"), PosixFilePermissions.fromString("rw-r-----"));
		Files.createSymbolicLink(rootfs.resolve("up"), Path.of("../../../.."));
		Files.createSymbolicLink(rootfs.resolve("hostdir"), host.toAbsolutePath());
		Files.writeString(host.resolve("secret"), "host\n");
		Process fifo = new ProcessBuilder("mkfifo", rootfs.resolve("etc/fifo").toString()).start();
		assertEquals(0, fifo.waitFor());
		try (ContainerFiles f = files()) {
			List<org.berth.core.FileEntry> etc = f.list("/etc");
			assertEquals(List.of("fifo", "hostname"), etc.stream().map(org.berth.core.FileEntry::name).toList());
			org.berth.core.FileEntry hostname = etc.get(1);
			assertEquals(org.berth.core.FileEntry.Type.FILE, hostname.type());
			assertEquals("-rw-r-----", hostname.permissions());
			assertEquals(3, hostname.size());
			assertEquals(org.berth.core.FileEntry.Type.OTHER, etc.get(0).type());
			assertEquals("../../../..", f.list("/").stream().filter(e -> e.name().equals("up")).findFirst()
					.orElseThrow().target());
			assertEquals(f.list("/").stream().map(org.berth.core.FileEntry::name).toList(),
					f.list("/up/up/..").stream().map(org.berth.core.FileEntry::name).toList(), "'..' ends at the root");

			assertEquals("c1\n", new String(f.read("/etc/hostname", 100), java.nio.charset.StandardCharsets.UTF_8));
			assertTrue(assertThrows(IOException.class, () -> f.read("/etc/hostname", 2)).getMessage()
					.contains("larger than 2 bytes"));
			assertThrows(IOException.class, () -> f.read("/hostdir/secret", 100), "the host's file is not there");
			assertTrue(assertThrows(IOException.class, () -> f.read("/etc/fifo", 100)).getMessage()
					.contains("not a regular file"), "a FIFO is refused, not waited on");

			f.write("/etc/hostname", "renamed\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
			assertEquals("renamed\n", Files.readString(rootfs.resolve("etc/hostname")));
			assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(rootfs.resolve(
					"etc/hostname"))), "the mode is kept");
			f.write("/up/etc/new.conf", "x=1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
			assertEquals("x=1\n", Files.readString(rootfs.resolve("etc/new.conf")), "through '..' games: inside");
			assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(rootfs.resolve(
					"etc/new.conf"))));
			assertThrows(IOException.class, () -> f.write("/hostdir/secret", new byte[]{1}));
			assertEquals("host\n", Files.readString(host.resolve("secret")), "the host's file is untouched");
			IOException toFifo = assertThrows(IOException.class, () -> f.write("/etc/fifo", new byte[]{1}));
			assertFalse(toFifo.getMessage().isEmpty());
			assertThrows(IOException.class, () -> f.write("/etc", new byte[]{1}), "a folder is not a file");
		}
		try (var left = Files.list(host)) {
			assertEquals(List.of(host.resolve("secret")), left.toList());
		}
	}
}
