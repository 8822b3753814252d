package org.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.berth.core.ContainerSpec;
import org.berth.core.Limits;
import org.berth.core.SpecDiff;
import org.berth.core.TreeDiff;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** {@code berth snapshot …}, {@code berth create --from} and {@code berth diff} on the fake engine. */
class SnapshotCommandTest {

	private FakeLocalEngine engine;
	private Cli cli;

	@BeforeEach
	void setUp() {
		engine = new FakeLocalEngine().add(ContainerSpec.builder("c1").limits(Limits.NONE.withPids(20L)).build());
		cli = new Cli(engine);
	}

	private Cli.Result ok(String... args) {
		Cli.Result r = cli.run(args);
		assertEquals(0, r.code(), r::toString);
		assertEquals("", r.err(), r::toString);
		return r;
	}

	@Test
	void createListRestoreDelete() {
		assertEquals("c1/snap0: created, 3 MiB (copy)\n", ok("snapshot", "create", "c1").out());
		assertEquals("c1/before: created, 3 MiB (copy)\n", ok("snapshot", "create", "c1", "before").out());
		List<String> lines = ok("snapshot", "list", "c1").outLines();
		assertEquals(3, lines.size(), lines::toString);
		assertTrue(lines.get(0).matches("NAME +CREATED +SIZE +KIND"), lines.get(0));
		assertTrue(lines.get(1).matches("snap0 +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +3 MiB +copy"), lines.get(1));
		assertTrue(lines.get(2).startsWith("before "), lines.get(2));

		JsonArray json = JsonParser.parseString(ok("snapshot", "list", "c1", "--json").out()).getAsJsonArray();
		JsonObject first = json.get(0).getAsJsonObject();
		assertEquals("snap0", first.get("name").getAsString());
		assertEquals("2025-01-01T10:00:00Z", first.get("created").getAsString());
		assertEquals(3 * 1024 * 1024, first.get("sizeBytes").getAsLong());
		assertEquals("copy", first.get("kind").getAsString());

		assertEquals("c1: restored from before\n", ok("snapshot", "restore", "c1", "before").out());
		assertEquals("c1/snap0: deleted\n", ok("snapshot", "delete", "c1", "snap0").out());
		assertEquals(List.of("createSnapshot c1 null", "createSnapshot c1 before", "snapshots c1", "snapshots c1",
				"restoreSnapshot c1 before", "deleteSnapshot c1 snap0"), engine.calls);
	}

	@Test
	void failuresAreSentences() {
		Cli.Result none = cli.run("snapshot", "delete", "c1", "nope");
		assertEquals(1, none.code());
		assertEquals("berth: \"c1\" has no snapshot \"nope\"\n", none.err());
		engine.addRunning(ContainerSpec.builder("run").build());
		ok("snapshot", "create", "run", "s");
		Cli.Result running = cli.run("snapshot", "restore", "run", "s");
		assertEquals(1, running.code());
		assertEquals("berth: stop \"run\" before restoring a snapshot: its files are replaced\n", running.err());
		Cli.Result what = cli.run("snapshot");
		assertEquals(2, what.code());
		assertTrue(what.err().startsWith("berth: say what to do: create, list, restore, delete or schedule"),
				what.err());
		Cli.Result missing = cli.run("snapshot", "restore", "c1");
		assertEquals(2, missing.code());
		assertTrue(missing.err().contains("SNAP"), missing.err());
	}

	@Test
	void createFromASnapshotTakesItsSpecAndNothingElse() {
		ok("snapshot", "create", "c1", "s1");
		assertEquals("c2: created from c1/s1\n", ok("create", "c2", "--from", "c1/s1").out());
		assertEquals(20L, engine.snapshot("c2").spec().limits().pids());
		Cli.Result both = cli.run("create", "c3", "--from", "c1/s1", "--memory", "1G");
		assertEquals(2, both.code());
		assertTrue(both.err().startsWith("berth: --memory cannot be given with --from"), both.err());
		Cli.Result bad = cli.run("create", "c3", "--from", "c1");
		assertEquals(2, bad.code());
		assertTrue(bad.err().startsWith("berth: --from: \"c1\" names no snapshot"), bad.err());
		assertTrue(engine.snapshot("c3") == null, "nothing was made");
	}

	@Test
	void diffAsTextAndJson() {
		engine.diffSpec = List.of(new SpecDiff.Change("memory", "", "64 MiB"));
		engine.diffFiles = List.of(new TreeDiff.Change("/data/added", TreeDiff.Kind.ADDED, TreeDiff.Type.FILE,
				List.of()),
				new TreeDiff.Change("/data/edited", TreeDiff.Kind.CHANGED, TreeDiff.Type.FILE,
						List.of(new TreeDiff.Detail("size", "6", "8"), new TreeDiff.Detail("content", "aa", "bb"))));
		assertEquals("""
				spec:
				  memory  -  → 64 MiB
				files:
				  + /data/added
				  ~ /data/edited (size 6 → 8, content)
				""", ok("diff", "c1/s1", "c1").out());
		JsonObject json = JsonParser.parseString(ok("diff", "c1/s1", "c1", "--json").out()).getAsJsonObject();
		assertEquals("c1/s1", json.get("a").getAsString());
		assertEquals("memory", json.getAsJsonArray("spec").get(0).getAsJsonObject().get("field").getAsString());
		JsonObject edited = json.getAsJsonArray("files").get(1).getAsJsonObject();
		assertEquals("changed", edited.get("change").getAsString());
		assertEquals("file", edited.get("type").getAsString());
		assertEquals("bb", edited.getAsJsonArray("details").get(1).getAsJsonObject().get("b").getAsString());

		engine.diffSpec = List.of();
		engine.diffFiles = List.of();
		assertEquals("c1 and c1 are the same\n", ok("diff", "c1", "c1").out());
	}
}
