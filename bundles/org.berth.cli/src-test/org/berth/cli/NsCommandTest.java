package org.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.berth.core.ContainerKind;
import org.berth.core.ContainerSpec;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceType;
import org.berth.core.NetworkSpec;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

class NsCommandTest {

	private final FakeLocalEngine engine = new FakeLocalEngine()
			.addRunning(ContainerSpec.builder("c1").build())
			.addRunning(ContainerSpec.builder("app").kind(ContainerKind.APPLICATION).share(NamespaceType.NET, "c1")
					.share(NamespaceType.PID, "c1").build())
			.add(ContainerSpec.builder("off").network(NetworkSpec.HOST).share(NamespaceType.IPC, "c1").build());

	private static JsonObject ns(JsonObject container, String type) {
		for (JsonElement e : container.getAsJsonArray("namespaces")) {
			if (e.getAsJsonObject().get("type").getAsString().equals(type)) {
				return e.getAsJsonObject();
			}
		}
		throw new AssertionError("no " + type + " in " + container);
	}

	@Test
	void jsonShape() {
		Cli.Result r = new Cli(engine).run("ns", "--json");
		assertEquals(0, r.code(), r::toString);
		JsonArray all = JsonParser.parseString(r.out()).getAsJsonArray();
		assertEquals(List.of("app", "c1", "off"), all.asList().stream()
				.map(e -> e.getAsJsonObject().get("name").getAsString()).toList());
		for (JsonElement e : all) {
			JsonObject c = e.getAsJsonObject();
			assertEquals(Set.of("name", "state", "namespaces"), c.keySet());
			JsonArray list = c.getAsJsonArray("namespaces");
			assertEquals(NamespaceType.values().length, list.size());
			for (JsonElement n : list) {
				assertEquals(Set.of("type", "mode", "sharedWith", "inode", "configured"), n.getAsJsonObject().keySet());
			}
		}
		JsonObject app = all.get(0).getAsJsonObject();
		JsonObject c1 = all.get(1).getAsJsonObject();
		JsonObject off = all.get(2).getAsJsonObject();

		JsonObject appNet = ns(app, "net");
		assertEquals("share", appNet.get("mode").getAsString());
		assertEquals("c1", appNet.get("sharedWith").getAsString());
		assertEquals("share:c1", appNet.get("configured").getAsString());
		assertEquals(ns(c1, "net").get("inode").getAsLong(), appNet.get("inode").getAsLong());
		assertEquals(engine.snapshot("c1").namespaces().get(NamespaceType.NET).inode(),
				appNet.get("inode").getAsLong());
		JsonObject appMnt = ns(app, "mnt");
		assertEquals("new", appMnt.get("mode").getAsString());
		assertTrue(appMnt.get("sharedWith").isJsonNull());
		assertTrue(appMnt.get("inode").getAsLong() != ns(c1, "mnt").get("inode").getAsLong());
		assertEquals("new", ns(c1, "user").get("mode").getAsString(), "a user namespace of its own by default");
		assertTrue(
				FakeLocalEngine.HOST_INODE + NamespaceType.USER.ordinal() != ns(c1, "user").get("inode").getAsLong());

		assertEquals("stopped", off.get("state").getAsString());
		JsonObject offIpc = ns(off, "ipc");
		assertEquals("share", offIpc.get("mode").getAsString());
		assertEquals("c1", offIpc.get("sharedWith").getAsString());
		assertTrue(offIpc.get("inode").isJsonNull());
		assertEquals(NamespaceMode.HOST.cli(), ns(off, "net").get("mode").getAsString());
	}

	@Test
	void oneContainerAsATable() {
		Cli.Result r = new Cli(engine).run("ns", "app");
		assertEquals(0, r.code(), r::toString);
		List<String> lines = r.outLines();
		assertEquals(1 + NamespaceType.values().length, lines.size(), r::toString);
		assertEquals("NAME STATE TYPE MODE INODE", lines.get(0).replaceAll(" +", " "));
		long inode = engine.snapshot("c1").namespaces().get(NamespaceType.NET).inode();
		assertTrue(lines.contains("app   running  net     shared with c1  " + inode), r::toString);
		Cli.Result stopped = new Cli(engine).run("ns", "off");
		assertTrue(stopped.outLines().contains("off   stopped  ipc     share:c1  -"), stopped::toString);
		assertTrue(stopped.outLines().contains("off   stopped  net     host      -"), stopped::toString);
	}

	@Test
	void anUnknownContainer() {
		Cli.Result r = new Cli(engine).run("ns", "ghost", "--json");
		assertEquals(1, r.code());
		assertEquals("", r.out());
		ErrorsTest.assertOneErrorLine(r, "no container named \"ghost\"");
	}
}
