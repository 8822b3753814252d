package org.berth.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

class AuditTest {

	@Test
	void linesAreJsonAndTheFileRotatesBySize(@TempDir Path dir) throws Exception {
		Path file = dir.resolve("log/audit.jsonl");
		Audit audit = new Audit(file, 2000);
		Peer alice = new Peer(4242, 1000, 1000, "alice", false);
		for (int i = 0; i < 100; i++) {
			audit.record(alice, "PUT /1.0/containers/c" + i + "/state", "start", "c" + i, 403, "refused, " + i);
		}
		assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
		List<String> lines = Files.readAllLines(file);
		JsonObject last = JsonParser.parseString(lines.get(lines.size() - 1)).getAsJsonObject();
		assertEquals(1000, last.get("uid").getAsInt());
		assertEquals("alice", last.get("user").getAsString());
		assertEquals(4242, last.get("pid").getAsInt());
		assertEquals("c99", last.get("container").getAsString());
		assertEquals(403, last.get("status").getAsInt());
		assertTrue(Files.size(file) <= 2000);
		for (int n = 1; n <= Audit.KEEP; n++) {
			assertTrue(Files.exists(dir.resolve("log/audit.jsonl." + n)), "rotated " + n);
		}
		assertFalse(Files.exists(dir.resolve("log/audit.jsonl." + (Audit.KEEP + 1))), "only " + Audit.KEEP + " kept");
	}
}
