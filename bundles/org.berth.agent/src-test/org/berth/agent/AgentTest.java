package org.berth.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.berth.client.AgentEngine;
import org.berth.core.ContainerExistsException;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ImageInfo;
import org.berth.core.ContainerState;
import org.berth.core.EngineEvent;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.IllegalTransitionException;
import org.berth.core.NoSuchContainerException;
import org.berth.core.TerminalRequest;
import org.berth.core.TerminalSession;
import org.berth.core.linux.EngineConfig;
import org.berth.core.linux.LinuxEngines;
import org.berth.core.linux.LocalEngine;
import org.berth.core.wire.Api;
import org.berth.core.wire.ListEntry;
import org.berth.core.wire.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/**
 * The agent in this process on a temp socket, with a real engine on temp roots (as root, busybox template), used
 * through {@link AgentEngine}, curl and raw sockets. Everything it made is removed at the end.
 */
class AgentTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	static String id;
	static Path configRoot;
	static Path runRoot;
	static Path socketDir;
	static Path socket;
	static Path audit;
	static LocalEngine engine;
	static Agent agent;

	@BeforeAll
	static void start() throws Exception {
		assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
		assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs Debian's busybox-static");
		id = "berth-test-" + HexFormat.of().toHexDigits(new Random().nextInt()).substring(2);
		configRoot = Files.createTempDirectory(id);
		Files.setPosixFilePermissions(configRoot, PosixFilePermissions.fromString("rwxr-xr-x"));
		runRoot = Path.of("/run", id);
		socketDir = Files.createTempDirectory(id + "-sock");
		Files.setPosixFilePermissions(socketDir, PosixFilePermissions.fromString("rwxr-xr-x"));
		socket = socketDir.resolve("berth.sock");
		audit = socketDir.resolve("log/audit.jsonl");
		run("ip", "netns", "add", id);
		EngineConfig config = EngineConfig.defaults().withRoots(configRoot, runRoot).withCgroupParent(id)
				.withNetwork("br-" + id.substring(id.length() - 6), id, "10.213.9.0/24");
		engine = LinuxEngines.open(config);
		agent = Agent.start(Agent.Config.defaults().withSocket(socket).withAuditLog(audit)
				.withIdleTimeout(Duration.ofSeconds(3)), engine);
	}

	@AfterAll
	static void stop() throws Exception {
		try {
			if (engine != null) {
				for (ContainerSnapshot s : engine.list()) {
					if (s.isActive()) {
						engine.kill(s.name()).get(30, TimeUnit.SECONDS);
					}
					engine.destroy(s.name()).get(30, TimeUnit.SECONDS);
				}
			}
			if (agent != null) {
				agent.close();
				assertTrue(!Files.exists(socket), "the socket is removed");
			}
			if (engine != null) {
				engine.close();
			}
		} finally {
			if (id != null) {
				if (Files.exists(Path.of("/run/netns", id))) {
					run("ip", "netns", "del", id);
				}
				deleteTree(runRoot);
				deleteTree(configRoot);
				deleteTree(socketDir);
				for (Path h : Files.list(Path.of("/sys/fs/cgroup")).toList()) {
					assertTrue(!Files.isDirectory(h.resolve(id)), "cgroup left: " + h.resolve(id));
				}
			}
		}
	}

	private static <T> T await(CompletableFuture<T> f) throws Exception {
		try {
			return f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		} catch (ExecutionException e) {
			throw e.getCause() instanceof Exception c ? c : e;
		}
	}

	@Test
	void lifecycleListAndTerminalThroughTheClient() throws Exception {
		try (AgentEngine client = AgentEngine.connect(socket)) {
			assertEquals("root", client.user());
			ContainerSpec spec = ContainerSpec.builder("a1").template("busybox").build();
			assertEquals(ContainerState.STOPPED, await(client.define(spec)).state());
			assertTrue(client.get("a1").isPresent(), "the cache knows it at once");
			assertInstanceOf(ContainerExistsException.class, assertFails(client.define(spec)));
			assertInstanceOf(NoSuchContainerException.class, assertFails(client.start("nope")));
			assertInstanceOf(IllegalTransitionException.class, assertFails(client.freeze("a1")));

			assertEquals(ContainerState.RUNNING, await(client.start("a1")).state());
			ExecResult r = await(client.exec("a1", ExecRequest.of("sh", "-c", "echo out; echo err >&2; exit 3")));
			assertEquals(3, r.exitCode());
			assertEquals("out\n", r.stdoutText());
			assertEquals("err\n", r.stderrText());
			waitFor(() -> client.get("a1").map(ContainerSnapshot::isRunning).orElse(false), "event: running");

			// a command about named containers (berth exec, stop, …) loads those alone, the templates when asked
			await(client.define(ContainerSpec.builder("a2").template("busybox").build()));
			try (AgentEngine one = AgentEngine.connectOnce(socket, List.of("a1", "nope"))) {
				assertEquals(List.of("a1"), one.list().stream().map(ContainerSnapshot::name).toList());
				assertTrue(one.get("a1").orElseThrow().isRunning());
				assertTrue(one.templates().contains("busybox"), "the templates, asked for: " + one.templates());
			}
			await(client.destroy("a2"));

			try (TerminalSession t = await(client.openTerminal("a1", TerminalRequest.shell(80, 24)))) {
				t.input().write("echo typed-$((6*7))\n".getBytes(StandardCharsets.UTF_8));
				t.input().flush();
				String seen = readUntil(t.output(), "typed-42");
				assertTrue(seen.contains("typed-42"), seen);
				t.resize(100, 30);
				t.input().write("stty size; exit 5\n".getBytes(StandardCharsets.UTF_8));
				assertTrue(readUntil(t.output(), "30 100").contains("30 100"));
				assertEquals(5, t.onExit().get(30, TimeUnit.SECONDS));
			}

			// the console: the init's output so far, and what comes; closing it leaves the container running
			try (TerminalSession console = await(client.watchConsole("a1"))) {
				assertNotNull(console.title());
			}
			assertEquals(new NoSuchContainerException("nope").getMessage(),
					assertFails(client.watchConsole("nope")).getMessage(), "the agent's sentence");
			assertTrue(assertFails(client.openTerminal("nope", TerminalRequest.shell(80, 24))).getMessage()
					.contains("nope"));
			assertTrue(client.get("a1").orElseThrow().isRunning());

			assertEquals(ContainerState.STOPPED, await(client.stop("a1", Duration.ofSeconds(5))).state());
			// stopped: nothing in the entries moves between two reads, so they can be compared whole
			List<ListEntry> entries = await(client.listEntries());
			List<ContainerSnapshot> all = engine.list();
			List<ListEntry> local = new ArrayList<>();
			for (ContainerSnapshot s : all) {
				local.add(ListEntry.of(s, all, null, Instant.now()));
			}
			assertEquals(Wire.toTree(local), Wire.toTree(entries));
			JsonElement curl = JsonParser.parseString(curl("http://berth/1.0/containers"));
			assertEquals(Wire.toTree(local), curl, "curl gets what the CLI's builder makes");

			await(client.destroy("a1"));
			assertTrue(client.get("a1").isEmpty());
			assertTrue(Files.readString(audit).contains("\"action\":\"start\",\"container\":\"a1\",\"status\":200"),
					"the start is audited");
		}
	}

	@Test
	void eventsReachOtherClientsAndAClientReconnectsToANewAgent() throws Exception {
		try (AgentEngine one = AgentEngine.connect(socket); AgentEngine two = AgentEngine.connect(socket)) {
			List<EngineEvent> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
			two.addListener(heard::add);
			await(one.define(ContainerSpec.builder("e1").template("busybox").build()));
			await(one.start("e1"));
			waitFor(() -> heard.stream().anyMatch(e -> e.name().equals("e1") && e.snapshot() != null
					&& e.snapshot().isRunning()), "the other client hears e1 start");
			assertTrue(two.get("e1").map(ContainerSnapshot::isRunning).orElse(false));
			long pid = two.get("e1").orElseThrow().initPid();

			waitFor(() -> {
				try {
					return await(two.history("e1", null)).times().length > 0;
				} catch (Exception e) {
					return false;
				}
			}, "the agent's sampler has history for e1");
			// a client's copy of the histories starts with what the agent has, then follows its samples
			org.berth.core.Monitoring copy = one.monitoring().orElseThrow();
			waitFor(() -> copy.history("e1").map(c -> c.size(copy.tiers().get(0)) > 0).orElse(false)
					&& copy.latest("e1").isPresent(), "the client's copy of e1's history");
			long before = copy.sweeps();
			waitFor(() -> copy.sweeps() > before, "the copy follows the agent's sweeps");
			assertTrue(await(one.consoleLog("e1")) != null, "the console log through the agent");
			Api.History h = await(two.history("e1", "1s"));
			assertEquals(h.times().length, h.values().get("memory_bytes").length);
			assertTrue(assertFails(two.history("e1", "7y")).getMessage().startsWith("tier: \"7y\" is not one of"));

			// the agent goes; the container stays; a new agent on the same socket is found again
			agent.close();
			waitFor(() -> !two.isConnected(), "the client notices");
			assertTrue(Files.exists(Path.of("/proc", Long.toString(pid))), "e1's init outlives the agent");
			agent = Agent.start(Agent.Config.defaults().withSocket(socket).withAuditLog(audit)
					.withIdleTimeout(Duration.ofSeconds(3)), engine);
			waitFor(two::isConnected, "the client reconnects");
			await(one.stop("e1", Duration.ofSeconds(5)));
			waitFor(() -> two.get("e1").map(s -> s.state() == ContainerState.STOPPED).orElse(false),
					"events flow again");
			await(two.destroy("e1"));
		}
	}

	@Test
	void imagesExportAndImportStreamThroughTheAgent() throws Exception {
		try (AgentEngine client = AgentEngine.connect(socket)) {
			await(client.define(ContainerSpec.builder("im1").template("busybox").build()));
			await(client.start("im1"));
			assertEquals(0, await(client.exec("im1", ExecRequest.of("sh", "-c", "echo via-agent > /etc/marker")))
					.exitCode());
			ImageInfo image = await(client.publishImage("im1", "agent-img", "made through the agent"));
			assertEquals("busybox", image.base());
			assertEquals(List.of("agent-img"), await(client.images()).stream().map(ImageInfo::alias).toList());
			await(client.createFromImage(ContainerSpec.builder("im2").build(), "agent-img"));
			await(client.start("im2"));
			assertEquals("via-agent\n", await(client.exec("im2", ExecRequest.of("cat", "/etc/marker"))).stdoutText());

			// an export streamed out of the agent, then into it again under another name
			java.io.ByteArrayOutputStream archive = new java.io.ByteArrayOutputStream();
			await(client.exportContainer("im1", archive));
			assertTrue(archive.size() > 0);
			ContainerSnapshot copy = await(client.importContainer(new java.io.ByteArrayInputStream(archive
					.toByteArray()), "im3"));
			assertEquals("im3", copy.name());
			assertTrue(client.get("im3").isPresent(), "the client's list has it");
			assertEquals(List.of(), await(client.snapshots("im3")), "a plain export has no snapshots");
			// with its snapshots (?snapshots=1): the import brings them back
			await(client.createSnapshot("im3", "snap1"));
			java.io.ByteArrayOutputStream withSnaps = new java.io.ByteArrayOutputStream();
			await(client.exportContainer("im3", withSnaps, true));
			await(client.importContainer(new java.io.ByteArrayInputStream(withSnaps.toByteArray()), "im4"));
			assertEquals(List.of("snap1"), await(client.snapshots("im4")).stream().map(s -> s.name()).toList());
			await(client.destroy("im4"));
			Exception missing = assertThrows(Exception.class, () -> await(client.exportContainer("none",
					java.io.OutputStream.nullOutputStream())));
			assertTrue(missing instanceof NoSuchContainerException, missing.toString());

			// a root file system tarball streamed in as an image
			Path tar = socketDir.resolve("img.tar");
			run("tar", "-C", configRoot.resolve(".images/agent-img/rootfs").toString(), "--numeric-owner", "-cf",
					tar.toString(), ".");
			try (InputStream in = Files.newInputStream(tar)) {
				ImageInfo imported = await(client.importImage(in, "agent-tar", "from a tarball", "img.tar"));
				assertEquals("imported from img.tar", imported.origin());
			}
			Files.delete(tar);
			Exception clash = assertThrows(Exception.class, () -> await(client.importImage(InputStream
					.nullInputStream(), "agent-tar", null, null)));
			assertTrue(clash.getMessage().contains("there is an image \"agent-tar\" already"), clash.toString());
			await(client.deleteImage("agent-img"));
			await(client.deleteImage("agent-tar"));
			assertEquals(List.of(), await(client.images()));
			for (String c : List.of("im1", "im2")) {
				await(client.kill(c));
			}
			for (String c : List.of("im1", "im2", "im3")) {
				await(client.destroy(c));
			}
		}
	}

	@Test
	void filesAreListedReadAndWrittenInsideTheContainerThroughTheAgent() throws Exception {
		try (AgentEngine client = AgentEngine.connect(socket)) {
			await(client.define(ContainerSpec.builder("f1").template("busybox").build()));
			await(client.start("f1"));
			List<String> etc = await(client.listFiles("f1", "/etc")).stream().map(org.berth.core.FileEntry::name)
					.toList();
			assertTrue(etc.contains("passwd"), etc.toString());
			await(client.writeFile("f1", "/root/note.txt", "via the agent\n".getBytes(StandardCharsets.UTF_8)));
			assertEquals("via the agent\n", new String(await(client.readFile("f1", "/root/note.txt", 1024)),
					StandardCharsets.UTF_8));
			assertEquals("via the agent\n", new String(await(client.exec("f1", ExecRequest.of("cat",
					"/root/note.txt"))).stdout(), StandardCharsets.UTF_8), "the container sees what was written");
			assertTrue(assertFails(client.readFile("f1", "/root/note.txt", 4)).getMessage().contains("larger than"));
			assertTrue(assertFails(client.readFile("f1", "/nope", 4)).getMessage().contains("nope"));
			assertTrue(Files.readString(audit).contains("\"action\":\"write /root/note.txt\",\"container\":\"f1\""),
					"the write is audited");
			await(client.kill("f1"));
			await(client.destroy("f1"));
		}
	}

	@Test
	void autostartStartsTheMarkedContainersAndSaysWhy() throws Exception {
		await(engine.define(ContainerSpec.builder("as1").template("busybox").autostart(true).build()));
		await(engine.define(ContainerSpec.builder("as2").template("busybox").autostart(true)
				.share(org.berth.core.NamespaceType.UTS, "as1").build()));
		await(engine.define(ContainerSpec.builder("as3").template("busybox").build()));
		List<String> log = new ArrayList<>();
		List<String> started = Autostart.run(engine, log::add);
		assertTrue(started.containsAll(List.of("as1", "as2")), log.toString());
		assertTrue(started.indexOf("as1") < started.indexOf("as2"), "the shared one first: " + started);
		assertTrue(log.contains("autostart: as1 started"), log.toString());
		assertEquals(ContainerState.STOPPED, engine.get("as3").orElseThrow().state(), "not marked");
		for (String c : List.of("as2", "as1")) {
			await(engine.kill(c));
		}
		for (String c : List.of("as2", "as1", "as3")) {
			await(engine.destroy(c));
		}
	}

	@Test
	void aUserOutsideTheGroupIsRefusedWithTheSentenceAndAudited() throws Exception {
		// the socket's mode is the first wall; open it here to reach the second, the peer check
		Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
		Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "curl", "-s",
				"-w", "\\n%{http_code}", "--unix-socket", socket.toString(), "-X", "PUT", "-d",
				"{\"action\":\"start\"}", "http://berth/1.0/containers/a1/state").redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertEquals(0, p.waitFor());
		assertTrue(out.endsWith("\n403"), out);
		String error = JsonParser.parseString(out.substring(0, out.lastIndexOf('\n'))).getAsJsonObject()
				.get("error").getAsString();
		assertTrue(error.contains("(uid 65534) is not in group berth: ask an administrator to run `usermod -aG berth"),
				error);
		waitFor(() -> {
			try {
				return Files.readString(audit).lines()
						.anyMatch(l -> l.contains("\"uid\":65534") && l.contains("\"status\":403"));
			} catch (IOException e) {
				return false;
			}
		}, "the refusal in the audit log");
	}

	/**
	 * The {@code berth} command of a user other than root goes through the agent: a member of group berth (nobody
	 * with berth as a supplementary group) makes, starts, runs a command in, stops and destroys a container; nobody
	 * outside the group gets exit status 1 and one sentence naming the group; both are in the audit log.
	 */
	@Test
	void theCommandLineOfAGroupMemberGoesThroughTheAgentAndAnOutsiderIsTold() throws Exception {
		String gid = Files.readAllLines(Path.of("/etc/group")).stream().filter(l -> l.startsWith("berth:"))
				.map(l -> l.split(":")[2]).findFirst().orElse(null);
		assumeTrue(gid != null, "needs group berth (releng/setup-host makes it)");
		String member = "--groups=" + gid;
		Cli create = berth(member, "create", "--template", "busybox", "cl1");
		assertEquals(0, create.status(), create.toString());
		assertEquals(0, berth(member, "start", "cl1").status());
		assertTrue(engine.get("cl1").orElseThrow().isRunning(), "started by the agent's engine");
		Cli exec = berth(member, "exec", "cl1", "--", "sh", "-c", "echo out-$((6*7)); echo err >&2; exit 3");
		assertEquals(3, exec.status(), exec.toString());
		assertEquals("out-42\n", exec.out());
		assertEquals("err\n", exec.err());
		Cli piped = berthWithInput("piped data\n", member, "exec", "cl1", "--", "sh", "-c", "tr a-z A-Z; exit 4");
		assertEquals(4, piped.status(), piped.toString());
		assertEquals("PIPED DATA\n", piped.out(), "standard input through the agent");
		Cli big = berthWithInput("x".repeat(3 << 20), member, "exec", "cl1", "--", "wc", "-c");
		assertEquals("3145728", big.out().strip(), "a stdin of 3 MiB streams whole: " + big);
		execStreamsBothWaysAsItGoes(member);
		quickAndFullPathsAgree(member);
		Cli list = berth(member, "list", "--json");
		assertEquals(0, list.status(), list.toString());
		assertTrue(JsonParser.parseString(list.out()).getAsJsonArray().asList().stream()
				.anyMatch(e -> e.getAsJsonObject().get("name").getAsString().equals("cl1")), list.out());
		Cli console = berth(member, "console", "cl1");
		assertEquals(0, console.status(), console.toString());
		Path pulled = socketDir.resolve("pulled");
		Files.createDirectories(pulled);
		Files.setPosixFilePermissions(pulled, PosixFilePermissions.fromString("rwxrwxrwx"));
		Cli pull = berth(member, "file", "pull", "cl1:/etc/passwd", pulled.toString());
		assertEquals(0, pull.status(), pull.toString());
		assertTrue(Files.readString(pulled.resolve("passwd")).startsWith("root:"), "pulled with nobody's rights");
		assertEquals(65534, Files.getAttribute(pulled.resolve("passwd"), "unix:uid"), "written by the user");
		Cli push = berth(member, "file", "push", pulled.resolve("passwd").toString(), "cl1:/root/");
		assertEquals(0, push.status(), push.toString());
		assertTrue(push.out().contains("cl1:/root/passwd"), push.out());
		// folders: a tar archive each way, packed and unpacked with nobody's rights
		Cli folder = berth(member, "file", "pull", "-r", "cl1:/etc", pulled.toString());
		assertEquals(0, folder.status(), folder.toString());
		assertTrue(Files.readString(pulled.resolve("etc/passwd")).startsWith("root:"), "the tree came out");
		assertEquals(65534, Files.getAttribute(pulled.resolve("etc/passwd"), "unix:uid"), "unpacked by the user");
		Cli renamed = berth(member, "file", "pull", "-r", "cl1:/etc", pulled.resolve("etc-copy").toString());
		assertEquals(0, renamed.status(), renamed.toString());
		assertTrue(Files.isRegularFile(pulled.resolve("etc-copy/passwd")), "a new name for the folder");
		Cli back = berth(member, "file", "push", "-r", pulled.resolve("etc").toString(), "cl1:/root/");
		assertEquals(0, back.status(), back.toString());
		Cli there = berth(member, "exec", "cl1", "--", "sh", "-c", "stat -c %u /root/etc/passwd");
		assertEquals("0\n", there.out(), "pushed, owned by the container's root: " + there);
		Path fifo = pulled.resolve("with-fifo");
		Files.createDirectories(fifo);
		run("mkfifo", fifo.resolve("pipe").toString());
		Files.setPosixFilePermissions(fifo, PosixFilePermissions.fromString("rwxrwxrwx"));
		Cli special = berth(member, "file", "push", "-r", fifo.toString(), "cl1:/root/");
		assertEquals(1, special.status(), special.toString());
		assertTrue(special.err().contains("holds a device node or FIFO"), special.err());
		Cli events = berth(member, "events", "--container", "cl1");
		assertEquals(0, events.status(), events.toString());
		assertTrue(events.out().lines().anyMatch(l -> l.matches("\\S+  nobody\\(65534\\)  start  cl1  ok")),
				events.out());
		Cli json = berth(member, "events", "--json", "--user", "65534", "-n", "1");
		assertEquals(1, json.out().lines().count(), json.toString());
		assertEquals("audit", JsonParser.parseString(json.out()).getAsJsonObject().get("type").getAsString());
		// checkpoint and restore (CRIU, provided by releng/setup-criu): a member may, a folder of its choosing not
		Cli dir = berth(member, "checkpoint", "cl1", "--dir", socketDir.resolve("ck").toString());
		assertEquals(1, dir.status(), dir.toString());
		assertTrue(dir.err().contains("only root may name a folder"), dir.err());
		Cli checkpoint = berth(member, "checkpoint", "cl1", "ck1");
		assertEquals(0, checkpoint.status(), checkpoint.toString());
		assertTrue(checkpoint.out().startsWith("cl1: checkpoint ck1 written"), checkpoint.out());
		assertTrue(berth(member, "checkpoint", "--list", "cl1").out().lines().anyMatch(l -> l.startsWith("ck1 ")));
		Cli restored = berth(member, "restore", "cl1");
		assertEquals(0, restored.status(), restored.toString());
		assertEquals("0\n", berth(member, "exec", "cl1", "--", "sh", "-c", "stat -c %u /root/etc/passwd").out(),
				"running again, its files its own");
		assertEquals(0, berth(member, "checkpoint", "--delete", "cl1", "ck1").status());
		// migrate through the agent: its progress streams to the member's berth; a target that does not answer
		// (nothing listens on 127.0.0.1:1) is found before the container is touched
		Cli migrate = berth(member, "migrate", "cl1", "--to", "ssh://root@127.0.0.1:1");
		assertEquals(1, migrate.status(), migrate.toString());
		assertTrue(migrate.err().contains("check: connecting to ssh://root@127.0.0.1:1"), migrate.err());
		assertTrue(migrate.err().contains("could not reach ssh://root@127.0.0.1:1: ")
				&& migrate.err().contains("(it keeps running here)"), migrate.err());
		assertEquals(ContainerState.RUNNING, engine.get("cl1").orElseThrow().state());
		Cli badTarget = berth(member, "migrate", "cl1", "--to", "host2");
		assertEquals(1, badTarget.status(), badTarget.toString());
		assertTrue(badTarget.err().contains("\"host2\" is not a target: write ssh://[user@]host[:port]"),
				badTarget.err());
		assertEquals(0, berth(member, "stop", "cl1").status());
		assertEquals(0, berth(member, "destroy", "cl1").status());
		assertTrue(engine.get("cl1").isEmpty());

		// kept out by the socket's mode (root:berth 0660), then, with the socket open to all, by the agent's check
		Set<java.nio.file.attribute.PosixFilePermission> mode = Files.getPosixFilePermissions(socket);
		try {
			for (String m : List.of("rw-rw----", "rw-rw-rw-")) {
				Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString(m));
				Cli outsider = berth("--clear-groups", "list");
				assertEquals(1, outsider.status(), m + ": " + outsider);
				assertEquals(1, outsider.err().lines().count(), outsider.err());
				assertTrue(outsider.err().startsWith("berth: ") && outsider.err().contains("group berth")
						&& outsider.err().contains("usermod -aG berth"), m + ": " + outsider.err());
			}
		} finally {
			Files.setPosixFilePermissions(socket, mode);
		}
		String log = Files.readString(audit);
		assertTrue(log.lines().anyMatch(l -> l.contains("\"uid\":65534") && l.contains("\"action\":\"destroy\"")
				&& l.contains("\"status\":200")), "the member's destroy is audited");
	}

	private static String cliClassPath;

	/**
	 * This test's class path as nobody can read it: the jars under root's ~/.m2 (which nobody may not enter) are
	 * copied once into the test's socket folder, which is removed at the end.
	 */
	private static synchronized String classPathForNobody() throws IOException {
		if (cliClassPath == null) {
			Path copies = Files.createDirectories(socketDir.resolve("classpath"));
			List<String> entries = new ArrayList<>();
			for (String e : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
					.split(java.io.File.pathSeparator)) {
				Path p = Path.of(e);
				if (e.startsWith("/root/") && Files.isRegularFile(p)) {
					Path copy = copies.resolve(entries.size() + "-" + p.getFileName());
					Files.copy(p, copy);
					Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
					entries.add(copy.toString());
				} else {
					entries.add(e);
				}
			}
			cliClassPath = String.join(java.io.File.pathSeparator, entries);
		}
		return cliClassPath;
	}

	/**
	 * {@code berth exec} through the agent streams: the command's first line arrives while it still waits for input,
	 * and the input typed after that reaches it; the exit status comes back.
	 */
	/**
	 * {@code berth list} and a plain {@code berth exec} take the quick path ({@code QuickPath}: one request, no picocli
	 * or Jetty); they print and exit as the full path does (BERTH_QUICK=0), also when the agent refuses.
	 */
	private static void quickAndFullPathsAgree(String member) throws Exception {
		Map<String, String> full = Map.of("BERTH_QUICK", "0");
		String[][] lines = {{"exec", "cl1", "--", "sh", "-c", "echo out; echo err >&2; exit 7"},
				{"exec", "cl1", "cat"}, {"exec", "cl1", "--", "/no/such/program"}, {"exec", "no-such", "--", "true"},
				{"list", "--json"}};
		for (String[] args : lines) {
			Cli quick = berthWithInput(Map.of(), "in\n", member, args);
			Cli slow = berthWithInput(full, "in\n", member, args);
			String what = String.join(" ", args);
			assertEquals(slow.status(), quick.status(), what + ": " + quick + " / " + slow);
			assertEquals(slow.err(), quick.err(), what);
			if (args[0].equals("list")) {
				// the uptime and the memory in use may have moved on between the two
				String moving = "\"(uptimeSeconds|memoryBytes)\": \\d+";
				assertEquals(slow.out().replaceAll(moving, ""), quick.out().replaceAll(moving, ""), what);
			} else {
				assertEquals(slow.out(), quick.out(), what);
			}
		}
		Cli table = berth(member, "ls");
		assertEquals(0, table.status(), table.toString());
		assertTrue(table.out().startsWith("NAME ") && table.out().lines().anyMatch(l -> l.startsWith("cl1 ")),
				table.out());
		// a user outside the group: see the end of theCommandLineOfAGroupMember… (list, refused by the socket's
		// mode and by the agent)
	}

	private static void execStreamsBothWaysAsItGoes(String member) throws Exception {
		Path err = Files.createTempFile(socketDir, "err", ".txt");
		Process p = startBerth(true, err, member, "exec", "cl1", "--", "sh", "-c",
				"echo ready; read line; echo got-$line; exit 5");
		try {
			java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
					StandardCharsets.UTF_8));
			CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
				try {
					return out.readLine();
				} catch (IOException e) {
					throw new java.io.UncheckedIOException(e);
				}
			});
			assertEquals("ready", first.get(60, TimeUnit.SECONDS), "output before the command ends");
			p.getOutputStream().write("typed\n".getBytes(StandardCharsets.UTF_8));
			p.getOutputStream().close();
			assertEquals("got-typed", out.readLine());
			assertTrue(p.waitFor(60, TimeUnit.SECONDS), "berth exec ended");
			assertEquals(5, p.exitValue(), Files.readString(err));
		} finally {
			p.destroyForcibly();
			Files.delete(err);
		}
	}

	/** What one run of the command line gave. */
	record Cli(int status, String out, String err) {
	}

	/** Runs {@code berth ARGS} as nobody with {@code groups} (a setpriv option), against this agent's socket. */
	private static Cli berth(String groups, String... args) throws Exception {
		return berthWithInput(null, groups, args);
	}

	/** As {@link #berth}, with {@code stdin} on a pipe (null: /dev/null). */
	private static Cli berthWithInput(String stdin, String groups, String... args) throws Exception {
		return berthWithInput(Map.of(), stdin, groups, args);
	}

	/** As {@link #berthWithInput(String, String, String...)}, with these variables in its environment too. */
	private static Cli berthWithInput(Map<String, String> env, String stdin, String groups, String... args)
			throws Exception {
		Path err = Files.createTempFile(socketDir, "err", ".txt");
		Process p = startBerth(env, stdin != null, err, groups, args);
		if (stdin != null) {
			p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
		}
		p.getOutputStream().close();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!p.waitFor(120, TimeUnit.SECONDS)) {
			p.destroyForcibly();
			fail("berth " + String.join(" ", args) + " did not end");
		}
		Cli cli = new Cli(p.exitValue(), out, Files.readString(err));
		Files.delete(err);
		return cli;
	}

	/** Starts {@code berth ARGS} as nobody; its stderr goes to {@code err}, its stdin is a pipe or /dev/null. */
	private static Process startBerth(boolean piped, Path err, String groups, String... args) throws Exception {
		return startBerth(Map.of(), piped, err, groups, args);
	}

	private static Process startBerth(Map<String, String> env, boolean piped, Path err, String groups,
			String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", groups,
				ProcessHandle.current().info().command().orElse("java"), "-cp", classPathForNobody(),
				"org.berth.cli.Main"));
		command.addAll(List.of(args));
		ProcessBuilder pb = new ProcessBuilder(command);
		pb.environment().put("BERTH_SOCKET", socket.toString());
		pb.environment().remove("BERTH_AGENT");
		pb.environment().remove("BERTH_QUICK");
		pb.environment().putAll(env);
		pb.redirectError(err.toFile());
		pb.redirectInput(piped ? ProcessBuilder.Redirect.PIPE
				: ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
		return pb.start();
	}

	@Test
	void malformedRequestsAndManyClientsLeaveTheAgentAsItWas() throws Exception {
		request("GET /1.0 HTTP/1.1\r\nHost: berth\r\n\r\n"); // warm up: classes, the first threads
		long fds = openFds();
		Set<String> threads = threadNames();
		Random random = new Random(42);
		List<String> bad = List.of("GARBAGE\r\n\r\n", "GET /1.0 HTTP/9.9\r\n\r\n",
				"POST /1.0/containers HTTP/1.1\r\nHost: b\r\nContent-Length: 5\r\n\r\n{bad}",
				"POST /1.0/containers HTTP/1.1\r\nHost: b\r\nContent-Length: 12\r\n\r\n{\"nme\":\"x\"}",
				"PUT /1.0/containers/x/state HTTP/1.1\r\nHost: b\r\nContent-Length: 18\r\n\r\n{\"action\":\"fly\"}",
				"POST /1.0/containers HTTP/1.1\r\nHost: b\r\nContent-Length: 2000000\r\n\r\n{",
				"GET /2.0/containers HTTP/1.1\r\nHost: b\r\n\r\n", "DELETE /1.0 HTTP/1.1\r\nHost: b\r\n\r\n",
				"GET /1.0/containers/%zz HTTP/1.1\r\nHost: b\r\n\r\n",
				"GET /1.0/containers/none/history?tier=7y HTTP/1.1\r\nHost: b\r\n\r\n",
				"GET /1.0/" + "x".repeat(20000) + " HTTP/1.1\r\nHost: b\r\n\r\n");
		ExecutorService pool = Executors.newFixedThreadPool(16);
		List<Future<?>> done = new ArrayList<>();
		for (int i = 0; i < 5000; i++) {
			String text = bad.get(random.nextInt(bad.size()));
			boolean truncate = random.nextInt(4) == 0;
			int cut = truncate ? random.nextInt(text.length()) : text.length();
			done.add(pool.submit(() -> {
				String status = request(text.substring(0, cut));
				if (!truncate) {
					// 505 is Jetty's answer to an HTTP version it does not speak: a refusal of the request as well
					assertTrue(status.matches("HTTP/1.1 (4\\d\\d|505) .*"), text + " → " + status);
				}
				return null;
			}));
		}
		for (Future<?> f : done) {
			f.get(60, TimeUnit.SECONDS);
		}
		pool.shutdown();
		// slow and half-open clients: half a request, then silence; the agent drops them after its idle timeout
		List<SocketChannel> silent = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket));
			c.write(ByteBuffer.wrap("GET /1.0/contai".getBytes(StandardCharsets.ISO_8859_1)));
			silent.add(c);
		}
		for (SocketChannel c : silent) {
			try (c) {
				ByteBuffer b = ByteBuffer.allocate(4096);
				while (c.read(b) >= 0) {
					b.clear(); // a 408 or nothing: what counts is that the agent closes
				}
			} catch (IOException e) {
				// reset: closed as well
			}
		}
		ExecutorService many = Executors.newFixedThreadPool(200);
		List<Future<String>> replies = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			replies.add(many.submit(() -> request("GET /1.0/containers HTTP/1.1\r\nHost: b\r\n\r\n")));
		}
		for (Future<String> f : replies) {
			assertTrue(f.get(60, TimeUnit.SECONDS).startsWith("HTTP/1.1 200"));
		}
		many.shutdown();
		assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS) && many.awaitTermination(30, TimeUnit.SECONDS));
		assertTrue(request("GET /1.0 HTTP/1.1\r\nHost: b\r\n\r\n").startsWith("HTTP/1.1 200"), "still up");
		waitFor(() -> openFds() <= fds, "fds back to " + fds);
		// the JDK's own pools (ForkJoinPool, the process reaper) come and go on their schedule; the agent's threads
		// must go back to what they were
		waitFor(() -> agentThreads(threadNames()) <= Math.max(agentThreads(threads), 4),
				() -> "the agent's threads back to " + agentThreads(threads) + " (at least the pool's 4): "
						+ threadNames());
	}

	// ---- helpers -------------------------------------------------------------------------------------------------

	/** Sends {@code text} on a new connection and returns the status line of the answer ("" when none). */
	private static String request(String text) throws IOException {
		try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
			try {
				c.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
				c.shutdownOutput();
			} catch (IOException e) {
				// the agent answered and closed before reading it all: the answer is what counts
			}
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			ByteBuffer b = ByteBuffer.allocate(8192);
			try {
				while (c.read(b) >= 0 && !answer.toString(StandardCharsets.ISO_8859_1).contains("\r\n")) {
					answer.write(b.array(), 0, b.position());
					b.clear();
				}
				answer.write(b.array(), 0, b.position());
			} catch (IOException e) {
				// reset after the answer
			}
			String s = answer.toString(StandardCharsets.ISO_8859_1);
			int eol = s.indexOf("\r\n");
			return eol < 0 ? s : s.substring(0, eol);
		}
	}

	private static String curl(String url) throws Exception {
		Process p = new ProcessBuilder("curl", "-sf", "--unix-socket", socket.toString(), url).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertEquals(0, p.waitFor(), "curl " + url);
		return out;
	}

	private static long openFds() {
		try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
			return s.count();
		} catch (IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}

	private static Exception assertFails(CompletableFuture<?> f) throws Exception {
		try {
			f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		} catch (ExecutionException e) {
			assertNotNull(e.getCause().getMessage());
			return (Exception) e.getCause();
		}
		return fail("should have failed");
	}

	private static String readUntil(InputStream in, String wanted) throws Exception {
		StringBuilder seen = new StringBuilder();
		CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> {
			byte[] b = new byte[4096];
			try {
				int n;
				while ((n = in.read(b)) >= 0) {
					synchronized (seen) {
						seen.append(new String(b, 0, n, StandardCharsets.UTF_8));
						if (seen.indexOf(wanted) >= 0) {
							return seen.toString();
						}
					}
				}
			} catch (IOException e) {
				// end
			}
			return seen.toString();
		});
		try {
			return f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		} catch (java.util.concurrent.TimeoutException e) {
			synchronized (seen) {
				return fail("no \"" + wanted + "\" in " + seen);
			}
		}
	}

	private static Set<String> threadNames() {
		return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
				.collect(Collectors.toCollection(TreeSet::new));
	}

	private static long agentThreads(Set<String> names) {
		return names.stream().filter(n -> n.startsWith("berth-agent")).count();
	}

	private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
		waitFor(condition, () -> what);
	}

	private static void waitFor(BooleanSupplier condition, java.util.function.Supplier<String> what)
			throws InterruptedException {
		long end = System.nanoTime() + TIMEOUT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > end) {
				fail("timed out waiting for " + what.get());
			}
			Thread.sleep(50);
		}
	}

	private static void run(String... command) throws IOException, InterruptedException {
		Process p = new ProcessBuilder(command).inheritIO().start();
		assertEquals(0, p.waitFor(), String.join(" ", command));
	}

	private static void deleteTree(Path root) throws IOException {
		if (root == null || !Files.exists(root)) {
			return;
		}
		try (Stream<Path> s = Files.walk(root)) {
			for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		}
	}
}
