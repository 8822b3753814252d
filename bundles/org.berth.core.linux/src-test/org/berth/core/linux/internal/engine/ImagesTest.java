package org.berth.core.linux.internal.engine;

import static org.berth.core.linux.internal.engine.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ExecutionException;

import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.ImageInfo;
import org.berth.core.linux.internal.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Images, as root with real containers: publish a running container, start a new one from the image, import a
 * tarball of it, delete; the refusals; and a tarball that plants a symbolic link to a host folder and then writes
 * through it never reaches the host.
 */
class ImagesTest {

	private TestEngine t;
	private Path scratch;

	@BeforeEach
	void setUp() throws Exception {
		assumeTrue(Host.isRoot(), "integration tests start real containers and need root");
		assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs Debian's busybox-static");
		t = new TestEngine();
		scratch = Files.createTempDirectory("berth-images",
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
	}

	@AfterEach
	void tearDown() throws Exception {
		try {
			if (t != null) {
				t.close();
			}
		} finally {
			if (scratch != null) {
				Files2.deleteTree(scratch);
			}
		}
	}

	private String sh(String name, String script) throws Exception {
		ExecResult r = await(t.engine.exec(name, ExecRequest.of("sh", "-c", script)));
		assertEquals(0, r.exitCode(), script + ": " + r.stderrText());
		return r.stdoutText();
	}

	private static String failure(java.util.concurrent.CompletableFuture<?> f) {
		ExecutionException e = assertThrows(ExecutionException.class, f::get);
		return e.getCause().getMessage();
	}

	@Test
	void publishStartFromImportAndDelete() throws Exception {
		t.define(ContainerSpec.builder("src").template("busybox").build());
		t.start("src");
		sh("src", "echo made-in-src >/root/marker; chown 5:7 /root/marker");

		ImageInfo img = await(t.engine.publishImage("src", "img1", "busybox with a marker"));
		assertEquals("busybox", img.base());
		assertEquals("published from src", img.origin());
		assertTrue(img.sizeBytes() > 0);
		assertEquals(ContainerState.RUNNING, t.engine.get("src").orElseThrow().state(), "thawed after the copy");
		assertEquals(List.of("img1"), await(t.engine.images()).stream().map(ImageInfo::alias).toList());

		await(t.engine.createFromImage(ContainerSpec.builder("copy").build(), "img1"));
		assertEquals("busybox", t.engine.get("copy").orElseThrow().spec().template(), "the image's base");
		t.start("copy");
		assertEquals("made-in-src 5:7", sh("copy", "echo $(cat /root/marker) $(stat -c %u:%g /root/marker)").trim());

		// the same files as a tarball, imported: no base template, init is /sbin/init
		Path tarball = scratch.resolve("img1.tar.gz");
		TestEngine.run("tar", "-C", t.configRoot.resolve(".images/img1/rootfs").toString(), "--numeric-owner", "-czf",
				tarball.toString(), ".");
		ImageInfo imported;
		try (InputStream in = Files.newInputStream(tarball)) {
			imported = await(t.engine.importImage(in, "img2", null, "img1.tar.gz"));
		}
		assertNull(imported.base());
		assertEquals("imported from img1.tar.gz", imported.origin());
		await(t.engine.createFromImage(ContainerSpec.builder("fromtar").build(), "img2"));
		t.start("fromtar");
		assertEquals("made-in-src 5:7", sh("fromtar", "echo $(cat /root/marker) $(stat -c %u:%g /root/marker)")
				.trim());

		await(t.engine.deleteImage("img1"));
		assertEquals(List.of("img2"), await(t.engine.images()).stream().map(ImageInfo::alias).toList());
		await(t.engine.stop("copy", java.time.Duration.ofSeconds(10)));
		t.start("copy"); // its own copy of the files
		assertFalse(Files.exists(t.configRoot.resolve(".images/img1")));
	}

	@Test
	void refusalsSayWhyAndLeaveNothing() throws Exception {
		t.define(ContainerSpec.builder("src").template("busybox").build());
		assertTrue(failure(t.engine.publishImage("src", "busybox", null)).contains("is a template's name"));
		assertTrue(failure(t.engine.publishImage("src", "../x", null)).contains("an image alias has 1-64"));
		await(t.engine.publishImage("src", "one", null));
		assertTrue(failure(t.engine.publishImage("src", "one", null)).contains("there is an image \"one\" already"));
		assertTrue(failure(t.engine.deleteImage("none")).contains("there is no image \"none\""));
		assertTrue(failure(t.engine.createFromImage(ContainerSpec.builder("c").build(), "none"))
				.contains("there is no image \"none\""));
		assertTrue(t.engine.get("c").isEmpty(), "no container from a missing image");
		t.define(ContainerSpec.builder("h").template("host").build());
		assertTrue(failure(t.engine.publishImage("h", "h1", null)).contains("host template"));
		try (InputStream in = InputStream.nullInputStream()) {
			assertTrue(
					failure(t.engine.importImage(in, "empty", null, "nothing")).contains("could not make the image"));
		}
		assertEquals(List.of("one"), await(t.engine.images()).stream().map(ImageInfo::alias).toList());
		assertFalse(Files.exists(t.configRoot.resolve(".images/empty.partial")), "the partial image is removed");
	}

	/** A tarball that plants {@code x -> HOSTDIR} and then writes {@code x/evil}: nothing reaches HOSTDIR. */
	@Test
	void aTarballCannotWriteThroughALinkItPlants() throws Exception {
		Path host = Files.createDirectory(scratch.resolve("host-dir"));
		Path d1 = Files.createDirectory(scratch.resolve("d1"));
		Files.createSymbolicLink(d1.resolve("x"), host);
		Path d2 = Files.createDirectories(scratch.resolve("d2/x"));
		Files.writeString(d2.resolve("evil"), "written through the link\n");
		Path tarball = scratch.resolve("evil.tar");
		TestEngine.run("tar", "-C", d1.toString(), "-cf", tarball.toString(), "x");
		TestEngine.run("tar", "-C", scratch.resolve("d2").toString(), "-rf", tarball.toString(), "x/evil");
		try (InputStream in = Files.newInputStream(tarball)) {
			t.engine.importImage(in, "evil", null, "evil.tar").handle((v, e) -> null).get();
		}
		assertFalse(Files.exists(host.resolve("evil")), "the tarball wrote into a host folder");
		try (var list = Files.list(host)) {
			assertEquals(0, list.count());
		}
	}

	/**
	 * A hand-made OCI layout of two layers (as skopeo writes one): the upper one's whiteouts remove a file and empty
	 * a folder of the lower one; a whiteout aimed through a symbolic link to a host folder deletes nothing there.
	 */
	@Test
	void anOciLayoutIsFlattenedWithItsWhiteouts() throws Exception {
		Path host = Files.createDirectory(scratch.resolve("host-dir"));
		Files.writeString(host.resolve("precious"), "host file\n");
		Path l1 = Files.createDirectories(scratch.resolve("l1/d"));
		Files.writeString(scratch.resolve("l1/a"), "a\n");
		Files.writeString(l1.resolve("b"), "b\n");
		Files.createDirectories(scratch.resolve("l1/bin"));
		Files.copy(Path.of("/bin/busybox"), scratch.resolve("l1/bin/busybox"));
		Files.createSymbolicLink(scratch.resolve("l1/out"), host);
		Path l2 = Files.createDirectories(scratch.resolve("l2/d"));
		Files.writeString(scratch.resolve("l2/.wh.a"), "");
		Files.writeString(l2.resolve(".wh..wh..opq"), "");
		Files.writeString(l2.resolve("c"), "c\n");
		Files.createDirectories(scratch.resolve("l2/out"));
		Files.writeString(scratch.resolve("l2/out/.wh.precious"), "");
		Path layout = Files.createDirectories(scratch.resolve("layout/blobs/sha256"));
		String d1 = blob(layout, "l1.tar.gz", () -> TestEngine.run("tar", "-C", scratch.resolve("l1").toString(),
				"-czf", scratch.resolve("l1.tar.gz").toString(), "."));
		String d2 = blob(layout, "l2.tar", () -> TestEngine.run("tar", "-C", scratch.resolve("l2").toString(), "-cf",
				scratch.resolve("l2.tar").toString(), "."));
		Path manifestFile = scratch.resolve("manifest.json");
		Files.writeString(manifestFile, "{\"schemaVersion\":2,\"layers\":[{\"mediaType\":"
				+ "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:" + d1 + "\"},{\"mediaType\":"
				+ "\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:" + d2 + "\"}]}");
		String dm = blob(layout, "manifest.json", () -> {
		});
		Files.writeString(scratch.resolve("layout/index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
				+ "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" + dm + "\"}]}");
		Files.writeString(scratch.resolve("layout/oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
		Path tar = scratch.resolve("oci.tar");
		TestEngine.run("tar", "-C", scratch.resolve("layout").toString(), "-cf", tar.toString(), ".");
		try (InputStream in = Files.newInputStream(tar)) {
			await(t.engine.importImage(in, "oci1", null, "oci.tar"));
		}
		Path rootfs = t.configRoot.resolve(".images/oci1/rootfs");
		assertFalse(Files.exists(rootfs.resolve("a")), "removed by .wh.a");
		assertFalse(Files.exists(rootfs.resolve("d/b")), "removed by the opaque folder");
		assertEquals("c\n", Files.readString(rootfs.resolve("d/c")));
		assertFalse(Files.exists(rootfs.resolve("d/.wh..wh..opq")) || Files.exists(rootfs.resolve(".wh.a")),
				"no whiteout is left as a file");
		assertTrue(Files.isExecutable(rootfs.resolve("bin/busybox")));
		assertEquals("host file\n", Files.readString(host.resolve("precious")), "a whiteout through a link");
		assertFalse(Files.exists(t.configRoot.resolve(".images/oci-layout")));
	}

	private interface Make {
		void run() throws Exception;
	}

	/** Makes the file, moves it into the layout under its sha256 and returns the hex digest. */
	private String blob(Path blobs, String file, Make make) throws Exception {
		make.run();
		Path f = scratch.resolve(file);
		String hex = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files
				.readAllBytes(f)));
		Files.move(f, blobs.resolve(hex));
		return hex;
	}
}
