package org.berth.client;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.berth.core.Action;
import org.berth.core.BerthException;
import org.berth.core.ContainerDiff;
import org.berth.core.ContainerEngine;
import org.berth.core.ContainerExistsException;
import org.berth.core.CheckpointInfo;
import org.berth.core.CheckpointRequest;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.EngineEvent;
import org.berth.core.EngineListener;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.ExecSession;
import org.berth.core.FileEntry;
import org.berth.core.IllegalTransitionException;
import org.berth.core.ImageInfo;
import org.berth.core.InvalidSpecException;
import org.berth.core.Limits;
import org.berth.core.Monitoring;
import org.berth.core.NoSuchContainerException;
import org.berth.core.SnapshotInfo;
import org.berth.core.SnapshotSchedule;
import org.berth.core.SpecValidator;
import org.berth.core.TerminalRequest;
import org.berth.core.TerminalSession;
import org.berth.core.Usage;
import org.berth.core.wire.Api;
import org.berth.core.MigrationProgress;
import org.berth.core.MigrationRequest;
import org.berth.core.MigrationResult;
import org.berth.core.wire.AuditTrail;
import org.berth.core.wire.ListEntry;
import org.berth.core.wire.Wire;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

import com.google.gson.reflect.TypeToken;

/**
 * The {@link ContainerEngine} of a Berth agent, over its API on a Unix socket (docs/API.md). The getters answer from
 * a cache that the agent's event stream keeps current, so they never block; operations are HTTP requests whose
 * errors come back as the engine's exceptions with the agent's sentence ({@link AgentRefusedException} when the agent
 * does not serve this user). When the agent goes away the engine keeps trying to reach it again and, once it
 * answers, reloads the containers and tells the listeners what changed meanwhile.
 */
public final class AgentEngine implements ContainerEngine {

	private static final Duration RETRY_MAX = Duration.ofSeconds(5);

	private final Path socket;
	private final Transport transport;
	private final HttpClient http;
	private WebSocketCoreClient ws; // made on the first terminal: a command that opens none does not pay for it
	private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
	private final Map<String, ContainerSnapshot> cache = new TreeMap<>();
	private volatile List<ContainerSnapshot> sorted = List.of();
	private volatile Set<String> templates = Set.of();
	/** False only in an engine of {@link #connectOnce(Path, Collection)} until its templates are asked for. */
	private volatile boolean templatesLoaded = true;
	private volatile boolean connected;
	private volatile boolean closed;
	private volatile String user = "";
	private volatile AgentMonitoring monitoring;
	private volatile List<String> agentLimitations = List.of();
	private volatile String problem;
	private volatile AutoCloseable also; // e.g. the ssh that reaches a remote agent
	private final Thread events;

	private AgentEngine(Path socket) throws Exception {
		this.socket = socket;
		this.transport = new Transport.TCPUnix(socket);
		QueuedThreadPool threads = new QueuedThreadPool(32, 2);
		threads.setName("berth-client");
		threads.setDaemon(true);
		http = new HttpClient(new HttpClientTransportOverHTTP(unixOnlyConnector())) {
			@Override
			public Request newRequest(URI uri) {
				return super.newRequest(uri).transport(transport);
			}
		};
		http.setExecutor(threads);
		http.setIdleTimeout(60_000);
		http.start();
		events = Thread.ofPlatform().daemon().name("berth-client-events").unstarted(this::followEvents);
	}

	static {
		// Jetty pads some structures to the cache line by the size of a reference, which it asks the platform MBean
		// server for unless told: that starts JMX and reads Flight Recorder's settings, about 40 ms of every berth
		// command through the agent (measured with strace). 64-byte lines, compressed references: 16.
		if (System.getProperty("org.eclipse.jetty.util.referencesPerCacheLine") == null) {
			System.setProperty("org.eclipse.jetty.util.referencesPerCacheLine", "16");
		}
	}

	/**
	 * The client's connector: the agent is a Unix socket, never TLS, so the TLS factory every connector makes is one
	 * that loads nothing (Jetty's default reads the JDK's trust store at start: about 100 ms of every command).
	 */
	private static ClientConnector unixOnlyConnector() {
		return new ClientConnector() {
			@Override
			protected SslContextFactory.Client newSslContextFactory() {
				return new SslContextFactory.Client() {
					@Override
					protected void doStart() {
						// nothing to load: no TLS on a Unix socket
					}
				};
			}
		};
	}

	/**
	 * Connects to the agent on {@code socket}: loads its containers and follows its events.
	 *
	 * @throws AgentRefusedException when the agent does not serve this user
	 * @throws BerthException        when no agent answers there
	 */
	public static AgentEngine connect(Path socket) throws BerthException {
		AgentEngine engine = connectOnce(socket);
		engine.follow();
		return engine;
	}

	/**
	 * Connects as {@link #connect} does, without following the agent's events: the cache holds what the agent had
	 * at the start, and listeners hear nothing until {@link #follow()}. For a command that runs once and ends.
	 */
	public static AgentEngine connectOnce(Path socket) throws BerthException {
		return connectOnce(socket, null);
	}

	/**
	 * Connects as {@link #connectOnce(Path)} does, with only the containers named in {@code only} in the cache (all
	 * when it is null): for a command about them alone ({@code exec}, {@code attach}, {@code stop}, …), which then
	 * neither waits for every container's spec nor for the templates (asked for when {@link #templates()} is first
	 * called). A name the agent does not know is left out; the command's request then gets the agent's sentence.
	 */
	public static AgentEngine connectOnce(Path socket, Collection<String> only) throws BerthException {
		AgentEngine engine;
		try {
			engine = new AgentEngine(socket);
		} catch (Exception e) {
			throw new BerthException("connect", socket.toString(), "Cannot start the agent's client: "
					+ e.getMessage(), e);
		}
		try {
			Api.AgentInfo info = engine.call("GET", "", null, Api.AgentInfo.class).get(10, TimeUnit.SECONDS);
			engine.user = info.user();
			engine.agentLimitations = info.limitations() == null ? List.of() : List.copyOf(info.limitations());
			if (only == null) {
				engine.reload();
			} else {
				engine.loadOnly(only);
			}
		} catch (Exception e) {
			engine.close();
			Throwable c = unwrap(e);
			if (!(c instanceof AgentRefusedException) && deniedBySocketMode(c)) {
				throw refusedBySocket(socket);
			}
			if (c instanceof BerthException b && !"connect".equals(b.operation())) {
				throw b;
			}
			throw new BerthException("connect", socket.toString(), whyNot(socket, c), c);
		}
		engine.connected = true;
		return engine;
	}

	/** Follows the agent's events from now on (once; again after a {@link #connectOnce}). */
	public synchronized void follow() {
		if (events.getState() == Thread.State.NEW) {
			events.start();
		}
	}

	/**
	 * An engine of the agent on {@code socket} that does not wait for it: while no agent answers (or it does not serve
	 * this user) the engine has no containers and its {@link #limitations()} say why; it connects as soon as one does,
	 * and again whenever the agent comes back. For the console, which starts whether or not the agent runs.
	 */
	public static AgentEngine open(Path socket) {
		AgentEngine engine;
		try {
			engine = new AgentEngine(socket);
		} catch (Exception e) {
			throw new IllegalStateException("Cannot start the agent's client: " + e.getMessage(), e);
		}
		engine.problem = "Connecting to the Berth agent on " + socket + "…";
		engine.follow();
		return engine;
	}

	/** While not connected: why, as one sentence with what to do. */
	private static String whyNot(Path socket, Throwable c) {
		if (c instanceof AgentRefusedException) {
			return c.getMessage();
		}
		if (deniedBySocketMode(c)) {
			return refusedBySocket(socket).getMessage();
		}
		if (c instanceof BerthException b && !"connect".equals(b.operation())) {
			return b.getMessage();
		}
		return "No Berth agent answers on " + socket + "; start it as root with `sudo berth-agent`.";
	}

	private static AgentRefusedException refusedBySocket(Path socket) {
		String group = socketGroup(socket);
		return new AgentRefusedException("You may not use the Berth agent on " + socket + ": it serves root and the"
				+ " members of group " + group + "; ask an administrator to run `usermod -aG " + group + " "
				+ System.getProperty("user.name") + "`, then log in again.");
	}

	/**
	 * What this client cannot do: while connected, what the agent's engine says of itself; otherwise why there is no
	 * connection and what to do about it.
	 */
	@Override
	public List<String> limitations() {
		String p = problem;
		return connected || p == null ? agentLimitations : List.of(p);
	}

	/** Whether connecting failed because the socket's mode keeps this user out. */
	private static boolean deniedBySocketMode(Throwable t) {
		for (Throwable c = t; c != null; c = c.getCause()) {
			if (c instanceof java.nio.file.AccessDeniedException
					|| (c.getMessage() != null && c.getMessage().contains("Permission denied"))) {
				return true;
			}
		}
		return false;
	}

	/** The group that owns the socket (the agent's group), or "berth" when it cannot be read. */
	private static String socketGroup(Path socket) {
		try {
			return java.nio.file.Files.readAttributes(socket, java.nio.file.attribute.PosixFileAttributes.class)
					.group().getName();
		} catch (java.io.IOException | RuntimeException e) {
			return "berth";
		}
	}

	/** The user the agent sees. */
	public String user() {
		return user;
	}

	/** "Agent as alice" while connected, else "Agent not connected". */
	@Override
	public String connection() {
		return connected ? "Agent as " + user : "Agent not connected";
	}

	/** Whether the agent answered the last time it was asked (false while reconnecting). */
	public boolean isConnected() {
		return connected;
	}

	public Path socket() {
		return socket;
	}

	// ---- the cache ---------------------------------------------------------------------------------------------

	/** Loads every container (and the templates) and tells the listeners about the differences to the cache. */
	private void reload() throws Exception {
		List<ContainerSnapshot> all = call("GET", "/containers?view=snapshots", null,
				new TypeToken<List<ContainerSnapshot>>() {
				}).get(30, TimeUnit.SECONDS);
		fetchTemplates();
		List<EngineEvent> changes = new ArrayList<>();
		synchronized (cache) {
			Set<String> gone = new HashSet<>(cache.keySet());
			for (ContainerSnapshot s : all) {
				gone.remove(s.name());
				ContainerSnapshot old = cache.put(s.name(), s);
				if (old == null) {
					changes.add(new EngineEvent(EngineEvent.Kind.DEFINED, s.name(), s));
				} else if (!old.equals(s)) {
					changes.add(new EngineEvent(old.state() != s.state() ? EngineEvent.Kind.STATE_CHANGED
							: EngineEvent.Kind.UPDATED, s.name(), s));
				}
			}
			for (String name : gone) {
				cache.remove(name);
				changes.add(new EngineEvent(EngineEvent.Kind.DESTROYED, name, null));
			}
			sorted = List.copyOf(cache.values());
		}
		changes.forEach(this::fire);
	}

	/** The agent's templates, asked for now. */
	private void fetchTemplates() throws Exception {
		templates = Set.copyOf(call("GET", "/templates", null, new TypeToken<TreeSet<String>>() {
		}).get(30, TimeUnit.SECONDS));
		templatesLoaded = true;
	}

	/** Loads these containers alone ({@link #connectOnce(Path, Collection)}); the templates wait until asked for. */
	private void loadOnly(Collection<String> names) throws Exception {
		templatesLoaded = false;
		for (String name : new TreeSet<>(names)) {
			ContainerSnapshot s;
			try {
				s = call("GET", "/containers/" + encode(name), null, ContainerSnapshot.class).get(30, TimeUnit.SECONDS);
			} catch (java.util.concurrent.ExecutionException e) {
				if (unwrap(e) instanceof NoSuchContainerException) {
					continue;
				}
				throw e;
			}
			synchronized (cache) {
				cache.put(s.name(), s);
				sorted = List.copyOf(cache.values());
			}
		}
	}

	private void apply(EngineEvent e) {
		synchronized (cache) {
			if (e.kind() == EngineEvent.Kind.DESTROYED || e.snapshot() == null) {
				cache.remove(e.name());
			} else {
				cache.put(e.name(), e.snapshot());
			}
			sorted = List.copyOf(cache.values());
		}
		fire(e);
	}

	/** A snapshot an operation returned: newer than the cache's (the event may still be on its way). */
	private ContainerSnapshot remember(ContainerSnapshot s) {
		synchronized (cache) {
			cache.put(s.name(), s);
			sorted = List.copyOf(cache.values());
		}
		return s;
	}

	private void fire(EngineEvent e) {
		for (EngineListener l : listeners) {
			try {
				l.changed(e);
			} catch (RuntimeException x) {
				System.err.println("berth-client: a listener failed: " + x);
			}
		}
	}

	/** Follows {@code GET /1.0/events}; when it ends, waits for the agent, reloads, and follows again. */
	private void followEvents() {
		long retryMillis = 200;
		while (!closed) {
			InputStreamResponseListener listener = new InputStreamResponseListener();
			try {
				http.newRequest(uri("/events")).idleTimeout(45, TimeUnit.SECONDS).send(listener);
				Response response = listener.get(10, TimeUnit.SECONDS);
				if (response.getStatus() != 200) {
					try (InputStream in = listener.getInputStream()) {
						throw error(response.getStatus(), new String(in.readNBytes(1 << 16), StandardCharsets.UTF_8));
					}
				}
				try (InputStream in = listener.getInputStream();
						BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
					if (!connected) {
						Api.AgentInfo info = call("GET", "", null, Api.AgentInfo.class).get(10, TimeUnit.SECONDS);
						user = info.user();
						agentLimitations = info.limitations() == null ? List.of() : List.copyOf(info.limitations());
						reload();
						connected = true;
						problem = null;
					}
					retryMillis = 200;
					String line;
					while (!closed && (line = lines.readLine()) != null) {
						if (!line.isBlank()) {
							apply(Wire.gson().fromJson(line, EngineEvent.class));
						}
					}
				}
			} catch (Exception e) {
				// the agent went away, or is not back yet, or does not serve this user
				problem = whyNot(socket, unwrap(e));
			}
			if (closed) {
				return;
			}
			connected = false;
			try {
				Thread.sleep(retryMillis);
			} catch (InterruptedException e) {
				return;
			}
			retryMillis = Math.min(RETRY_MAX.toMillis(), retryMillis * 2);
		}
	}

	// ---- getters -----------------------------------------------------------------------------------------------

	@Override
	public List<ContainerSnapshot> list() {
		return sorted;
	}

	@Override
	public Optional<ContainerSnapshot> get(String name) {
		synchronized (cache) {
			return Optional.ofNullable(cache.get(name));
		}
	}

	@Override
	public Set<String> templates() {
		if (!templatesLoaded) {
			try {
				fetchTemplates();
			} catch (Exception e) {
				return Set.of(); // the agent's own check of a spec names a missing template
			}
		}
		return templates;
	}

	@Override
	public SpecValidator.ValidationContext validationContext() {
		List<ContainerSpec> specs = new ArrayList<>();
		Set<String> running = new HashSet<>();
		for (ContainerSnapshot s : sorted) {
			specs.add(s.spec());
			if (s.isActive()) {
				running.add(s.name());
			}
		}
		return SpecValidator.ValidationContext.ofSpecs(specs, running, templates(),
				Runtime.getRuntime().availableProcessors());
	}

	/** {@code GET /1.0/containers}: the objects of {@code berth list --json}. */
	public CompletableFuture<List<ListEntry>> listEntries() {
		return call("GET", "/containers", null, new TypeToken<List<ListEntry>>() {
		});
	}

	// ---- operations --------------------------------------------------------------------------------------------

	@Override
	public CompletableFuture<ContainerSnapshot> define(ContainerSpec spec) {
		return snapshot(call("POST", "/containers", spec, ContainerSnapshot.class));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> update(ContainerSpec spec) {
		return snapshot(call("PATCH", container(spec.name()), spec, ContainerSnapshot.class));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> start(String name) {
		return state(name, "start", null);
	}

	@Override
	public CompletableFuture<ContainerSnapshot> stop(String name, Duration timeout) {
		return state(name, "stop", timeout);
	}

	@Override
	public CompletableFuture<ContainerSnapshot> kill(String name) {
		return state(name, "kill", null);
	}

	@Override
	public CompletableFuture<ContainerSnapshot> restart(String name, Duration timeout) {
		return state(name, "restart", timeout);
	}

	@Override
	public CompletableFuture<ContainerSnapshot> freeze(String name) {
		return state(name, "freeze", null);
	}

	@Override
	public CompletableFuture<ContainerSnapshot> thaw(String name) {
		return state(name, "thaw", null);
	}

	private CompletableFuture<ContainerSnapshot> state(String name, String action, Duration timeout) {
		return snapshot(call("PUT", container(name) + "/state",
				new Api.StateChange(action, timeout == null ? null : timeout.toSeconds()), ContainerSnapshot.class));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> setLimits(String name, Limits limits) {
		return snapshot(call("PUT", container(name) + "/limits", limits, ContainerSnapshot.class));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> cloneContainer(String source, String newName) {
		return snapshot(call("POST", container(source) + "/clone", new Api.NameRequest(newName),
				ContainerSnapshot.class));
	}

	@Override
	public CompletableFuture<Void> destroy(String name) {
		return call("DELETE", container(name), null, Map.class).thenApply(v -> {
			synchronized (cache) {
				cache.remove(name);
				sorted = List.copyOf(cache.values());
			}
			return null;
		});
	}

	@Override
	public CompletableFuture<ExecResult> exec(String name, ExecRequest request) {
		return call("POST", container(name) + "/exec", request, ExecResult.class);
	}

	@Override
	public CompletableFuture<TerminalSession> openTerminal(String name, TerminalRequest request) {
		return terminal(container(name) + "/terminal", Wire.toJson(request));
	}

	@Override
	public CompletableFuture<TerminalSession> watchConsole(String name) {
		return terminal(container(name) + "/console", null);
	}

	/** The upgrade request of a stream: no idle timeout (a terminal may sit idle for hours). */
	private CoreClientUpgradeRequest upgrade(FrameHandler handler, String path) {
		CoreClientUpgradeRequest request = CoreClientUpgradeRequest.from(ws, URI.create("ws://berth" + Api.PREFIX
				+ path), handler);
		Configuration.ConfigurationCustomizer config = new Configuration.ConfigurationCustomizer();
		config.setIdleTimeout(Duration.ZERO);
		request.setConfiguration(config);
		return request;
	}

	private synchronized WebSocketCoreClient webSockets() throws Exception {
		if (ws == null) {
			WebSocketCoreClient client = new WebSocketCoreClient(http, null);
			client.start();
			ws = client;
		}
		return ws;
	}

	private CompletableFuture<TerminalSession> terminal(String path, String firstMessage) {
		AgentTerminal t = new AgentTerminal(firstMessage);
		return stream(path, t, t.opened);
	}

	@Override
	public CompletableFuture<ExecSession> openExec(String name, ExecRequest request) {
		AgentExec e = new AgentExec(Wire.toJson(request));
		return stream(container(name) + "/exec", e, e.opened);
	}

	/** A WebSocket stream of the agent's: {@code opened} completes when the agent says so, or with why not. */
	private <T> CompletableFuture<T> stream(String path, FrameHandler handler, CompletableFuture<T> opened) {
		try {
			webSockets().connect(upgrade(handler, path)).whenComplete((session, failure) -> {
				if (failure != null) {
					// the upgrade's refusal carries no sentence: ask the agent who we are, which says it
					call("GET", "", null, Api.AgentInfo.class).whenComplete((info, refused) -> opened
							.completeExceptionally(refused != null ? failure(refused) : failure(failure)));
				}
			});
		} catch (Exception e) {
			opened.completeExceptionally(failure(e));
		}
		return opened;
	}

	@Override
	public CompletableFuture<SnapshotInfo> createSnapshot(String name, String snapshot) {
		return call("POST", container(name) + "/snapshots", new Api.NameRequest(snapshot), SnapshotInfo.class);
	}

	@Override
	public CompletableFuture<List<SnapshotInfo>> snapshots(String name) {
		return call("GET", container(name) + "/snapshots", null, new TypeToken<List<SnapshotInfo>>() {
		});
	}

	@Override
	public CompletableFuture<ContainerSnapshot> restoreSnapshot(String name, String snapshot) {
		return snapshot(call("POST", container(name) + "/snapshots/" + encode(snapshot) + "/restore", null,
				ContainerSnapshot.class));
	}

	@Override
	public CompletableFuture<Void> deleteSnapshot(String name, String snapshot) {
		return call("DELETE", container(name) + "/snapshots/" + encode(snapshot), null, Map.class)
				.thenApply(v -> null);
	}

	@Override
	public CompletableFuture<CheckpointInfo> checkpoint(String name, CheckpointRequest request) {
		return call("POST", container(name) + "/checkpoints", request, CheckpointInfo.class);
	}

	@Override
	public CompletableFuture<List<CheckpointInfo>> checkpoints(String name) {
		return call("GET", container(name) + "/checkpoints", null, new TypeToken<List<CheckpointInfo>>() {
		});
	}

	/** {@code checkpoint} null: the newest ({@code latest}); a folder ("/...") goes as {@code ?dir=}. */
	@Override
	public CompletableFuture<ContainerSnapshot> restoreCheckpoint(String name, String checkpoint) {
		String path = checkpoint != null && checkpoint.startsWith("/")
				? "/checkpoints/latest/restore?dir=" + java.net.URLEncoder.encode(checkpoint,
						java.nio.charset.StandardCharsets.UTF_8)
				: "/checkpoints/" + encode(checkpoint == null ? "latest" : checkpoint) + "/restore";
		return snapshot(call("POST", container(name) + path, null, ContainerSnapshot.class));
	}

	@Override
	public CompletableFuture<Void> deleteCheckpoint(String name, String checkpoint) {
		return call("DELETE", container(name) + "/checkpoints/" + encode(checkpoint), null, Map.class)
				.thenApply(v -> null);
	}

	@Override
	public CompletableFuture<SnapshotSchedule> snapshotSchedule(String name) {
		return call("GET", container(name) + "/schedule", null, Map.class).thenApply(m -> m.get("every") == null
				? null
				: new SnapshotSchedule(SnapshotSchedule.parseEvery(String.valueOf(m.get("every"))),
						((Number) m.get("keep")).intValue()));
	}

	@Override
	public CompletableFuture<Void> setSnapshotSchedule(String name, SnapshotSchedule schedule) {
		return (schedule == null ? call("DELETE", container(name) + "/schedule", null, Map.class)
				: call("PUT", container(name) + "/schedule", Map.of("every", schedule.everyText(), "keep",
						schedule.keep()), Map.class))
				.thenApply(v -> null);
	}

	@Override
	public CompletableFuture<ContainerSnapshot> rename(String name, String newName) {
		return snapshot(call("POST", container(name) + "/rename", new Api.NameRequest(newName),
				ContainerSnapshot.class));
	}

	@Override
	public CompletableFuture<List<ImageInfo>> images() {
		return call("GET", "/images", null, new TypeToken<List<ImageInfo>>() {
		});
	}

	@Override
	public CompletableFuture<ImageInfo> publishImage(String name, String alias, String description) {
		return call("POST", container(name) + "/publish", new Api.PublishRequest(alias, description), ImageInfo.class);
	}

	@Override
	public CompletableFuture<ImageInfo> importImage(InputStream tarball, String alias, String description,
			String origin) {
		String query = (description == null ? "" : "&description=" + encode(description))
				+ (origin == null ? "" : "&origin=" + encode(origin));
		return send("PUT", "/images/" + encode(alias) + (query.isEmpty() ? "" : "?" + query.substring(1)),
				new InputStreamRequestContent("application/octet-stream", tarball), TypeToken.get(ImageInfo.class));
	}

	@Override
	public CompletableFuture<Void> deleteImage(String alias) {
		return call("DELETE", "/images/" + encode(alias), null, Map.class).thenApply(v -> null);
	}

	@Override
	public CompletableFuture<ContainerSnapshot> createFromImage(ContainerSpec spec, String alias) {
		return snapshot(call("POST", "/images/" + encode(alias) + "/containers", spec, ContainerSnapshot.class));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> importContainer(InputStream in, String newName) {
		return snapshot(send("POST", "/imports" + (newName == null ? "" : "?name=" + encode(newName)),
				new InputStreamRequestContent("application/zstd", in), TypeToken.get(ContainerSnapshot.class)));
	}

	@Override
	public CompletableFuture<Void> exportContainer(String name, OutputStream out) {
		return exportContainer(name, out, false);
	}

	/** {@code GET …/files/archive?path=}: the tree's tar archive into {@code out} as it comes. */
	@Override
	public CompletableFuture<Void> pullArchive(String name, String inside, OutputStream out) {
		return download(container(name) + "/files/archive?path=" + encode(inside), out, "berth-client-pull");
	}

	/** {@code PUT …/files/archive?path=}: a tar archive unpacked into the container. */
	@Override
	public CompletableFuture<Integer> pushArchive(String name, InputStream in, String inside) {
		return send("PUT", container(name) + "/files/archive?path=" + encode(inside), new InputStreamRequestContent(
				"application/x-tar", in), new TypeToken<Map<String, Integer>>() {
				}).thenApply(m -> m.getOrDefault("files", 0));
	}

	/** {@code GET …/export[?snapshots=1]}: the archive's bytes into {@code out} as they come. */
	@Override
	public CompletableFuture<Void> exportContainer(String name, OutputStream out, boolean withSnapshots) {
		return download(container(name) + "/export" + (withSnapshots ? "?snapshots=1" : ""), out,
				"berth-client-export");
	}

	/**
	 * {@code POST …/migrate}: the agent migrates (as root, with root's ssh) and streams the progress, which
	 * {@code progress} hears from a thread of this client's; the result or the error comes last.
	 */
	@Override
	public CompletableFuture<MigrationResult> migrate(String name, MigrationRequest request,
			java.util.function.Consumer<MigrationProgress> progress) {
		CompletableFuture<MigrationResult> result = new CompletableFuture<>();
		boolean defaults = request.ssh().equals(List.of("ssh")) && request.remoteBerth().equals("berth");
		Api.MigrateRequest body = new Api.MigrateRequest(request.target(), request.tcpEstablished(),
				defaults ? null : request.ssh(), defaults ? null : request.remoteBerth());
		InputStreamResponseListener listener = new InputStreamResponseListener();
		http.newRequest(uri(container(name) + "/migrate")).method("POST").idleTimeout(1, TimeUnit.HOURS)
				.body(new StringRequestContent("application/json", Wire.toJson(body))).send(listener);
		Thread.ofVirtual().name("berth-client-migrate").start(() -> {
			try {
				Response response = listener.get(1, TimeUnit.MINUTES);
				try (InputStream in = listener.getInputStream();
						BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
					if (response.getStatus() != 200) {
						result.completeExceptionally(error(response.getStatus(),
								new String(in.readAllBytes(), StandardCharsets.UTF_8)));
						return;
					}
					String line;
					while ((line = lines.readLine()) != null) {
						if (line.isBlank()) {
							continue;
						}
						Api.MigrateLine l = Wire.gson().fromJson(line, Api.MigrateLine.class);
						if (l.progress() != null && progress != null) {
							progress.accept(l.progress());
						} else if (l.result() != null) {
							result.complete(l.result().toResult());
							return;
						} else if (l.error() != null) {
							result.completeExceptionally(error(500, Wire.toJson(l.error())));
							return;
						}
					}
					result.completeExceptionally(new BerthException("migrate", name, "the connection to the agent"
							+ " ended before the migration did; berth list (or the agent's audit trail) shows where"
							+ " \"" + name + "\" is now"));
				}
			} catch (Exception e) {
				result.completeExceptionally(failure(e));
			}
		});
		return result;
	}

	/** A body of the agent's into {@code out} as it comes; an answer other than 200 fails with its sentence. */
	private CompletableFuture<Void> download(String path, OutputStream out, String thread) {
		CompletableFuture<Void> result = new CompletableFuture<>();
		InputStreamResponseListener listener = new InputStreamResponseListener();
		http.newRequest(uri(path)).idleTimeout(1, TimeUnit.HOURS).send(listener);
		Thread.ofVirtual().name(thread).start(() -> {
			try {
				// the agent answers once the engine has packed it all: a large tree takes a while
				Response response = listener.get(1, TimeUnit.HOURS);
				try (InputStream in = listener.getInputStream()) {
					if (response.getStatus() == 200) {
						in.transferTo(out);
						result.complete(null);
					} else {
						result.completeExceptionally(error(response.getStatus(),
								new String(in.readAllBytes(), StandardCharsets.UTF_8)));
					}
				}
			} catch (Exception e) {
				result.completeExceptionally(failure(e));
			}
		});
		return result;
	}

	@Override
	public CompletableFuture<List<FileEntry>> listFiles(String name, String dir) {
		return call("GET", container(name) + "/files?path=" + encode(dir), null, new TypeToken<List<FileEntry>>() {
		});
	}

	@Override
	public CompletableFuture<byte[]> readFile(String name, String path, int maxBytes) {
		CompletableFuture<byte[]> result = new CompletableFuture<>();
		http.newRequest(uri(container(name) + "/files/content?path=" + encode(path)))
				.send(new BufferingResponseListener(Math.max(1, maxBytes) + (1 << 16)) {
					@Override
					public void onComplete(Result r) {
						if (r.isFailed()) {
							result.completeExceptionally(r.getResponse() != null && r.getResponse().getStatus() == 200
									? new BerthException("read", name + ":" + path, name + ":" + path
											+ " is larger than " + maxBytes
											+ " bytes; copy it out with berth file pull")
									: failure(r.getFailure()));
						} else if (r.getResponse().getStatus() == 200) {
							byte[] bytes = getContent();
							if (bytes.length > maxBytes) {
								result.completeExceptionally(new BerthException("read", name + ":" + path, name + ":"
										+ path + " is larger than " + maxBytes
										+ " bytes; copy it out with berth file pull"));
							} else {
								result.complete(bytes);
							}
						} else {
							result.completeExceptionally(error(r.getResponse().getStatus(),
									getContentAsString(StandardCharsets.UTF_8)));
						}
					}
				});
		return result;
	}

	@Override
	public CompletableFuture<Void> writeFile(String name, String path, byte[] content) {
		return send("PUT", container(name) + "/files/content?path=" + encode(path),
				new org.eclipse.jetty.client.BytesRequestContent("application/octet-stream", content),
				new TypeToken<Map<String, Object>>() {
				}).thenApply(m -> null);
	}

	/** {@code GET …/console-log}: what the container's init wrote since its last start (its end when large). */
	public CompletableFuture<byte[]> consoleLog(String name) {
		CompletableFuture<byte[]> result = new CompletableFuture<>();
		http.newRequest(uri(container(name) + "/console-log")).send(new BufferingResponseListener(16 << 20) {
			@Override
			public void onComplete(Result r) {
				if (r.isFailed()) {
					result.completeExceptionally(failure(r.getFailure()));
				} else if (r.getResponse().getStatus() == 200) {
					result.complete(getContent());
				} else {
					result.completeExceptionally(error(r.getResponse().getStatus(),
							getContentAsString(StandardCharsets.UTF_8)));
				}
			}
		});
		return result;
	}

	@Override
	public CompletableFuture<ContainerDiff> diff(String a, String b) {
		return call("GET", "/diff?a=" + encode(a) + "&b=" + encode(b), null, ContainerDiff.class);
	}

	@Override
	public CompletableFuture<Usage> usage(String name) {
		return call("GET", container(name) + "/usage", null, Usage.class);
	}

	/** {@code GET …/history?tier=}: the points of one tier ("1s", "10s", "1m"…; null for the finest). */
	public CompletableFuture<Api.History> history(String name, String tier) {
		return call("GET", container(name) + "/history" + (tier == null ? "" : "?tier=" + encode(tier)), null,
				Api.History.class);
	}

	/**
	 * {@code GET /1.0/audit}: the newest {@code limit} entries of the agent's audit trail about {@code container} by
	 * {@code user} (null: all), oldest first.
	 */
	@Override
	public CompletableFuture<List<AuditTrail.Entry>> auditTrail(String container, String user, int limit) {
		StringBuilder q = new StringBuilder("/audit?limit=").append(limit);
		if (container != null) {
			q.append("&container=").append(encode(container));
		}
		if (user != null) {
			q.append("&user=").append(encode(user));
		}
		return call("GET", q.toString(), null, new TypeToken<List<AuditTrail.Entry>>() {
		});
	}

	/** {@code GET /1.0/samples}: the newest sample of every running container. */
	CompletableFuture<Api.Samples> samples() {
		return call("GET", "/samples", null, Api.Samples.class);
	}

	/**
	 * The agent's monitoring as this client sees it: copies of the histories, kept current while this engine is
	 * open (see {@link AgentMonitoring}). Asking starts it.
	 */
	@Override
	public synchronized Optional<Monitoring> monitoring() {
		if (monitoring == null && !closed) {
			monitoring = new AgentMonitoring(this);
		}
		return Optional.ofNullable(monitoring);
	}

	/** Whether {@link #close} was called. */
	boolean isClosed() {
		return closed;
	}

	@Override
	public void addListener(EngineListener listener) {
		listeners.add(listener);
	}

	@Override
	public void removeListener(EngineListener listener) {
		listeners.remove(listener);
	}

	@Override
	public void close() {
		closed = true;
		AgentMonitoring m = monitoring;
		if (m != null) {
			m.close();
		}
		events.interrupt();
		try {
			WebSocketCoreClient w;
			synchronized (this) {
				w = ws;
			}
			if (w != null) {
				w.stop();
			}
		} catch (Exception e) {
			// stopping anyway
		}
		try {
			http.stop();
		} catch (Exception e) {
			// stopping anyway
		}
		AutoCloseable a = also;
		if (a != null) {
			try {
				a.close();
			} catch (Exception e) {
				// closed as well as it could be
			}
		}
	}

	/** Closes {@code resource} with this engine (after it): what carries its connection. */
	void alsoClose(AutoCloseable resource) {
		also = resource;
	}

	// ---- HTTP --------------------------------------------------------------------------------------------------

	private CompletableFuture<ContainerSnapshot> snapshot(CompletableFuture<ContainerSnapshot> f) {
		return f.thenApply(this::remember);
	}

	private static String container(String name) {
		return "/containers/" + encode(name);
	}

	private static String encode(String s) {
		return Api.segment(s);
	}

	private URI uri(String path) {
		return URI.create("http://berth" + Api.PREFIX + path);
	}

	/** One request; its JSON answer as {@code type}, or the agent's error as the engine's exception. */
	private <T> CompletableFuture<T> call(String method, String path, Object body, Class<T> type) {
		return call(method, path, body, TypeToken.get(type));
	}

	private <T> CompletableFuture<T> call(String method, String path, Object body, TypeToken<T> type) {
		return send(method, path, body == null ? null : new StringRequestContent("application/json", Wire.toJson(body)),
				type);
	}

	/** One request with {@code content} (null: none); an upload may take long, so its idle timeout is an hour. */
	private <T> CompletableFuture<T> send(String method, String path, Request.Content content, TypeToken<T> type) {
		CompletableFuture<T> result = new CompletableFuture<>();
		Request request = http.newRequest(uri(path)).method(method);
		if (content != null) {
			request.body(content);
			if (!(content instanceof StringRequestContent)) {
				request.idleTimeout(1, TimeUnit.HOURS);
			}
		}
		request.send(new BufferingResponseListener(64 << 20) {
			@Override
			public void onComplete(Result r) {
				if (r.isFailed()) {
					result.completeExceptionally(failure(r.getFailure()));
					return;
				}
				String text = getContentAsString(StandardCharsets.UTF_8);
				int status = r.getResponse().getStatus();
				try {
					if (status / 100 == 2) {
						result.complete(Wire.gson().fromJson(text, type));
					} else {
						result.completeExceptionally(error(status, text));
					}
				} catch (RuntimeException e) {
					result.completeExceptionally(new BerthException(method + " " + path, null, "The agent's answer ("
							+ status + ") is not what this client understands: " + e.getMessage(), e));
				}
			}
		});
		return result;
	}

	/** The agent's error body as the engine's exception. */
	static Exception error(int status, String text) {
		Api.ErrorBody e;
		try {
			e = Wire.gson().fromJson(text, Api.ErrorBody.class);
		} catch (RuntimeException x) {
			e = null;
		}
		if (e == null || e.error() == null) {
			return new BerthException("The agent answered " + status + " without a reason.");
		}
		String type = String.valueOf(e.type());
		try {
			switch (type) {
				case "NoSuchContainer" :
					return new NoSuchContainerException(e.name());
				case "ContainerExists" :
					return new ContainerExistsException(e.name());
				case "InvalidSpec" :
					return new InvalidSpecException(e.name(), e.problems() == null ? List.of() : e.problems());
				case "IllegalTransition" :
					return new IllegalTransitionException(e.name(), ContainerState.valueOf(e.state()),
							Action.valueOf(e.action()));
				case "Forbidden" :
					return new AgentRefusedException(e.error());
				case "Unsupported" :
					return new UnsupportedOperationException(e.error());
				default :
					return new BerthException(e.error());
			}
		} catch (RuntimeException x) {
			return new BerthException(e.error());
		}
	}

	private BerthException failure(Throwable t) {
		Throwable c = unwrap(t);
		if (c instanceof BerthException b) {
			return b;
		}
		String reason = c.getMessage() == null ? c.toString() : c.getMessage();
		return new BerthException("connect", socket.toString(), "The Berth agent on " + socket
				+ " does not answer (" + reason + ").", c);
	}

	private static Throwable unwrap(Throwable t) {
		Throwable c = t;
		while ((c instanceof java.util.concurrent.CompletionException
				|| c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
			c = c.getCause();
		}
		return c;
	}
}
