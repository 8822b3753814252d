package org.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.berth.core.ContainerSpec;
import org.berth.core.Limits;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceType;
import org.berth.core.NetworkSpec;
import org.berth.core.Sizes;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

class ListCommandTest {

	private final FakeLocalEngine engine = new FakeLocalEngine()
			.addRunning(ContainerSpec.builder("web").limits(Limits.NONE.withMemoryBytes(256 * Sizes.MIB))
					.network(NetworkSpec.veth(null, "10.88.0.5/24")).userNamespace(1048576, 65536).build())
			.add(ContainerSpec.builder("db").template("alpine").share(NamespaceType.NET, "web")
					.share(NamespaceType.USER, "web").build())
			.addRunning(ContainerSpec.builder("ice").namespace(NamespaceType.USER, NamespaceMode.HOST).build());

	{
		engine.startedAt("web", Instant.now().minusSeconds(3725));
		engine.usage("web", FakeLocalEngine.usageWithMemory(12 * Sizes.MIB));
		engine.freeze("ice").join();
	}

	@Test
	void jsonHasStableFieldNamesAndLowerCaseStates() {
		Cli.Result r = new Cli(engine).run("list", "--json");
		assertEquals(0, r.code(), r::toString);
		JsonArray all = JsonParser.parseString(r.out()).getAsJsonArray();
		assertEquals(3, all.size());
		Set<String> fields = Set.of("name", "state", "kind", "template", "rootfs", "pid", "startedAt",
				"uptimeSeconds", "lastExit", "namespaces", "network", "address", "memoryBytes", "memoryLimitBytes",
				"privileged", "idmap", "description", "tags");
		for (JsonElement e : all) {
			assertEquals(fields, e.getAsJsonObject().keySet());
		}
		// sorted by name, as the engine lists them
		JsonObject db = all.get(0).getAsJsonObject();
		JsonObject ice = all.get(1).getAsJsonObject();
		JsonObject web = all.get(2).getAsJsonObject();
		assertEquals("db", db.get("name").getAsString());
		assertEquals("stopped", db.get("state").getAsString());
		assertTrue(db.get("pid").isJsonNull());
		assertTrue(db.get("uptimeSeconds").isJsonNull());
		assertTrue(db.get("memoryBytes").isJsonNull());
		assertEquals("alpine", db.get("template").getAsString());
		assertEquals("share:web", db.getAsJsonObject("namespaces").get("net").getAsString());
		assertEquals(List.of("mnt", "uts", "ipc", "pid", "net", "user", "cgroup", "time"),
				List.copyOf(db.getAsJsonObject("namespaces").keySet()));

		assertEquals("frozen", ice.get("state").getAsString());
		assertTrue(ice.get("pid").getAsLong() > 0);

		assertEquals("running", web.get("state").getAsString());
		assertEquals(engine.snapshot("web").initPid(), web.get("pid").getAsLong());
		assertEquals("system", web.get("kind").getAsString());
		long uptime = web.get("uptimeSeconds").getAsLong();
		assertTrue(uptime >= 3725 && uptime < 3725 + 60, "uptime " + uptime);
		assertEquals(12 * Sizes.MIB, web.get("memoryBytes").getAsLong());
		assertEquals(256 * Sizes.MIB, web.get("memoryLimitBytes").getAsLong());
		assertEquals("veth", web.get("network").getAsString());
		assertEquals("10.88.0.5/24", web.get("address").getAsString());
		assertEquals("new", web.getAsJsonObject("namespaces").get("mnt").getAsString());
		assertEquals("new", web.getAsJsonObject("namespaces").get("user").getAsString());
		assertFalse(web.get("privileged").getAsBoolean());
		assertEquals(JsonParser.parseString("{\"uid\": 1048576, \"gid\": 1048576, \"size\": 65536}"),
				web.get("idmap"));
		assertEquals(web.get("idmap"), db.get("idmap"), "db has web's user namespace, and so web's ids");
		assertFalse(db.get("privileged").getAsBoolean());
		assertTrue(ice.get("privileged").getAsBoolean());
		assertTrue(ice.get("idmap").isJsonNull());
	}

	@Test
	void theTableIsAlignedInColumns() {
		Cli.Result r = new Cli(engine).run("list");
		assertEquals(0, r.code(), r::toString);
		List<String> lines = r.outLines();
		assertEquals(4, lines.size(), r::toString);
		String header = lines.get(0);
		assertEquals("NAME STATE KIND PID UPTIME MEMORY", header.replaceAll(" +", " "));
		int state = header.indexOf("STATE");
		int kind = header.indexOf("KIND");
		int pid = header.indexOf("PID");
		int uptime = header.indexOf("UPTIME");
		int memory = header.indexOf("MEMORY");
		for (String line : lines.subList(1, lines.size())) {
			assertEquals(' ', line.charAt(state - 1), line);
			assertTrue(line.charAt(state) != ' ' && line.charAt(kind) != ' ' && line.charAt(pid) != ' '
					&& line.charAt(uptime) != ' ' && line.charAt(memory) != ' ', () -> "misaligned: " + lines);
		}
		assertTrue(lines.get(1).startsWith("db "), lines::toString);
		assertEquals("db stopped system - - -", lines.get(1).replaceAll(" +", " "));
		assertTrue(lines.get(2).replaceAll(" +", " ").startsWith("ice frozen system (privileged) "), lines::toString);
		String web = lines.get(3);
		assertTrue(web.substring(state).startsWith("running"), web);
		assertTrue(web.substring(uptime).startsWith("1h 02m"), web);
		assertTrue(web.substring(memory).equals("12 MiB / 256 MiB"), web);
		assertTrue(web.substring(pid).startsWith(Long.toString(engine.snapshot("web").initPid())), web);
	}

	@Test
	void noContainersGiveAHeaderOrAnEmptyArray() {
		FakeLocalEngine empty = new FakeLocalEngine();
		assertEquals(List.of("NAME  STATE  KIND  PID  UPTIME  MEMORY"), new Cli(empty).run("ls").outLines());
		assertEquals("[]", new Cli(empty).run("list", "--json").out().strip());
	}
}
