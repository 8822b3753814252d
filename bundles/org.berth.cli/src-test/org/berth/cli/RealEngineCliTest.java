package org.berth.cli;

import static org.berth.cli.RootTests.deleteTree;
import static org.berth.cli.RootTests.isRoot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Year;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.berth.core.linux.EngineConfig;
import org.berth.core.linux.LinuxEngines;
import org.berth.core.linux.LocalEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The command line against the real engine, as root, on its own roots and cgroup parent: what the
 * core issue's "done when" asks of {@code berth} itself.
 */
class RealEngineCliTest {

	private final String id = "berth-clitest-" + UUID.randomUUID().toString().substring(0, 8);
	private Path configRoot;
	private Path runRoot;
	private EngineConfig config;
	private Cli cli;

	@BeforeEach
	void setUp() throws Exception {
		assumeTrue(isRoot(), "starts real containers: needs root");
		assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs Debian's busybox-static");
		configRoot = Files.createTempDirectory(id,
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
		// as /var/lib/berth is: a container with a user namespace of its own (host uid 1048576+) must reach it
		runRoot = Path.of("/run", id);
		config = EngineConfig.defaults().withRoots(configRoot, runRoot).withCgroupParent(id);
		// like the real command line: every command opens the engine anew (for its containers alone where it can)
		cli = new Cli(this::openFor);
	}

	@AfterEach
	void tearDown() throws Exception {
		if (config == null) {
			return;
		}
		try {
			for (var s : open().list()) {
				if (s.isActive()) {
					cli.run("kill", s.name());
				}
			}
			List<String> names = new ArrayList<>(open().list().stream().map(s -> s.name()).toList());
			names.sort(Comparator.reverseOrder()); // c2 shares with c1: it goes first
			for (String n : names) {
				Cli.Result r = cli.run("destroy", n);
				assertEquals(0, r.code(), r.toString());
			}
			try (var h = Files.list(Path.of("/sys/fs/cgroup"))) {
				assertEquals(List.of(), h.map(d -> d.resolve(id)).filter(Files::isDirectory).toList(),
						"no cgroup left");
			}
		} finally {
			deleteTree(runRoot);
			deleteTree(configRoot);
		}
	}

	private LocalEngine openFor(Collection<String> only) {
		try {
			return only == null ? LinuxEngines.open(config) : LinuxEngines.openOnly(config, only);
		} catch (org.berth.core.BerthException e) {
			throw new IllegalStateException(e);
		}
	}

	private LocalEngine open() {
		try {
			return LinuxEngines.open(config);
		} catch (org.berth.core.BerthException e) {
			throw new IllegalStateException(e);
		}
	}

	private static long inode(long pid, String ns) throws IOException {
		String link = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", ns)).toString();
		return Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
	}

	private Cli.Result ok(String... args) {
		Cli.Result r = cli.run(args);
		assertEquals(0, r.code(), String.join(" ", args) + ": " + r);
		return r;
	}

	@Test
	void theCoreIssuesScenarioThroughTheCommandLine() throws Exception {
		ok("create", "c1", "--template", "busybox", "--ns", "net=host");
		ok("start", "c1");
		JsonObject c1 = JsonParser.parseString(ok("list", "--json").out()).getAsJsonArray().get(0).getAsJsonObject();
		assertEquals("running", c1.get("state").getAsString());
		long pid = c1.get("pid").getAsLong();
		long self = ProcessHandle.current().pid();
		assertEquals(inode(self, "net"), inode(pid, "net"), "net is the host's");
		for (String ns : List.of("pid", "uts", "ipc", "mnt")) {
			assertNotEquals(inode(self, ns), inode(pid, ns), ns + " is the container's own");
		}
		assertEquals(0, cli.run("exec", "c1", "--", "sh", "-c", "test \"$(hostname)\" = c1").code(),
				"hostname inside is c1");
		assertEquals(7, cli.run("exec", "c1", "--", "sh", "-c", "exit 7").code(), "exec returns the command's code");

		ok("create", "c2", "--ns", "uts=share:c1");
		ok("start", "c2");
		long pid2 = open().get("c2").orElseThrow().initPid();
		assertEquals(inode(pid, "uts"), inode(pid2, "uts"), "c2 has c1's uts namespace");
		String ns = ok("ns", "c2", "--json").out();
		assertTrue(ns.contains("\"sharedWith\": \"c1\""), ns);

		int year = Year.now().getValue();
		cli.run("exec", "c1", "--", "date", "-s", "2000-01-01");
		assertEquals(year, Year.now().getValue(), "the host clock is untouched");

		Cli.Result twice = cli.run("start", "c1");
		assertEquals(1, twice.code());
		assertEquals(List.of("berth: cannot start \"c1\": it is already running"), twice.errLines());

		Cli.Result missing = cli.run("create", "c3", "--ns", "uts=share:ghost");
		assertEquals(1, missing.code());
		assertEquals(1, missing.errLines().size(), missing.toString());
		assertTrue(missing.err().contains("ghost"), missing.toString());
		assertTrue(open().get("c3").isEmpty(), "nothing half-created");

		// commands about named containers open the engine for those alone; the rest for all
		cli.scopes.clear();
		ok("freeze", "c2");
		ok("thaw", "c2");
		assertTrue(ok("stats", "c2").out().contains("memory"));
		assertEquals(3, cli.run("exec", "c2", "--", "sh", "-c", "exit 3").code());
		Cli.Result ghost = cli.run("exec", "ghost", "--", "true");
		assertEquals(List.of("berth: no container named \"ghost\""), ghost.errLines(), ghost.toString());
		ok("list");
		assertEquals(java.util.Arrays.asList(List.of("c2"), List.of("c2"), List.of("c2"), List.of("c2"),
				List.of("ghost"), null), cli.scopes);

		ok("stop", "c2", "--timeout", "10");
		ok("kill", "c1");
		assertEquals("stopped", open().get("c1").orElseThrow().state().cli());
		assertEquals(2, JsonParser.parseString(ok("list", "--json").out()).getAsJsonArray().size(),
				"both containers are still defined");
	}

	@Test
	void snapshotDiffExportAndImportThroughTheCommandLine() throws Exception {
		ok("create", "s1", "--template", "busybox", "--start");
		assertEquals(0, cli.run("exec", "s1", "--", "sh", "-c", "echo 1 > /etc/kept && echo x > /etc/gone").code());
		assertTrue(ok("snapshot", "create", "s1", "before").out().startsWith("s1/before: created, "));
		assertEquals(0, cli.run("exec", "s1", "--", "sh", "-c", "echo 22 > /etc/kept && rm /etc/gone").code());
		assertEquals("""
				files:
				  + /etc/gone
				  ~ /etc/kept (size 3 → 2, content)
				""", ok("diff", "s1", "s1/before").out());
		ok("stop", "s1");
		ok("snapshot", "restore", "s1", "before");
		assertEquals("s1 and s1/before are the same\n", ok("diff", "s1", "s1/before").out());
		ok("create", "s2", "--from", "s1/before");
		Path file = configRoot.resolve("s1.tar.zst");
		ok("export", "s1", file.toString());
		ok("import", file.toString(), "s3");
		// the same (the block of host ids the engine gave the copy beside the original is not a difference)
		assertEquals("s1 and s3 are the same\n", ok("diff", "s1", "s3").out());
		Path tree = Files.createDirectories(configRoot.resolve("pushed/sub"));
		Files.writeString(tree.resolve("f"), "pushed\n");
		ok("file", "push", "-r", tree.getParent().toString(), "s1:/root/");
		Path back = Files.createDirectories(configRoot.resolve("pulled"));
		ok("file", "pull", "-r", "s1:/root/pushed", back.toString());
		assertEquals("pushed\n", Files.readString(back.resolve("pushed/sub/f")));
		Cli.Result dir = cli.run("file", "pull", "s1:/root/pushed", back.toString());
		assertEquals(1, dir.code());
		assertTrue(dir.err().contains("give -r"), dir.toString());
		assertEquals("s1: a snapshot every 6h, the newest 3 kept (taken by berth-agent)\n",
				ok("snapshot", "schedule", "s1", "--every", "6h", "--keep", "3").out());
		assertEquals("s1: a snapshot every 6h, the newest 3 kept (taken by berth-agent)\n",
				ok("snapshot", "schedule", "s1").out());
		Cli.Result often = cli.run("snapshot", "schedule", "s1", "--every", "often");
		assertEquals(2, often.code(), often.toString());
		assertTrue(often.err().contains("\"often\" is not a period"), often.toString());
		assertEquals("s1: no scheduled snapshots\n", ok("snapshot", "schedule", "s1", "--off").out());
		ok("snapshot", "delete", "s1", "before");
		assertEquals(1, ok("snapshot", "list", "s1").outLines().size(), "the header alone");
		Files.delete(file);
	}

	@Test
	void imagesThroughTheCommandLine() throws Exception {
		ok("create", "i1", "--template", "busybox", "--start");
		assertEquals(0, cli.run("exec", "i1", "--", "sh", "-c", "echo from-i1 > /etc/marker").code());
		assertTrue(ok("publish", "i1", "--alias", "base1", "--description", "busybox and a marker").out()
				.startsWith("base1: published from i1, "));
		JsonObject image = JsonParser.parseString(ok("image", "list", "--json").out()).getAsJsonArray().get(0)
				.getAsJsonObject();
		assertEquals("base1", image.get("alias").getAsString());
		assertEquals("busybox", image.get("base").getAsString());
		assertEquals("busybox and a marker", image.get("description").getAsString());
		ok("create", "i2", "--image", "base1", "--start");
		assertEquals(0, cli.run("exec", "i2", "--", "grep", "-qx", "from-i1", "/etc/marker").code(),
				"the image's file");
		Cli.Result both = cli.run("create", "i3", "--image", "base1", "--template", "busybox");
		assertEquals(2, both.code(), both.toString());
		assertTrue(both.err().contains("--image cannot be given with --template"), both.toString());
		Cli.Result missing = cli.run("image", "import", configRoot.resolve("none.tar").toString(), "--alias", "x");
		assertEquals(2, missing.code(), missing.toString());
		assertTrue(missing.err().contains("there is no file"), missing.toString());
		Cli.Result clash = cli.run("publish", "i1", "--alias", "base1");
		assertEquals(1, clash.code(), clash.toString());
		assertTrue(clash.err().contains("there is an image \"base1\" already"), clash.toString());
		Cli.Result running = cli.run("rename", "i2", "i4");
		assertEquals(1, running.code(), running.toString());
		assertTrue(running.err().contains("stop it before renaming it"), running.toString());
		ok("stop", "i2");
		assertEquals("i2: renamed i4\n", ok("rename", "i2", "i4").out());
		ok("image", "delete", "base1");
		assertEquals(1, ok("image", "list").outLines().size(), "the header alone");
	}

	@Test
	void descriptionsAndTagsThroughTheCommandLine() throws Exception {
		ok("create", "t1", "--template", "busybox", "--description", "the shop's web server", "--tag", "Web", "--tag",
				"prod");
		ok("create", "t2", "--template", "busybox", "--tag", "web");
		assertEquals("t1: \"the shop's web server\", tags prod, web, www\n", ok("set", "t1", "--tag", "www").out());
		assertEquals("t1: \"the shop's web server\", tags web, www\n", ok("set", "t1", "--untag", "prod").out());
		JsonObject t1 = JsonParser.parseString(ok("list", "--json", "--tag", "www").out()).getAsJsonArray().get(0)
				.getAsJsonObject();
		assertEquals("the shop's web server", t1.get("description").getAsString());
		assertEquals("[\"web\",\"www\"]", t1.get("tags").toString());
		assertEquals(3, ok("list", "--tag", "web").outLines().size(), "the header, t1 and t2");
		assertEquals(1, ok("list", "--tag", "nothing").outLines().size());
		Cli.Result bad = cli.run("set", "t2", "--tag", "no spaces");
		assertEquals(1, bad.code(), bad.toString());
		assertTrue(bad.err().contains("tag \"no spaces\" is not a tag"), bad.toString());
	}
}
