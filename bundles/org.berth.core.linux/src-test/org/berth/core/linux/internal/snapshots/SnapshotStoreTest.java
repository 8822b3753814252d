package org.berth.core.linux.internal.snapshots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;

/** The store on a plain folder, any user: names, listing, a broken snapshot left out, restore and delete. */
class SnapshotStoreTest {

	private Path dir;

	@BeforeEach
	void setUp() throws Exception {
		dir = Files.createTempDirectory("berth-snapstore-test");
		Files.createDirectories(dir.resolve("rootfs/etc"));
		Files.writeString(dir.resolve("rootfs/etc/hostname"), "c1\n");
	}

	@AfterEach
	void tearDown() throws Exception {
		Trees.delete(dir);
	}

	@Test
	void takeListRestoreDelete() throws Exception {
		SnapshotStore store = new SnapshotStore(dir);
		assertEquals("snap0", store.nextName());
		JsonObject spec = new JsonObject();
		spec.addProperty("name", "c1");
		store.create("snap0", dir.resolve("rootfs"), spec, Instant.parse("2025-01-01T00:00:00Z"));
		store.create("later", dir.resolve("rootfs"), spec, Instant.parse("2025-01-02T00:00:00Z"));
		assertEquals("snap1", store.nextName());
		// a snapshot whose info cannot be read is left out, the others are listed
		Files.createDirectories(dir.resolve("snapshots/broken"));
		Files.writeString(dir.resolve("snapshots/broken/info.json"), "{not json");
		Files.writeString(dir.resolve("snapshots/broken/spec.json"), "{}");
		assertEquals(List.of("snap0", "later"), store.list().stream().map(SnapshotStore.Stored::name).toList());
		assertEquals(3, store.list().get(0).sizeBytes());

		Files.writeString(dir.resolve("rootfs/etc/hostname"), "changed\n");
		Files.writeString(dir.resolve("rootfs/etc/new"), "x");
		store.restore("snap0", dir.resolve("rootfs"));
		assertEquals(List.of(), TreeScan.compare(store.rootfs("snap0"), dir.resolve("rootfs")));
		assertFalse(Files.exists(dir.resolve("rootfs.old")));
		assertFalse(Files.exists(dir.resolve("rootfs.restoring")));

		store.delete("snap0");
		assertEquals(List.of("later"), store.list().stream().map(SnapshotStore.Stored::name).toList());
		try (var left = Files.list(dir.resolve("snapshots"))) {
			assertEquals(List.of("broken", "later"), left.map(p -> p.getFileName().toString()).sorted().toList());
		}
	}
}
