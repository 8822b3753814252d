package org.berth.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.berth.core.BerthException;
import org.berth.core.ContainerEngine;
import org.berth.core.ContainerExistsException;
import org.berth.core.CheckpointRequest;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.EngineEvent;
import org.berth.core.EngineListener;
import org.berth.core.ExecRequest;
import org.berth.core.IllegalTransitionException;
import org.berth.core.InvalidSpecException;
import org.berth.core.Limits;
import org.berth.core.Metric;
import org.berth.core.Monitoring;
import org.berth.core.NoSuchContainerException;
import org.berth.core.SnapshotSchedule;
import org.berth.core.Tier;
import org.berth.core.UsageHistory;
import org.berth.core.UsageSample;
import org.berth.core.linux.LocalEngine;
import org.berth.core.wire.Api;
import org.berth.core.MigrationRequest;
import org.berth.core.SshUrl;
import org.berth.core.wire.ListEntry;
import org.berth.core.wire.Wire;
import org.berth.core.wire.WireException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.pathmap.RegexPathSpec;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * The API's resources (docs/API.md): each request is parsed strictly, handed to the engine, and answered with JSON
 * when the engine's future completes; errors are {@code {"error": sentence, "type": …}} with a fitting status. Changing
 * requests go into the audit log with their result.
 */
final class ApiHandler extends Handler.Abstract implements AutoCloseable {

	private static final Duration DEFAULT_STOP = Duration.ofSeconds(10);
	private static final Duration HEARTBEAT = Duration.ofSeconds(15);

	private final ContainerEngine engine;
	private final Peers peers;
	private final Audit audit;
	private final Set<BlockingQueue<String>> streams = ConcurrentHashMap.newKeySet();
	private volatile boolean closed;

	ApiHandler(ContainerEngine engine, Peers peers, Audit audit) {
		this.engine = engine;
		this.peers = peers;
		this.audit = audit;
	}

	/** The WebSocket resources: terminals, consoles and commands with their streams. */
	void addSockets(WebSocketUpgradeHandler ws) {
		// a terminal may sit idle for hours; on a Unix socket a client that dies closes its end, so no half-open
		// terminal is left for an idle timeout to find
		ws.getConfiguration().setIdleTimeout(Duration.ZERO);
		ws.addMapping(new RegexPathSpec("^/1\\.0/containers/[^/]+/(terminal|console)$"),
				(upgradeRequest, upgradeResponse, callback) -> {
					String[] parts = upgradeRequest.getHttpURI().getPath().split("/");
					Peer peer = (Peer) upgradeRequest.getAttribute(Gate.PEER);
					String name = decode(parts[3]);
					boolean console = parts[4].equals("console");
					audit.record(peer, "GET " + upgradeRequest.getHttpURI().getPath(), console ? "console" : "terminal",
							name, 101, "ok");
					return new TerminalSocket(engine, name, console);
				});
		ws.addMapping(new RegexPathSpec("^/1\\.0/containers/[^/]+/exec$"),
				(upgradeRequest, upgradeResponse, callback) -> {
					Peer peer = (Peer) upgradeRequest.getAttribute(Gate.PEER);
					String name = decode(upgradeRequest.getHttpURI().getPath().split("/")[3]);
					audit.record(peer, "GET " + upgradeRequest.getHttpURI().getPath(), "exec", name, 101, "ok");
					return new ExecSocket(engine, name);
				});
	}

	@Override
	public void close() {
		closed = true;
		for (BlockingQueue<String> q : streams) {
			q.offer("");
		}
	}

	// ---- routing -------------------------------------------------------------------------------------------------

	@Override
	public boolean handle(Request request, Response response, Callback callback) throws Exception {
		Exchange x = new Exchange(request, response, callback);
		try {
			route(x);
		} catch (HttpError e) {
			x.fail(e.status, Api.ErrorBody.of(e.getMessage(), e.status == 404 ? "NotFound" : "BadRequest"));
		} catch (WireException e) {
			x.fail(400, Api.ErrorBody.of(e.getMessage(), "BadRequest"));
		}
		return true;
	}

	private void route(Exchange x) throws Exception {
		String path = x.request.getHttpURI().getPath();
		String method = x.request.getMethod();
		if (path == null || !(path.equals(Api.PREFIX) || path.startsWith(Api.PREFIX + "/"))) {
			throw new HttpError(404, "There is no " + path + " here: every path starts with " + Api.PREFIX + ".");
		}
		List<String> p = new ArrayList<>();
		for (String s : path.substring(Api.PREFIX.length()).split("/")) {
			if (!s.isEmpty()) {
				p.add(decode(s));
			}
		}
		String resource = p.isEmpty() ? "" : p.get(0);
		switch (resource) {
			case "" -> {
				allow(x, "GET");
				x.ok(new Api.AgentInfo(Api.PREFIX.substring(1), Agent.VERSION, x.peer.uid(), x.peer.user(),
						x.peer.pid() < 0 ? null : x.peer.pid(), engine.limitations()));
			}
			case "templates" -> {
				allow(x, "GET");
				x.ok(new TreeSet<>(engine.templates()));
			}
			case "diff" -> {
				allow(x, "GET");
				Fields q = Request.extractQueryParameters(x.request);
				String a = q.getValue("a");
				String b = q.getValue("b");
				if (a == null || b == null) {
					throw new HttpError(400, "A diff needs two containers or snapshots: ?a=c1&b=c2 (or c1@snap).");
				}
				x.answer(engine.diff(a, b), null, null);
			}
			case "events" -> {
				allow(x, "GET");
				events(x);
			}
			case "containers" -> containers(x, method, p);
			case "audit" -> {
				// GET /1.0/audit?container=&user=&limit=: the newest entries of the audit trail, oldest first
				allow(x, "GET");
				Fields q = Request.extractQueryParameters(x.request);
				int limit = 100;
				if (q.getValue("limit") != null) {
					try {
						limit = Integer.parseInt(q.getValue("limit"));
					} catch (NumberFormatException e) {
						limit = -1;
					}
					if (limit < 1 || limit > 100_000) {
						throw new HttpError(400, "limit: \"" + q.getValue("limit")
								+ "\" is not a number of entries from 1 to 100000.");
					}
				}
				x.ok(audit.read(q.getValue("container"), q.getValue("user"), limit));
			}
			case "samples" -> {
				allow(x, "GET");
				x.ok(samples());
			}
			case "images" -> images(x, method, p);
			case "imports" -> {
				// POST /1.0/imports?name=NEW with an export as the body: a container from it
				allow(x, "POST");
				String newName = Request.extractQueryParameters(x.request).getValue("name");
				x.change("import", newName, engine.importContainer(x.stream(), newName), 201);
			}
			default -> throw new HttpError(404, "There is no resource " + Api.PREFIX + "/" + resource
					+ "; the resources are containers, samples, images, imports, templates, diff, events and audit.");
		}
	}

	private void containers(Exchange x, String method, List<String> p) throws Exception {
		if (p.size() == 1) {
			allow(x, "GET", "POST");
			if (method.equals("GET") && "snapshots".equals(Request.extractQueryParameters(x.request)
					.getValue("view"))) {
				x.ok(engine.list());
			} else if (method.equals("GET")) {
				list(x);
			} else {
				ContainerSpec spec = Wire.fromJson(x.body(), ContainerSpec.class);
				x.change("define", spec.name(), engine.define(spec), 201);
			}
			return;
		}
		String name = p.get(1);
		if (p.size() == 2) {
			allow(x, "GET", "PATCH", "DELETE");
			switch (method) {
				case "GET" -> x.answer(engine.get(name).map(CompletableFuture::completedFuture)
						.orElseGet(() -> CompletableFuture.failedFuture(new NoSuchContainerException(name))), null,
						null);
				case "PATCH" -> {
					JsonElement tree = Wire.parse(x.body());
					if (tree.isJsonObject()) {
						JsonObject o = tree.getAsJsonObject();
						if (!o.has("name")) {
							o.add("name", new JsonPrimitive(name));
						} else if (!name.equals(o.get("name").isJsonPrimitive() ? o.get("name").getAsString() : null)) {
							throw new HttpError(400, "name: the spec is for \"" + o.get("name")
									+ "\" but the path names \"" + name + "\"; rename by cloning.");
						}
					}
					x.change("update", name, engine.update(Wire.fromTree(tree, ContainerSpec.class)), 200);
				}
				default -> x.change("destroy", name, engine.destroy(name).thenApply(v -> Map.of()), 200);
			}
			return;
		}
		String sub = p.get(2);
		switch (sub) {
			case "state" -> {
				only(p, 3);
				allow(x, "PUT");
				Api.StateChange c = Wire.fromJson(x.body(), Api.StateChange.class);
				if (c.timeout() != null && c.timeout() < 0) {
					throw new HttpError(400, "timeout: " + c.timeout() + " is not a number of seconds (0 or more).");
				}
				Duration timeout = c.timeout() == null ? DEFAULT_STOP : Duration.ofSeconds(c.timeout());
				String action = c.action() == null ? "" : c.action();
				CompletableFuture<ContainerSnapshot> f = switch (action) {
					case "start" -> engine.start(name);
					case "stop" -> engine.stop(name, timeout);
					case "kill" -> engine.kill(name);
					case "restart" -> engine.restart(name, timeout);
					case "freeze" -> engine.freeze(name);
					case "thaw" -> engine.thaw(name);
					default -> throw new HttpError(400, "action: \"" + action
							+ "\" is not one of start, stop, kill, restart, freeze, thaw.");
				};
				x.change(action, name, f, 200);
			}
			case "limits" -> {
				only(p, 3);
				allow(x, "PUT");
				x.change("limits", name, engine.setLimits(name, Wire.fromJson(x.body(), Limits.class)), 200);
			}
			case "clone" -> {
				only(p, 3);
				allow(x, "POST");
				Api.NameRequest r = Wire.fromJson(x.body(), Api.NameRequest.class);
				x.change("clone", name, engine.cloneContainer(name, required(r.name())), 201);
			}
			case "exec" -> {
				only(p, 3);
				allow(x, "POST");
				ExecRequest r = Wire.fromJson(x.body(), ExecRequest.class);
				if (r.tty()) {
					throw new HttpError(400, "tty: a collected exec has no terminal; open " + Api.PREFIX
							+ "/containers/" + name + "/terminal for one.");
				}
				x.change("exec " + String.join(" ", r.command()), name, engine.exec(name, r), 200);
			}
			case "usage" -> {
				only(p, 3);
				allow(x, "GET");
				x.answer(engine.usage(name), null, null);
			}
			case "history" -> {
				only(p, 3);
				allow(x, "GET");
				x.ok(history(name, Request.extractQueryParameters(x.request).getValue("tier")));
			}
			case "snapshots" -> snapshots(x, method, name, p);
			case "checkpoints" -> checkpoints(x, method, name, p);
			case "migrate" -> {
				only(p, 3);
				allow(x, "POST");
				migrate(x, name);
			}
			case "schedule" -> {
				only(p, 3);
				allow(x, "GET", "PUT", "DELETE");
				switch (method) {
					case "GET" -> x.answer(engine.snapshotSchedule(name).thenApply(
							sc -> sc == null ? Map.of() : Map.of("every", sc.everyText(), "keep", sc.keep())), null,
							null);
					case "DELETE" -> x.change("unschedule", name,
							engine.setSnapshotSchedule(name, null).thenApply(v -> Map.of()), 200);
					default -> {
						com.google.gson.JsonElement tree = Wire.parse(x.body());
						SnapshotSchedule sc;
						try {
							com.google.gson.JsonObject o = tree.getAsJsonObject();
							sc = new SnapshotSchedule(SnapshotSchedule.parseEvery(o.get("every").getAsString()),
									o.get("keep").getAsInt());
						} catch (RuntimeException e) {
							throw new HttpError(400, "A schedule is {\"every\": \"1d\", \"keep\": 7}: "
									+ e.getMessage());
						}
						x.change("schedule", name, engine.setSnapshotSchedule(name, sc).thenApply(v -> Map.of()), 200);
					}
				}
			}
			case "rename" -> {
				only(p, 3);
				allow(x, "POST");
				Api.NameRequest r = Wire.fromJson(x.body(), Api.NameRequest.class);
				x.change("rename", name, engine.rename(name, required(r.name())), 200);
			}
			case "publish" -> {
				only(p, 3);
				allow(x, "POST");
				Api.PublishRequest r = Wire.fromJson(x.body(), Api.PublishRequest.class);
				x.change("publish " + r.alias(), name, engine.publishImage(name, r.alias(), r.description()), 201);
			}
			case "export" -> {
				only(p, 3);
				allow(x, "GET");
				export(x, name);
			}
			case "files" -> files(x, method, name, p);
			case "console-log" -> {
				only(p, 3);
				allow(x, "GET");
				consoleLog(x, name);
			}
			default -> throw new HttpError(404, "A container has no resource \"" + sub
					+ "\"; it has state, limits, clone, rename, schedule, exec, usage, history, snapshots, checkpoints, migrate,"
					+ " publish, export, files, console-log, terminal and console.");
		}
	}

	/**
	 * {@code GET|POST …/checkpoints}, {@code DELETE …/checkpoints/CK}, {@code POST …/checkpoints/CK/restore} (CK
	 * {@code latest}: the newest). A folder of the caller's choosing ({@code dir}) is root's alone: the agent reads and
	 * writes it as root.
	 */
	private void checkpoints(Exchange x, String method, String name, List<String> p) throws Exception {
		if (p.size() == 3) {
			allow(x, "GET", "POST");
			if (method.equals("GET")) {
				x.answer(engine.checkpoints(name), null, null);
			} else {
				CheckpointRequest r = Wire.fromJson(x.body(), CheckpointRequest.class);
				if (r.dir() != null && x.peer.uid() != 0) {
					throw new HttpError(403, "dir: only root may name a folder for a checkpoint (the agent writes it"
							+ " as root); leave it out to keep the checkpoint with the container.");
				}
				x.change("checkpoint" + (r.checkpoint() != null ? " " + r.checkpoint() : ""), name,
						engine.checkpoint(name, r), 201);
			}
			return;
		}
		String checkpoint = p.get(3);
		if (p.size() == 4) {
			allow(x, "DELETE");
			x.change("delete checkpoint " + checkpoint, name,
					engine.deleteCheckpoint(name, checkpoint).thenApply(v -> Map.of()), 200);
			return;
		}
		if (p.size() == 5 && p.get(4).equals("restore")) {
			allow(x, "POST");
			String dir = Request.extractQueryParameters(x.request).getValue("dir");
			if (dir != null && (x.peer.uid() != 0 || !dir.startsWith("/"))) {
				throw new HttpError(x.peer.uid() != 0 ? 403 : 400, x.peer.uid() != 0
						? "dir: only root may restore from a folder of its choosing (the agent reads it as root)."
						: "dir: \"" + dir + "\" is not an absolute path.");
			}
			x.change("restore checkpoint " + (dir != null ? dir : checkpoint), name, engine.restoreCheckpoint(name,
					dir != null ? dir : "latest".equals(checkpoint) ? null : checkpoint), 200);
			return;
		}
		throw new HttpError(404, "A checkpoint has only the resource restore.");
	}

	/**
	 * {@code POST …/migrate}: the migration runs in the engine (as root, with root's ssh); its progress goes to the
	 * client as newline-delimited JSON ({@link Api.MigrateLine}) as it happens, then its result or its error. A client
	 * that goes away does not stop it (a migration cannot stop half-way); the audit trail has its end either way.
	 */
	private void migrate(Exchange x, String name) throws Exception {
		Api.MigrateRequest r = Wire.fromJson(x.body(), Api.MigrateRequest.class);
		try {
			SshUrl.parse(r.target());
		} catch (IllegalArgumentException e) {
			throw new HttpError(400, "target: " + e.getMessage());
		}
		if ((r.ssh() != null || r.remoteBerth() != null) && x.peer.uid() != 0) {
			throw new HttpError(403, "ssh, remoteBerth: only root may name the commands the agent runs as root;"
					+ " leave them out (root's ssh and the target's berth are used).");
		}
		BlockingQueue<String> queue = new LinkedBlockingQueue<>();
		String what = "POST " + x.request.getHttpURI().getPath();
		x.request.addIdleTimeoutListener(t -> false);
		CompletableFuture<org.berth.core.MigrationResult> f = engine.migrate(name, new MigrationRequest(r.target(),
				r.ssh(), r.remoteBerth(), Boolean.TRUE.equals(r.tcpEstablished())),
				progress -> queue.offer(Wire.toJson(new Api.MigrateLine(progress, null, null))));
		f.whenComplete((result, failure) -> {
			if (failure == null) {
				audit.record(x.peer, what, "migrate to " + r.target(), name, 200, "ok");
				queue.offer(Wire.toJson(new Api.MigrateLine(null, Api.MigrateDone.of(result), null)));
			} else {
				Object[] sb = failure(failure);
				Api.ErrorBody body = (Api.ErrorBody) sb[1];
				audit.record(x.peer, what, "migrate to " + r.target(), name, (Integer) sb[0], body.error());
				queue.offer(Wire.toJson(new Api.MigrateLine(null, null, body)));
			}
			queue.offer(END);
		});
		x.response.setStatus(200);
		x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson");
		try (OutputStream out = Content.Sink.asOutputStream(x.response)) {
			while (true) {
				String line = queue.poll(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
				if (line == END) {
					break;
				}
				out.write(((line == null ? "" : line) + "\n").getBytes(StandardCharsets.UTF_8));
				out.flush();
			}
			out.close();
			x.callback.succeeded();
		} catch (IOException | RuntimeException e) {
			x.callback.failed(e); // the client went away; the migration goes on, and is audited at its end
		}
	}

	/** The end of a migrate answer's lines (compared by identity). */
	private static final String END = new String("end");

	private void snapshots(Exchange x, String method, String name, List<String> p) throws Exception {
		if (p.size() == 3) {
			allow(x, "GET", "POST");
			if (method.equals("GET")) {
				x.answer(engine.snapshots(name), null, null);
			} else {
				Api.NameRequest r = Wire.fromJson(x.body(), Api.NameRequest.class);
				x.change("snapshot", name, engine.createSnapshot(name, required(r.name())), 201);
			}
			return;
		}
		String snapshot = p.get(3);
		if (p.size() == 4) {
			allow(x, "DELETE");
			x.change("delete snapshot " + snapshot, name,
					engine.deleteSnapshot(name, snapshot).thenApply(v -> Map.of()), 200);
			return;
		}
		if (p.size() == 5 && p.get(4).equals("restore")) {
			allow(x, "POST");
			x.change("restore " + snapshot, name, engine.restoreSnapshot(name, snapshot), 200);
			return;
		}
		throw new HttpError(404, "A snapshot has only the resource restore.");
	}

	/** /1.0/images: GET the list; /images/ALIAS: PUT a root file system tarball, DELETE; /images/ALIAS/containers. */
	private void images(Exchange x, String method, List<String> p) throws Exception {
		if (p.size() == 1) {
			allow(x, "GET");
			x.answer(engine.images(), null, null);
			return;
		}
		String alias = p.get(1);
		if (p.size() == 2) {
			allow(x, "PUT", "DELETE");
			if (method.equals("DELETE")) {
				x.change("delete image " + alias, null, engine.deleteImage(alias).thenApply(v -> Map.of()), 200);
			} else {
				Fields q = Request.extractQueryParameters(x.request);
				x.change("import image " + alias, null, engine.importImage(x.stream(), alias, q.getValue("description"),
						q.getValue("origin")), 201);
			}
			return;
		}
		if (p.size() == 3 && p.get(2).equals("containers")) {
			allow(x, "POST");
			ContainerSpec spec = Wire.fromJson(x.body(), ContainerSpec.class);
			x.change("create from image " + alias, spec.name(), engine.createFromImage(spec, alias), 201);
			return;
		}
		throw new HttpError(404, "An image has only the resource containers.");
	}

	/**
	 * {@code GET …/export[?snapshots=1]}: the archive (with the snapshots: {@code snapshots=1}) as the body
	 * ({@code application/zstd}). The engine writes it whole before the
	 * first byte goes out, so a failure is still a JSON error; a failure after that ends the connection.
	 */
	private void export(Exchange x, String name) {
		String snapshots = Request.extractQueryParameters(x.request).getValue("snapshots");
		boolean withSnapshots = "1".equals(snapshots) || "true".equals(snapshots);
		stream(x, "application/zstd", body -> engine.exportContainer(name, body, withSnapshots),
				() -> audit.record(x.peer, "GET " + x.request.getHttpURI().getPath(), "export", name, 200, "ok"));
	}

	/**
	 * A body the engine writes to the response as it goes ({@code type}): the status and type are set with its first
	 * byte, so a failure before that is still a JSON error; a failure after it ends the connection. {@code done} runs
	 * once the whole body is out.
	 */
	private static void stream(Exchange x, String type,
			java.util.function.Function<OutputStream, CompletableFuture<Void>> write, Runnable done) {
		x.request.addIdleTimeoutListener(t -> false);
		OutputStream out = Content.Sink.asOutputStream(x.response);
		boolean[] started = {false};
		OutputStream body = new java.io.FilterOutputStream(out) {
			@Override
			public void write(int b) throws IOException {
				write(new byte[]{(byte) b}, 0, 1);
			}

			@Override
			public void write(byte[] b, int off, int len) throws IOException {
				if (!started[0]) {
					started[0] = true;
					x.response.setStatus(200);
					x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
				}
				out.write(b, off, len);
			}
		};
		write.apply(body).whenComplete((v, failure) -> {
			if (failure == null) {
				try {
					out.close();
					done.run();
					x.callback.succeeded();
				} catch (IOException e) {
					x.callback.failed(e);
				}
			} else if (!started[0]) {
				Object[] sb = failure(failure);
				x.fail((Integer) sb[0], (Api.ErrorBody) sb[1]);
			} else {
				x.callback.failed(failure);
			}
		});
	}

	/**
	 * {@code GET …/console-log}: what the container's init wrote since its last start, as bytes (the engine's file,
	 * read by the agent: a client outside root cannot read it); its last {@link #CONSOLE_LOG_MAX} bytes when larger.
	 */
	private void consoleLog(Exchange x, String name) throws HttpError, IOException {
		if (engine.get(name).isEmpty()) {
			throw new HttpError(404, "There is no container \"" + name + "\".");
		}
		Path log = engine instanceof LocalEngine local ? local.consoleLog(name) : null;
		byte[] bytes;
		try (SeekableByteChannel in = log == null ? null : Files.newByteChannel(log, LinkOption.NOFOLLOW_LINKS)) {
			if (in == null) {
				throw new NoSuchFileException(name);
			}
			long size = in.size();
			in.position(Math.max(0, size - CONSOLE_LOG_MAX));
			ByteBuffer b = ByteBuffer.allocate((int) Math.min(size, CONSOLE_LOG_MAX));
			while (b.hasRemaining() && in.read(b) >= 0) {
				// reads up to the size seen at the start
			}
			bytes = Arrays.copyOf(b.array(), b.position());
		} catch (NoSuchFileException e) {
			throw new HttpError(404, "\"" + name + "\" has no console log yet; it is written when the container"
					+ " starts.");
		}
		x.response.setStatus(200);
		x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
		x.response.write(true, ByteBuffer.wrap(bytes), x.callback);
	}

	/** The most a file read or written through {@code …/files/content} may hold. */
	static final int FILE_MAX = 8 << 20;

	/**
	 * {@code GET …/files?path=DIR}: what is in a directory inside the container; {@code GET|PUT
	 * …/files/content?path=FILE}: a regular file's bytes (at most {@link #FILE_MAX}), read or replaced (audited).
	 */
	private void files(Exchange x, String method, String name, List<String> p) throws Exception {
		String path = Request.extractQueryParameters(x.request).getValue("path");
		if (path == null || !path.startsWith("/")) {
			throw new HttpError(400, "path: give the absolute path inside the container, e.g. ?path=/etc.");
		}
		if (p.size() == 3) {
			allow(x, "GET");
			x.answer(engine.listFiles(name, path), null, null);
			return;
		}
		if (p.size() == 4 && p.get(3).equals("archive")) {
			archive(x, method, name, path);
			return;
		}
		if (p.size() != 4 || !p.get(3).equals("content")) {
			throw new HttpError(404, "Under files there are content (?path=FILE) and archive (?path=DIR).");
		}
		allow(x, "GET", "PUT");
		if (method.equals("GET")) {
			engine.readFile(name, path, FILE_MAX).whenComplete((bytes, failure) -> {
				if (failure != null) {
					Object[] sb = failure(failure);
					x.fail((Integer) sb[0], (Api.ErrorBody) sb[1]);
				} else {
					x.response.setStatus(200);
					x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
					x.response.write(true, ByteBuffer.wrap(bytes), x.callback);
				}
			});
			return;
		}
		long length = x.request.getLength();
		if (length > FILE_MAX) {
			throw new HttpError(413, "The file is " + length + " bytes; the agent writes at most " + FILE_MAX
					+ " this way (berth file push copies larger ones, as root).");
		}
		byte[] content;
		try (InputStream in = Content.Source.asInputStream(x.request)) {
			content = in.readNBytes(FILE_MAX + 1);
		}
		if (content.length > FILE_MAX) {
			throw new HttpError(413, "The file is larger than the " + FILE_MAX + " bytes the agent writes this way.");
		}
		x.change("write " + path, name, engine.writeFile(name, path, content).thenApply(v -> Map.of()), 200);
	}

	/**
	 * {@code GET …/files/archive?path=P}: the tree at P as a tar archive (owners as ids inside), streamed once the
	 * engine has packed it; {@code PUT …/files/archive?path=DIR} with a tar archive as the body: unpacked into the
	 * container (the files the container root's, modes kept; device nodes refused), audited.
	 */
	private void archive(Exchange x, String method, String name, String path) throws Exception {
		allow(x, "GET", "PUT");
		if (method.equals("PUT")) {
			x.change("push " + path, name, engine.pushArchive(name, x.stream(), path).thenApply(n -> Map.of("files",
					n)), 200);
			return;
		}
		stream(x, "application/x-tar", body -> engine.pullArchive(name, path, body), () -> {
		});
	}

	/** The most of a console log one answer carries: its end, where the newest lines are. */
	static final int CONSOLE_LOG_MAX = 8 << 20;

	private static String required(String name) throws HttpError {
		if (name == null || name.isBlank()) {
			throw new HttpError(400, "name: the new name is missing.");
		}
		return name;
	}

	private static void only(List<String> p, int size) throws HttpError {
		if (p.size() != size) {
			throw new HttpError(404, "There is nothing under " + p.get(size - 1) + ".");
		}
	}

	private static void allow(Exchange x, String... methods) throws HttpError {
		for (String m : methods) {
			if (m.equals(x.request.getMethod())) {
				return;
			}
		}
		x.response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", methods));
		throw new HttpError(405, x.request.getMethod() + " is not for this resource; it takes " + String.join(" or ",
				methods) + ".");
	}

	// ---- resources -----------------------------------------------------------------------------------------------

	private void list(Exchange x) {
		List<ContainerSnapshot> all = engine.list();
		Map<String, CompletableFuture<Long>> memory = new LinkedHashMap<>();
		for (ContainerSnapshot s : all) {
			CompletableFuture<Long> f;
			try {
				f = s.isActive() ? engine.memoryInUse(s.name()).exceptionally(t -> null)
						: CompletableFuture.completedFuture(null);
			} catch (RuntimeException e) {
				f = CompletableFuture.completedFuture(null);
			}
			memory.put(s.name(), f.completeOnTimeout(null, 2, TimeUnit.SECONDS));
		}
		CompletableFuture.allOf(memory.values().toArray(CompletableFuture[]::new)).whenComplete((v, t) -> {
			Instant now = Instant.now();
			List<ListEntry> entries = new ArrayList<>();
			for (ContainerSnapshot s : all) {
				entries.add(ListEntry.of(s, all, memory.get(s.name()).getNow(null), now));
			}
			x.ok(entries);
		});
	}

	private Api.History history(String name, String tierText) throws HttpError {
		Monitoring m = engine.monitoring()
				.orElseThrow(() -> new HttpError(501, "This engine keeps no usage history."));
		if (engine.get(name).isEmpty()) {
			throw new HttpError(404, "There is no container \"" + name + "\".");
		}
		List<Tier> tiers = m.tiers();
		Tier tier = tiers.get(0);
		if (tierText != null) {
			tier = null;
			for (Tier t : tiers) {
				if (stepName(t).equals(tierText) || Long.toString(t.stepMillis()).equals(tierText)) {
					tier = t;
				}
			}
			if (tier == null) {
				List<String> names = new ArrayList<>();
				tiers.forEach(t -> names.add(stepName(t)));
				throw new HttpError(400, "tier: \"" + tierText + "\" is not one of " + String.join(", ", names)
						+ ".");
			}
		}
		UsageHistory h = m.history(name).orElse(null);
		Metric[] metrics = Metric.values();
		int capacity = h == null ? 0 : tier.capacity();
		long[] times = new long[capacity];
		double[][] values = new double[metrics.length][capacity];
		int n = h == null ? 0 : h.read(tier, 0, times, metrics, values);
		Map<String, double[]> columns = new LinkedHashMap<>();
		for (int k = 0; k < metrics.length; k++) {
			columns.put(metrics[k].column(), java.util.Arrays.copyOf(values[k], n));
		}
		return new Api.History(name, tier.stepMillis(), tier.span().toMillis(), java.util.Arrays.copyOf(times, n),
				columns);
	}

	private Api.Samples samples() throws HttpError {
		Monitoring m = engine.monitoring()
				.orElseThrow(() -> new HttpError(501, "This engine keeps no usage history."));
		Map<String, UsageSample> latest = new TreeMap<>();
		for (ContainerSnapshot c : engine.list()) {
			m.latest(c.name()).ifPresent(s -> latest.put(c.name(), s));
		}
		List<Tier> tiers = m.tiers();
		long[] steps = new long[tiers.size()];
		long[] spans = new long[tiers.size()];
		for (int i = 0; i < steps.length; i++) {
			steps[i] = tiers.get(i).stepMillis();
			spans[i] = tiers.get(i).span().toMillis();
		}
		return new Api.Samples(m.interval().toMillis(), m.sweeps(), steps, spans, latest);
	}

	/** "1s", "10s", "1m", "1h": a tier by its step. */
	static String stepName(Tier t) {
		long s = t.step().toSeconds();
		return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
	}

	/**
	 * Newline-delimited JSON: one {@link EngineEvent} a line as they happen, an empty line every 15 s (so a client
	 * that went away is noticed), until the client or the agent ends it. The request's thread stays with the stream.
	 */
	private void events(Exchange x) {
		BlockingQueue<String> queue = new LinkedBlockingQueue<>(10_000);
		EngineListener listener = e -> {
			if (!queue.offer(Wire.toJson(e))) {
				queue.clear();
				queue.offer("");
			}
		};
		x.response.setStatus(200);
		x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson");
		streams.add(queue);
		engine.addListener(listener);
		try (OutputStream out = Content.Sink.asOutputStream(x.response)) {
			out.write('\n');
			out.flush();
			while (!closed) {
				String line = queue.poll(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
				if (closed) {
					break;
				}
				out.write(((line == null ? "" : line) + "\n").getBytes(StandardCharsets.UTF_8));
				out.flush();
			}
			out.close();
			x.callback.succeeded();
		} catch (IOException | InterruptedException | RuntimeException e) {
			x.callback.failed(e);
		} finally {
			engine.removeListener(listener);
			streams.remove(queue);
		}
	}

	// ---- answers -------------------------------------------------------------------------------------------------

	/** The container a path is about ({@code /1.0/containers/NAME/…}), or null. */
	static String containerOf(String path) {
		String[] parts = path == null ? new String[0] : path.split("/");
		return parts.length > 3 && parts[2].equals("containers") ? decode(parts[3]) : null;
	}

	private static String decode(String s) {
		try {
			return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
		} catch (IllegalArgumentException e) {
			return s;
		}
	}

	static void send(Response response, Callback callback, int status, Object body) {
		byte[] bytes = (Wire.toJson(body) + "\n").getBytes(StandardCharsets.UTF_8);
		response.setStatus(status);
		response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
		response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
		response.write(true, ByteBuffer.wrap(bytes), callback);
	}

	/** Jetty's own refusals (a request line it cannot parse, headers too large, …) in the API's words. */
	static boolean error(Request request, Response response, Callback callback) {
		Object status = request.getAttribute(ErrorHandler.ERROR_STATUS);
		int code = status instanceof Integer i ? i : response.getStatus();
		Object message = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
		String sentence = "The request was refused (" + code + (message == null ? "" : ": " + message) + ").";
		send(response, callback, code, Api.ErrorBody.of(sentence, code >= 500 ? "Failed" : "BadRequest"));
		return true;
	}

	/** The status and body of an engine's failure. */
	static Object[] failure(Throwable t) {
		Throwable c = t;
		while ((c instanceof CompletionException || c instanceof java.util.concurrent.ExecutionException)
				&& c.getCause() != null) {
			c = c.getCause();
		}
		String message = c.getMessage() == null ? c.toString() : c.getMessage();
		if (c instanceof NoSuchContainerException e) {
			return new Object[]{404, new Api.ErrorBody(message, "NoSuchContainer", e.name(), null, null, null)};
		}
		if (c instanceof ContainerExistsException e) {
			return new Object[]{409, new Api.ErrorBody(message, "ContainerExists", e.name(), null, null, null)};
		}
		if (c instanceof InvalidSpecException e) {
			return new Object[]{422, new Api.ErrorBody(message, "InvalidSpec", e.target(), null, null,
					e.problems())};
		}
		if (c instanceof IllegalTransitionException e) {
			return new Object[]{409, new Api.ErrorBody(message, "IllegalTransition", e.target(),
					e.state().name(), e.action().name(), null)};
		}
		if (c instanceof UnsupportedOperationException) {
			return new Object[]{501, Api.ErrorBody.of(message, "Unsupported")};
		}
		if (c instanceof IllegalArgumentException) {
			return new Object[]{400, Api.ErrorBody.of(message, "BadRequest")};
		}
		if (c instanceof BerthException) {
			return new Object[]{500, Api.ErrorBody.of(message, "Failed")};
		}
		return new Object[]{500, Api.ErrorBody.of("The agent failed: " + message, "Failed")};
	}

	/** One request and its answer. */
	private final class Exchange {
		final Request request;
		final Response response;
		final Callback callback;
		final Peer peer;

		Exchange(Request request, Response response, Callback callback) {
			this.request = request;
			this.response = response;
			this.callback = callback;
			this.peer = (Peer) request.getAttribute(Gate.PEER);
		}

		/** The body as text: at most {@link Wire#MAX_BODY_BYTES}. */
		String body() throws IOException, HttpError {
			long length = request.getLength();
			if (length > Wire.MAX_BODY_BYTES) {
				throw new HttpError(413, "The body is " + length + " bytes; the agent takes at most "
						+ Wire.MAX_BODY_BYTES + ".");
			}
			try (InputStream in = Content.Source.asInputStream(request)) {
				byte[] bytes = in.readNBytes(Wire.MAX_BODY_BYTES + 1);
				if (bytes.length > Wire.MAX_BODY_BYTES) {
					throw new HttpError(413, "The body is larger than the " + Wire.MAX_BODY_BYTES
							+ " bytes the agent takes.");
				}
				return new String(bytes, StandardCharsets.UTF_8);
			}
		}

		/** The body as a stream, for an archive or a tarball (no size limit: it goes to a file of the engine's). */
		InputStream stream() {
			request.addIdleTimeoutListener(t -> false); // a large upload may pause longer than the idle timeout
			return Content.Source.asInputStream(request);
		}

		void ok(Object body) {
			send(response, callback, 200, body);
		}

		void fail(int status, Api.ErrorBody body) {
			if (!request.getMethod().equals("GET")) {
				audit.record(peer, request.getMethod() + " " + request.getHttpURI().getPath(), null,
						containerOf(request.getHttpURI().getPath()), status, body.error());
			}
			send(response, callback, status, body);
		}

		/** Answers with what {@code f} gives; {@code action} non-null: a change, audited. */
		void answer(CompletableFuture<?> f, String action, String container) {
			change(action, container, f, 200);
		}

		void change(String action, String container, CompletableFuture<?> f, int okStatus) {
			// the request is read: a stop or an exec may take longer than the idle timeout without failing
			request.addIdleTimeoutListener(t -> false);
			f.whenComplete((value, failure) -> {
				int status;
				Object body;
				if (failure == null) {
					status = okStatus;
					body = value;
				} else {
					Object[] sb = failure(failure);
					status = (Integer) sb[0];
					body = sb[1];
				}
				if (action != null) {
					audit.record(peer, request.getMethod() + " " + request.getHttpURI().getPath(), action,
							container, status, failure == null ? "ok" : ((Api.ErrorBody) body).error());
				}
				send(response, callback, status, body);
			});
		}
	}

	/** A request the API refuses, with its status and sentence. */
	static final class HttpError extends Exception {
		private static final long serialVersionUID = 1L;
		final int status;

		HttpError(int status, String message) {
			super(message);
			this.status = status;
		}
	}
}
