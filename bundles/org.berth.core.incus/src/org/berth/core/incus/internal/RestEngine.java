package org.berth.core.incus.internal;

import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;

import org.berth.core.Action;
import org.berth.core.BerthException;
import org.berth.core.ContainerExistsException;
import org.berth.core.ContainerKind;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.EngineEvent;
import org.berth.core.EngineListener;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.ExecSession;
import org.berth.core.IllegalTransitionException;
import org.berth.core.InvalidSpecException;
import org.berth.core.Limits;
import org.berth.core.Monitoring;
import org.berth.core.NoSuchContainerException;
import org.berth.core.PolledMonitoring;
import org.berth.core.Problem;
import org.berth.core.SnapshotInfo;
import org.berth.core.SpecValidator;
import org.berth.core.StateMachine;
import org.berth.core.TerminalRequest;
import org.berth.core.TerminalSession;
import org.berth.core.Tier;
import org.berth.core.Usage;
import org.berth.core.incus.CertificateMismatchException;
import org.berth.core.incus.IncusEndpoint;
import org.berth.core.incus.IncusEngine;
import org.berth.core.incus.IncusException;
import org.berth.core.wire.AuditTrail;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The Incus engine: Jetty's HttpClient (over the Unix socket, or HTTPS with the pinned certificate) for requests and
 * operations, its WebSocket core client for {@code /1.0/events}. One worker thread updates the cache, in the order
 * changes are seen, and calls the listeners (never while holding the cache's lock).
 */
public final class RestEngine implements IncusEngine {

	private static final String API = "/1.0";
	/** How long one wait on an operation asks Incus to hold the request (seconds; asked again while it runs). */
	private static final int WAIT_SECONDS = 30;

	static {
		// as in Berth's agent client: Jetty asks the platform MBean server for the size of a reference unless told,
		// which starts JMX (tens of milliseconds). 64-byte cache lines, compressed references: 16.
		if (System.getProperty("org.eclipse.jetty.util.referencesPerCacheLine") == null) {
			System.setProperty("org.eclipse.jetty.util.referencesPerCacheLine", "16");
		}
	}

	private final IncusEndpoint endpoint;
	private final Transport transport; // the Unix socket; null over HTTPS
	private final String base; // "http://incus" or "https://host:port"
	private final AtomicReference<String> presented = new AtomicReference<>();
	private final HttpClient http;
	private WebSocketCoreClient ws;
	private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
	private final Map<String, ContainerSnapshot> cache = new TreeMap<>();
	private volatile List<ContainerSnapshot> sorted = List.of();
	private volatile Set<String> templates = Set.of();
	private final ScheduledExecutorService worker;
	/** The refreshes handed to the worker and not done yet. */
	private final Set<CompletableFuture<ContainerSnapshot>> pending = java.util.concurrent.ConcurrentHashMap
			.newKeySet();
	private volatile CoreSession events;
	private volatile boolean closed;
	private volatile String serverVersion = "";
	private volatile String problem;
	/** What the last state read of each running instance said of its use (see {@link #memoryInUse}). */
	private final Map<String, Usage> loadedUsage = new java.util.concurrent.ConcurrentHashMap<>();
	/** How old a state read with the list may be for {@link #memoryInUse}. */
	private static final Duration LOADED_FRESH = Duration.ofSeconds(5);
	/** See {@link #monitoring()}. */
	private volatile PolledMonitoring monitoring;
	/** Made by {@link #open} (a console): see {@link #usage} and {@link #monitoring()}. */
	private volatile boolean console;
	private volatile int serverCpus;
	/** Whether the cache's running instances carry their state (see {@link #reloadNow}). */
	private volatile boolean withStates;
	/** Whether the cache follows {@code /1.0/events} (see {@link #startFollowing}). */
	private volatile boolean following;

	private RestEngine(IncusEndpoint endpoint) throws BerthException {
		this.endpoint = endpoint;
		ClientConnector connector;
		if (endpoint.isUnix()) {
			transport = new Transport.TCPUnix(endpoint.socket());
			base = "http://incus";
			connector = noTlsConnector();
		} else {
			transport = null;
			base = endpoint.uri().toString();
			SSLContext context = Tls.clientContext(endpoint.clientCertificate(), endpoint.clientKey(), endpoint
					.serverFingerprint(), presented);
			SslContextFactory.Client tls = new SslContextFactory.Client();
			tls.setSslContext(context);
			tls.setEndpointIdentificationAlgorithm(null); // Incus's certificates are self-signed: the pin decides
			connector = new ClientConnector();
			connector.setSslContextFactory(tls);
		}
		QueuedThreadPool threads = new QueuedThreadPool(16, 2);
		threads.setName("berth-incus");
		threads.setDaemon(true);
		Transport unix = transport;
		HttpClientTransportOverHTTP httpTransport = new HttpClientTransportOverHTTP(connector);
		if (unix != null) {
			httpTransport.setConnectionPoolFactory(d -> new UnixSocketPool(d, d.getHttpClient()
					.getMaxConnectionsPerDestination()));
		}
		http = new HttpClient(httpTransport) {
			@Override
			public Request newRequest(URI uri) {
				Request r = super.newRequest(uri);
				return unix == null ? r : r.transport(unix);
			}
		};
		http.setExecutor(threads);
		http.setIdleTimeout(WAIT_SECONDS * 2000L);
		worker = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name(
				"berth-incus-events").unstarted(r));
		try {
			http.start();
		} catch (Exception e) {
			worker.shutdownNow();
			throw new BerthException("connect", endpoint.describe(), "Cannot start the Incus client: " + e
					.getMessage(), e);
		}
	}

	/**
	 * A connector for the Unix socket, which is never TLS: its TLS factory loads nothing (Jetty's default reads the
	 * JDK's trust store at start, about 100 ms).
	 */
	private static ClientConnector noTlsConnector() {
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

	/** See {@link IncusEngine#connect}. */
	public static RestEngine connect(IncusEndpoint endpoint) throws BerthException {
		RestEngine e = new RestEngine(endpoint);
		try {
			e.worker.submit(() -> {
				e.connectNow();
				return null;
			}).get(150, TimeUnit.SECONDS);
		} catch (Exception x) {
			BerthException b = e.failure(x instanceof ExecutionException ? x.getCause() : x);
			e.close();
			throw b;
		}
		return e;
	}

	/** See {@link IncusEngine#open}. */
	public static RestEngine open(IncusEndpoint endpoint) throws BerthException {
		RestEngine e = new RestEngine(endpoint);
		e.following = true;
		e.console = true;
		e.problem = "Connecting to the Incus server at " + endpoint.describe() + "…";
		e.attempt(BACKOFF_MIN_MS);
		return e;
	}

	/** The first wait after a failed first contact; it doubles up to {@link #BACKOFF_MAX_MS}. */
	private static final long BACKOFF_MIN_MS = 1000;
	private static final long BACKOFF_MAX_MS = 30_000;

	/** On the worker: one try at the first contact; when it fails, says why and tries again after {@code backoff}. */
	private void attempt(long backoff) {
		try {
			worker.execute(() -> {
				try {
					connectNow();
					problem = null;
				} catch (Exception x) {
					if (closed) {
						return;
					}
					String why = failure(x).getMessage();
					problem = (why.endsWith(".") ? why.substring(0, why.length() - 1) : why) + "; trying again in "
							+ backoff / 1000 + " s";
					worker.schedule(() -> attempt(Math.min(BACKOFF_MAX_MS, backoff * 2)), backoff,
							TimeUnit.MILLISECONDS);
				}
			});
		} catch (java.util.concurrent.RejectedExecutionException e) {
			// closed meanwhile
		}
	}

	/**
	 * On the worker: asks the server whether it trusts this client and for its version, loads its instances and
	 * follows its events.
	 */
	private void connectNow() throws Exception {
		JsonObject server = call("connect", null, "GET", API, null).get(30, TimeUnit.SECONDS);
		JsonObject m = IncusJson.metadata(server).getAsJsonObject();
		if (!"trusted".equals(IncusJson.string(m, "auth"))) {
			throw new BerthException("connect", endpoint.describe(), "The Incus server at " + endpoint.describe()
					+ " does not trust this client's certificate; enrol it with a trust token (made there with"
					+ " `incus config trust add NAME`).");
		}
		String version = IncusJson.string(IncusJson.object(m, "environment"), "server_version");
		serverVersion = version == null ? "" : version;
		reloadNow(following);
		if (following) {
			followEvents().get(30, TimeUnit.SECONDS);
		}
	}

	/**
	 * From now on the cache follows the server's events: at once for {@link #open} (a console), at the first listener
	 * for {@link #connect} (a command that lists or acts once needs no event stream: its own changes are read back when
	 * their operations end). The instances are read again once the events flow, so nothing between falls through.
	 */
	private void startFollowing() {
		synchronized (listeners) {
			if (following || closed) {
				return;
			}
			following = true;
		}
		try {
			worker.execute(() -> {
				try {
					followEvents().get(30, TimeUnit.SECONDS);
					reloadNow(true);
				} catch (Exception e) {
					if (!closed) {
						reconnectLater();
					}
				}
			});
		} catch (java.util.concurrent.RejectedExecutionException e) {
			// closed meanwhile
		}
	}

	/** See {@link IncusEngine#enrol}. */
	public static void enrol(IncusEndpoint endpoint, String trustToken, String clientName) throws BerthException {
		if (endpoint.isUnix()) {
			throw new BerthException("enrol", endpoint.describe(), "A Unix socket needs no enrolment: whoever may"
					+ " open it is trusted.");
		}
		RestEngine e = new RestEngine(endpoint);
		try {
			JsonObject body = new JsonObject();
			body.addProperty("type", "client");
			body.addProperty("name", clientName);
			body.addProperty("trust_token", trustToken.trim());
			JsonObject answer = e.call("enrol", null, "POST", API + "/certificates", body).get(30,
					TimeUnit.SECONDS);
			e.operation("enrol", null, answer).get(60, TimeUnit.SECONDS);
			JsonObject server = e.call("enrol", null, "GET", API, null).get(30, TimeUnit.SECONDS);
			if (!"trusted".equals(IncusJson.string(IncusJson.metadata(server).getAsJsonObject(), "auth"))) {
				throw new BerthException("enrol", endpoint.describe(), "The Incus server at " + endpoint.describe()
						+ " took the trust token but does not trust this client's certificate.");
			}
		} catch (Exception x) {
			throw e.failure(x);
		} finally {
			e.close();
		}
	}

	@Override
	public IncusEndpoint endpoint() {
		return endpoint;
	}

	@Override
	public String serverVersion() {
		return serverVersion;
	}

	// ---- the cache ---------------------------------------------------------------------------------------------

	@Override
	public List<ContainerSnapshot> list() {
		if (!withStates && !closed) {
			try {
				worker.submit(() -> {
					if (!withStates) {
						reloadNow(true);
					}
					return null;
				}).get(WAIT_SECONDS * 2L, TimeUnit.SECONDS);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt(); // the list as loaded
			} catch (Exception e) {
				// the list as loaded, without process ids and start times
			}
		}
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
		return SpecValidator.ValidationContext.ofSpecs(specs, running, templates, 0);
	}

	/**
	 * On the worker: every instance ({@code recursion=1}) and the image aliases, anew, and with {@code states} the state
	 * of each running one (in parallel). Without states, a running instance's snapshot has no process id and no start
	 * time until {@link #list} asks for them: a command that acts on one instance ({@code berth exec}, {@code start})
	 * does not pay for the others' states (each costs incusd about 85 ms; 10 together 0.86 s here).
	 */
	private void reloadNow(boolean states) throws Exception {
		CompletableFuture<JsonObject> aliases = call("list", null, "GET", API + "/images/aliases?recursion=1", null);
		JsonArray all = IncusJson.metadata(call("list", null, "GET", API + "/instances?recursion=1", null).get(60,
				TimeUnit.SECONDS)).getAsJsonArray();
		Map<String, CompletableFuture<JsonObject>> reads = new HashMap<>();
		for (JsonElement i : all) {
			JsonObject o = i.getAsJsonObject();
			String name = IncusJson.string(o, "name");
			if (states && IncusJson.state(IncusJson.string(o, "status")).isActive()) {
				reads.put(name, call("list", name, "GET", instance(name) + "/state", null));
			}
		}
		Map<String, ContainerSnapshot> fresh = new TreeMap<>();
		for (JsonElement i : all) {
			JsonObject o = i.getAsJsonObject();
			String name = IncusJson.string(o, "name");
			JsonObject state = null;
			CompletableFuture<JsonObject> f = reads.get(name);
			if (f != null) {
				try {
					state = IncusJson.metadata(f.get(30, TimeUnit.SECONDS)).getAsJsonObject();
				} catch (ExecutionException e) {
					if (!(e.getCause() instanceof NoSuchContainerException)) {
						throw e;
					}
					continue; // deleted meanwhile
				}
			}
			ContainerSnapshot snapshot = IncusJson.snapshot(o, state);
			fresh.put(name, snapshot);
			loaded(snapshot, state);
		}
		loadedUsage.keySet().retainAll(fresh.keySet());
		templates = templates(aliases.get(30, TimeUnit.SECONDS)); // asked for alongside the instances
		List<EngineEvent> changes = new ArrayList<>();
		synchronized (cache) {
			Set<String> gone = new HashSet<>(cache.keySet());
			gone.removeAll(fresh.keySet());
			for (String name : gone) {
				changes.add(new EngineEvent(EngineEvent.Kind.DESTROYED, name, cache.remove(name)));
			}
			for (ContainerSnapshot s : fresh.values()) {
				EngineEvent e = change(cache.put(s.name(), s), s);
				if (e != null) {
					changes.add(e);
				}
			}
			sorted = List.copyOf(cache.values());
		}
		withStates = states;
		changes.forEach(this::fire);
	}

	/** The image aliases, which are this engine's templates. */
	private void loadTemplates() throws Exception {
		templates = templates(call("list", null, "GET", API + "/images/aliases?recursion=1", null).get(30,
				TimeUnit.SECONDS));
	}

	/** The alias names in an answer of {@code /1.0/images/aliases?recursion=1}. */
	private static Set<String> templates(JsonObject answer) {
		Set<String> t = new TreeSet<>();
		for (JsonElement a : IncusJson.metadata(answer).getAsJsonArray()) {
			t.add(IncusJson.string(a.getAsJsonObject(), "name"));
		}
		return Set.copyOf(t);
	}

	/** On the worker: one instance anew; null when it is gone. Tells the listeners what changed. */
	private ContainerSnapshot refreshNow(String name) throws Exception {
		ContainerSnapshot s;
		try {
			JsonObject o = IncusJson.metadata(call("refresh", name, "GET", instance(name), null).get(30,
					TimeUnit.SECONDS)).getAsJsonObject();
			JsonObject state = null;
			if (IncusJson.state(IncusJson.string(o, "status")).isActive()) {
				state = IncusJson.metadata(call("refresh", name, "GET", instance(name) + "/state", null).get(30,
						TimeUnit.SECONDS)).getAsJsonObject();
			}
			s = IncusJson.snapshot(o, state);
			loaded(s, state);
		} catch (ExecutionException e) {
			if (!(e.getCause() instanceof NoSuchContainerException)) {
				throw e;
			}
			s = null;
			loadedUsage.remove(name);
		}
		EngineEvent event;
		synchronized (cache) {
			if (s == null) {
				ContainerSnapshot old = cache.remove(name);
				event = old == null ? null : new EngineEvent(EngineEvent.Kind.DESTROYED, name, old);
			} else {
				event = change(cache.put(name, s), s);
			}
			sorted = List.copyOf(cache.values());
		}
		if (event != null) {
			fire(event);
		}
		return s;
	}

	/** The event from {@code old} (null: none) to {@code now}, or null when nothing changed. */
	private static EngineEvent change(ContainerSnapshot old, ContainerSnapshot now) {
		if (old == null) {
			return new EngineEvent(EngineEvent.Kind.DEFINED, now.name(), now);
		}
		if (old.equals(now)) {
			return null;
		}
		return new EngineEvent(old.state() != now.state() ? EngineEvent.Kind.STATE_CHANGED : EngineEvent.Kind.UPDATED,
				now.name(), now);
	}

	/** The instance anew, on the worker (so that the cache changes in order). */
	private CompletableFuture<ContainerSnapshot> refresh(String name) {
		CompletableFuture<ContainerSnapshot> f = new CompletableFuture<>();
		pending.add(f);
		f.whenComplete((s, failure) -> pending.remove(f));
		try {
			worker.execute(() -> {
				try {
					f.complete(refreshNow(name));
				} catch (Exception e) {
					f.completeExceptionally(failure(e));
				}
			});
		} catch (java.util.concurrent.RejectedExecutionException e) {
			f.completeExceptionally(new BerthException("refresh", name, "The Incus engine is closed."));
		}
		return f;
	}

	private CompletableFuture<ContainerSnapshot> present(String name) {
		return refresh(name).thenApply(s -> {
			if (s == null) {
				throw new CompletionException(new NoSuchContainerException(name));
			}
			return s;
		});
	}

	private void fire(EngineEvent e) {
		for (EngineListener l : listeners) {
			try {
				l.changed(e);
			} catch (RuntimeException x) {
				// a listener's failure is its own; the others still hear the event
			}
		}
	}

	@Override
	public void addListener(EngineListener listener) {
		listeners.add(listener);
		startFollowing();
	}

	@Override
	public void removeListener(EngineListener listener) {
		listeners.remove(listener);
	}

	// ---- events ------------------------------------------------------------------------------------------------

	private synchronized WebSocketCoreClient webSockets() throws Exception {
		if (ws == null) {
			WebSocketCoreClient client = new WebSocketCoreClient(http, null);
			client.start();
			ws = client;
		}
		return ws;
	}

	private URI webSocketUri(String path) {
		return URI.create((transport != null ? "ws://incus" : "wss://" + endpoint.uri().getHost() + ":" + endpoint
				.uri().getPort()) + path);
	}

	/** Opens {@code /1.0/events} for lifecycle events; completes once it is open. */
	private CompletableFuture<Void> followEvents() {
		CompletableFuture<Void> open = new CompletableFuture<>();
		webSocket(API + "/events?type=lifecycle", new Events(open), open);
		return open;
	}

	/**
	 * Connects {@code handler} to the WebSocket at {@code path}, without an idle timeout (events and terminals may be
	 * quiet for hours); a failure to connect fails {@code opened}.
	 */
	private void webSocket(String path, FrameHandler handler, CompletableFuture<?> opened) {
		try {
			CoreClientUpgradeRequest request = CoreClientUpgradeRequest.from(webSockets(), webSocketUri(path),
					handler);
			Configuration.ConfigurationCustomizer config = new Configuration.ConfigurationCustomizer();
			config.setIdleTimeout(Duration.ZERO);
			request.setConfiguration(config);
			webSockets().connect(request).whenComplete((session, failure) -> {
				if (failure != null) {
					opened.completeExceptionally(failure(failure));
				}
			});
		} catch (Exception e) {
			opened.completeExceptionally(failure(e));
		}
	}

	/** After the events' socket closed: again in a second, then the whole list anew (changes may have been missed). */
	private void reconnectLater() {
		if (closed) {
			return;
		}
		problem = "The events of the Incus server at " + endpoint.describe() + " are not followed; reconnecting…";
		try {
			worker.schedule(() -> followEvents().whenComplete((v, failure) -> {
				if (failure != null) {
					reconnectLater();
				} else {
					problem = null;
					worker.execute(() -> {
						try {
							reloadNow(true);
						} catch (Exception e) {
							problem = failure(e).getMessage();
						}
					});
				}
			}), 1, TimeUnit.SECONDS);
		} catch (java.util.concurrent.RejectedExecutionException e) {
			// closed meanwhile
		}
	}

	/** The lifecycle events: each one about an instance has that instance loaded anew. */
	private final class Events implements FrameHandler {
		private final CompletableFuture<Void> open;
		private final java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
		private byte messageOpCode;

		Events(CompletableFuture<Void> open) {
			this.open = open;
		}

		@Override
		public void onOpen(CoreSession session, Callback callback) {
			events = session;
			callback.succeeded();
			session.demand();
			open.complete(null);
		}

		@Override
		public void onFrame(Frame frame, Callback callback) {
			byte op = frame.getOpCode() == OpCode.CONTINUATION ? messageOpCode : frame.getOpCode();
			if (frame.getOpCode() != OpCode.CONTINUATION) {
				messageOpCode = frame.getOpCode();
			}
			if (op == OpCode.TEXT) {
				java.nio.ByteBuffer b = frame.getPayload();
				byte[] bytes = new byte[b.remaining()];
				b.get(bytes);
				text.writeBytes(bytes);
				if (frame.isFin()) {
					event(text.toString(StandardCharsets.UTF_8));
					text.reset();
				}
			}
			callback.succeeded();
			CoreSession s = events;
			if (s != null) {
				s.demand();
			}
		}

		private void event(String json) {
			String name;
			String action;
			try {
				JsonObject e = IncusJson.parse(json);
				name = IncusJson.eventInstance(e);
				action = IncusJson.eventAction(e);
			} catch (RuntimeException e) {
				return; // not an event of this client's understanding
			}
			if (closed) {
				return;
			}
			if (name != null) {
				refresh(name);
			} else if (action != null && action.startsWith("image-alias-")) {
				try {
					worker.execute(() -> {
						try {
							loadTemplates();
						} catch (Exception x) {
							// the next event or reconnection loads them again
						}
					});
				} catch (java.util.concurrent.RejectedExecutionException x) {
					// closed meanwhile
				}
			}
		}

		@Override
		public void onError(Throwable cause, Callback callback) {
			open.completeExceptionally(failure(cause));
			callback.succeeded();
		}

		@Override
		public void onClosed(CloseStatus status, Callback callback) {
			open.completeExceptionally(new BerthException("events", endpoint.describe(), "The Incus server closed"
					+ " its events: " + status.getReason()));
			callback.succeeded();
			reconnectLater();
		}
	}

	// ---- operations --------------------------------------------------------------------------------------------

	private static String encode(String s) {
		return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private static String instance(String name) {
		return API + "/instances/" + encode(name);
	}

	/** Refuses what the state machine does not allow in the cached state (an unknown instance goes to Incus). */
	private void allowed(String name, Action action) throws IllegalTransitionException {
		ContainerSnapshot s = get(name).orElse(null);
		if (s != null && !StateMachine.allowed(s.state(), action)) {
			throw new IllegalTransitionException(name, s.state(), action);
		}
	}

	/** {@code PUT /1.0/instances/NAME/state}, waited on, then the instance anew. */
	private CompletableFuture<ContainerSnapshot> state(String name, Action action, String incusAction,
			Duration timeout, boolean force) {
		try {
			allowed(name, action);
		} catch (IllegalTransitionException e) {
			return CompletableFuture.failedFuture(e);
		}
		JsonObject body = new JsonObject();
		body.addProperty("action", incusAction);
		body.addProperty("timeout", timeout == null ? -1 : Math.max(1, (int) Math.min(Integer.MAX_VALUE, timeout
				.toSeconds())));
		body.addProperty("force", force);
		return call(action.cli(), name, "PUT", instance(name) + "/state", body)
				.thenCompose(answer -> operation(action.cli(), name, answer))
				.thenCompose(done -> present(name));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> start(String name) {
		return state(name, Action.START, "start", null, false);
	}

	/** Asks the instance to shut down (Incus sends its halt signal) for {@code timeout}, then stops it by force. */
	@Override
	public CompletableFuture<ContainerSnapshot> stop(String name, Duration timeout) {
		return state(name, Action.STOP, "stop", timeout, false).exceptionallyCompose(e -> unwrap(
				e) instanceof IncusException ? state(name, Action.KILL, "stop", null, true)
						: CompletableFuture.failedFuture(e));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> kill(String name) {
		return state(name, Action.KILL, "stop", null, true);
	}

	@Override
	public CompletableFuture<ContainerSnapshot> restart(String name, Duration timeout) {
		return state(name, Action.RESTART, "restart", timeout, false).exceptionallyCompose(e -> unwrap(
				e) instanceof IncusException ? state(name, Action.RESTART, "restart", null, true)
						: CompletableFuture.failedFuture(e));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> freeze(String name) {
		return state(name, Action.FREEZE, "freeze", null, false);
	}

	@Override
	public CompletableFuture<ContainerSnapshot> thaw(String name) {
		return state(name, Action.THAW, "unfreeze", null, false);
	}

	/**
	 * Creates an instance from the image whose alias is the spec's template, with the spec's limits and description.
	 * Incus decides the rest: a spec's own root file system, init or application kind is refused.
	 */
	@Override
	public CompletableFuture<ContainerSnapshot> define(ContainerSpec spec) {
		if (get(spec.name()).isPresent()) {
			return CompletableFuture.failedFuture(new ContainerExistsException("define", spec.name()));
		}
		if (spec.rootfs() == null && !templates.contains(spec.template())) {
			// Incus's own answer would be "Image not provided for instance creation"
			return CompletableFuture.failedFuture(new InvalidSpecException(spec.name(), List.of(Problem.error(
					"template", "the Incus server at " + endpoint.describe() + " has no image with the alias \""
							+ spec.template() + "\"; its images: " + (templates.isEmpty() ? "none" : String.join(
									", ", templates))))));
		}
		JsonObject body = new JsonObject();
		try {
			refuseUnsupported(spec);
			body.addProperty("name", spec.name());
			body.addProperty("type", "container");
			body.addProperty("description", spec.description());
			JsonObject source = new JsonObject();
			source.addProperty("type", "image");
			source.addProperty("alias", spec.template());
			body.add("source", source);
			JsonObject config = new JsonObject();
			IncusJson.config(spec.limits()).forEach((k, v) -> {
				if (!v.isEmpty()) {
					config.addProperty(k, v);
				}
			});
			body.add("config", config);
		} catch (UnsupportedOperationException e) {
			return CompletableFuture.failedFuture(e);
		}
		return call("define", spec.name(), "POST", API + "/instances", body)
				.thenCompose(answer -> operation("define", spec.name(), answer))
				.thenCompose(done -> present(spec.name()));
	}

	private static void refuseUnsupported(ContainerSpec spec) {
		if (spec.kind() == ContainerKind.APPLICATION) {
			throw new UnsupportedOperationException("Incus runs system containers with their image's init; an"
					+ " application container is not one of its kinds");
		}
		if (spec.rootfs() != null) {
			throw new UnsupportedOperationException("Incus makes an instance's root file system from an image; a"
					+ " root file system folder (" + spec.rootfs() + ") cannot be used");
		}
		if (spec.init() != null) {
			throw new UnsupportedOperationException("Incus starts the image's own init; a spec's init command ("
					+ String.join(" ", spec.init()) + ") cannot be used");
		}
	}

	/** Changes the limits and description (Incus applies limits at once to a running instance). */
	@Override
	public CompletableFuture<ContainerSnapshot> update(ContainerSpec spec) {
		try {
			refuseUnsupported(spec);
		} catch (UnsupportedOperationException e) {
			return CompletableFuture.failedFuture(e);
		}
		ContainerSpec now = get(spec.name()).map(ContainerSnapshot::spec).orElse(null);
		if (now != null && (!now.namespaces().equals(spec.namespaces()) || !now.uidMaps().equals(spec.uidMaps())
				|| !now.gidMaps().equals(spec.gidMaps()))) {
			return CompletableFuture.failedFuture(new UnsupportedOperationException("Incus decides the namespaces"
					+ " and id maps of " + spec.name() + " (security.privileged, raw.idmap in its configuration"
					+ " there); Berth shows them but cannot change them"));
		}
		return patch("update", spec.name(), spec.limits(), spec.description());
	}

	@Override
	public CompletableFuture<ContainerSnapshot> setLimits(String name, Limits limits) {
		return patch("update-live", name, limits, null);
	}

	private CompletableFuture<ContainerSnapshot> patch(String op, String name, Limits limits, String description) {
		JsonObject body = new JsonObject();
		JsonObject config = new JsonObject();
		try {
			IncusJson.config(limits).forEach(config::addProperty);
		} catch (UnsupportedOperationException e) {
			return CompletableFuture.failedFuture(e);
		}
		body.add("config", config);
		if (description != null) {
			body.addProperty("description", description);
		}
		return call(op, name, "PATCH", instance(name), body)
				.thenCompose(answer -> operation(op, name, answer))
				.thenCompose(done -> present(name));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> cloneContainer(String source, String newName) {
		if (get(newName).isPresent()) {
			return CompletableFuture.failedFuture(new ContainerExistsException("clone", newName));
		}
		JsonObject body = new JsonObject();
		body.addProperty("name", newName);
		JsonObject from = new JsonObject();
		from.addProperty("type", "copy");
		from.addProperty("source", source);
		body.add("source", from);
		return call("clone", source, "POST", API + "/instances", body)
				.thenCompose(answer -> operation("clone", newName, answer))
				.thenCompose(done -> present(newName));
	}

	@Override
	public CompletableFuture<ContainerSnapshot> rename(String name, String newName) {
		if (get(newName).isPresent()) {
			return CompletableFuture.failedFuture(new ContainerExistsException("rename", newName));
		}
		JsonObject body = new JsonObject();
		body.addProperty("name", newName);
		return call("rename", name, "POST", instance(name), body)
				.thenCompose(answer -> operation("rename", name, answer))
				.thenCompose(done -> refresh(name))
				.thenCompose(gone -> present(newName));
	}

	@Override
	public CompletableFuture<Void> destroy(String name) {
		try {
			allowed(name, Action.DESTROY);
		} catch (IllegalTransitionException e) {
			return CompletableFuture.failedFuture(e);
		}
		return call("destroy", name, "DELETE", instance(name), null)
				.thenCompose(answer -> operation("destroy", name, answer))
				.thenCompose(done -> refresh(name))
				.thenApply(gone -> null);
	}

	/**
	 * Runs the command with Incus's recorded output ({@code record-output}): Incus keeps stdout and stderr in log
	 * files of the instance, read and removed once the operation ends; the exit code is the operation's
	 * {@code metadata.return}.
	 */
	@Override
	public CompletableFuture<ExecResult> exec(String name, ExecRequest request) {
		if (request.tty()) {
			return CompletableFuture.failedFuture(new UnsupportedOperationException("a command on a terminal needs"
					+ " an interactive session (a terminal); this engine collects output without one"));
		}
		try {
			allowed(name, Action.EXEC);
		} catch (IllegalTransitionException e) {
			return CompletableFuture.failedFuture(e);
		}
		if (request.stdin() != null) {
			return execWithInput(name, request);
		}
		JsonObject body = execBody(request.command(), request.env(), request.cwd());
		body.addProperty("wait-for-websocket", false);
		body.addProperty("interactive", false);
		body.addProperty("record-output", true);
		return call("exec", name, "POST", instance(name) + "/exec", body)
				.thenCompose(answer -> operation("exec", name, answer))
				.thenCompose(op -> {
					JsonObject m = IncusJson.object(op, "metadata");
					int code = (int) IncusJson.number(m, "return");
					JsonObject output = IncusJson.object(m, "output");
					CompletableFuture<byte[]> out = log(IncusJson.string(output, "1"));
					CompletableFuture<byte[]> err = log(IncusJson.string(output, "2"));
					return out.thenCombine(err, (o, e) -> new ExecResult(code, o, e));
				});
	}

	/**
	 * A command with standard input: a non-interactive exec whose WebSockets carry it (fd 0: the input, then closed;
	 * fds 1 and 2: the output until Incus's empty text frame; control). The exit code is the operation's
	 * {@code metadata.return}.
	 */
	private CompletableFuture<ExecResult> execWithInput(String name, ExecRequest request) {
		return openExec(name, request).thenCompose(session -> {
			IncusExec e = (IncusExec) session;
			try (OutputStream in = e.stdin()) {
				in.write(request.stdin());
			} catch (java.io.IOException x) {
				e.close();
				return CompletableFuture.failedFuture(new BerthException("exec", name, "Cannot send the standard"
						+ " input of the command to Incus: " + x.getMessage(), x));
			}
			// runs on the thread of whichever completed last, a WebSocket's maybe: the reads do not wait, as both
			// streams are told their end before their "ended" completes (ExecSocket)
			return CompletableFuture.allOf(e.out.ended, e.err.ended, e.exit).thenApply(v -> {
				try {
					return new ExecResult(e.exit.join(), e.stdout().readAllBytes(), e.stderr().readAllBytes());
				} catch (java.io.IOException x) {
					throw new CompletionException(x);
				}
			}).whenComplete((r, failure) -> e.close());
		});
	}

	/**
	 * A command with its streams open to the caller: a non-interactive exec whose WebSockets become the session;
	 * completes once they are connected (the command starts then).
	 */
	@Override
	public CompletableFuture<ExecSession> openExec(String name, ExecRequest request) {
		try {
			allowed(name, Action.EXEC);
		} catch (IllegalTransitionException e) {
			return CompletableFuture.failedFuture(e);
		}
		JsonObject body = execBody(request.command(), request.env(), request.cwd());
		body.addProperty("wait-for-websocket", true);
		body.addProperty("interactive", false);
		body.addProperty("record-output", false);
		IncusExec e = new IncusExec();
		return call("exec", name, "POST", instance(name) + "/exec", body).thenCompose(answer -> {
			String id = connectExec(answer, new String[]{"control", "0", "1", "2"}, e.control, e.in, e.out, e.err);
			exitOf("exec", name, id, e.exit);
			return CompletableFuture.allOf(e.in.opened, e.out.opened, e.err.opened, e.control.opened)
					.<ExecSession>thenApply(v -> e).whenComplete((v, failure) -> {
						if (failure != null) {
							e.close();
						}
					});
		});
	}

	/** Completes {@code exit} with the exit status of operation {@code id} ({@code metadata.return}) once it ends. */
	private void exitOf(String op, String name, String id, CompletableFuture<Integer> exit) {
		waitFor(op, name, id).whenComplete((m, failure) -> {
			if (failure != null) {
				exit.completeExceptionally(failure(failure));
			} else {
				exit.complete((int) IncusJson.number(IncusJson.object(m, "metadata"), "return"));
			}
		});
	}

	/** The body of an exec request: the command, its environment and working folder. */
	private static JsonObject execBody(List<String> argv, Map<String, String> environment, String cwd) {
		JsonObject body = new JsonObject();
		JsonArray command = new JsonArray();
		argv.forEach(command::add);
		body.add("command", command);
		JsonObject env = new JsonObject();
		environment.forEach(env::addProperty);
		body.add("environment", env);
		if (cwd != null) {
			body.addProperty("cwd", cwd);
		}
		return body;
	}

	/**
	 * Connects the exec's WebSockets named {@code fds} (from the answer's {@code metadata.fds}) to {@code sockets};
	 * the operation's id.
	 */
	private String connectExec(JsonObject answer, String[] fds, ExecSocket... sockets) {
		String id = IncusJson.operationId(answer);
		JsonObject secrets = IncusJson.object(IncusJson.object(IncusJson.metadata(answer).getAsJsonObject(),
				"metadata"), "fds");
		String operation = API + "/operations/" + encode(id) + "/websocket?secret=";
		// one after the other, in the order of fds, as Incus's own client connects them: all at once, Incus answered
		// the upgrade with a 500 now and then (2 of 40 execs, IncusRemoteTest's loop)
		CompletableFuture<?> previous = CompletableFuture.completedFuture(null);
		for (int i = 0; i < fds.length; i++) {
			String path = operation + encode(String.valueOf(IncusJson.string(secrets, fds[i])));
			ExecSocket socket = sockets[i];
			previous = previous.thenCompose(v -> {
				webSocket(path, socket, socket.opened);
				return socket.opened;
			});
		}
		previous.whenComplete((v, failure) -> {
			if (failure != null) { // the sockets not tried yet fail with the first one's failure
				for (ExecSocket socket : sockets) {
					socket.opened.completeExceptionally(failure);
				}
			}
		});
		return id;
	}

	/**
	 * A command on a terminal of its own: an interactive exec whose data and control WebSockets become the session;
	 * the terminal is sized before the command starts. An empty command is {@code /bin/sh -l} (Incus does not say
	 * which login shell root has). Incus runs commands in all the instance's namespaces inside its root: a debug
	 * shell in some of them is refused. The console ({@link TerminalRequest#console()}) is Incus's console
	 * WebSocket of the instance, interactive.
	 */
	@Override
	public CompletableFuture<TerminalSession> openTerminal(String name, TerminalRequest request) {
		if (!request.console() && (!request.joinsAllNamespaces() || !request.chroot())) {
			return CompletableFuture.failedFuture(new UnsupportedOperationException("Incus runs commands in all of"
					+ " an instance's namespaces, inside its root; a debug shell in some of them is not available"));
		}
		try {
			allowed(name, Action.EXEC);
		} catch (IllegalTransitionException e) {
			return CompletableFuture.failedFuture(e);
		}
		if (request.console()) {
			JsonObject body = new JsonObject();
			body.addProperty("type", "console");
			body.addProperty("width", request.columns());
			body.addProperty("height", request.rows());
			return terminal(name, "console", instance(name) + "/console", body, new IncusTerminal(name
					+ " console"));
		}
		List<String> argv = request.command().isEmpty() ? List.of("/bin/sh", "-l") : request.command();
		Map<String, String> env = new java.util.LinkedHashMap<>();
		env.put("TERM", request.term());
		env.putAll(request.env());
		JsonObject body = execBody(argv, env, null);
		body.addProperty("interactive", true);
		body.addProperty("wait-for-websocket", true);
		body.addProperty("width", request.columns());
		body.addProperty("height", request.rows());
		return terminal(name, "terminal", instance(name) + "/exec", body, new IncusTerminal(name + " " + String.join(
				" ", argv)));
	}

	/**
	 * The terminal of an interactive exec or of the console: the operation's data and control WebSockets; the exit
	 * status is the operation's {@code metadata.return} (0 for a console).
	 */
	private CompletableFuture<TerminalSession> terminal(String name, String op, String path, JsonObject body,
			IncusTerminal t) {
		return call(op, name, "POST", path, body).thenCompose(answer -> {
			String id = connectExec(answer, new String[]{"control", "0"}, t.control, t.data);
			exitOf(op, name, id, t.exit);
			return CompletableFuture.allOf(t.data.opened, t.control.opened).<TerminalSession>thenApply(v -> t)
					.whenComplete((v, failure) -> {
						if (failure != null) {
							t.close();
						}
					});
		});
	}

	/** An exec's recorded output, then removed from the instance's logs. */
	private CompletableFuture<byte[]> log(String path) {
		if (path == null) {
			return CompletableFuture.completedFuture(new byte[0]);
		}
		return raw("GET", path).thenCompose(bytes -> raw("DELETE", path).handle((v, e) -> bytes));
	}

	/** The sentence of {@link #namespacesFixed}. */
	static final String NAMESPACES_FIXED = "Incus gives an instance its namespaces and id maps from its"
			+ " configuration (security.privileged, security.idmap.*): they are shown as it says, and change there"
			+ " (incus config set), not here.";

	@Override
	public Optional<String> namespacesFixed(String name) {
		return Optional.of(NAMESPACES_FIXED);
	}

	/** Keeps what a state just read says of a running instance's use, for {@link #memoryInUse} and {@link #usage}. */
	private void loaded(ContainerSnapshot s, JsonObject state) {
		if (state != null && s.isActive()) {
			loadedUsage.put(s.name(), IncusJson.usage(state, s.spec().limits(), Instant.now()));
		} else {
			loadedUsage.remove(s.name());
		}
	}

	/**
	 * The memory in the state read with the list or an instance's last change when that is at most
	 * {@link #LOADED_FRESH} old (a listing right after connecting asks the server for no state a second time); else
	 * read now.
	 */
	@Override
	public CompletableFuture<Long> memoryInUse(String name) {
		Usage u = recentUsage(name, LOADED_FRESH);
		if (u != null) {
			return CompletableFuture.completedFuture(u.memoryBytes());
		}
		return usage(name).handle((x, failure) -> x == null ? null : x.memoryBytes());
	}

	/** The last state read of {@code name} when it is at most {@code age} old; else null. */
	private Usage recentUsage(String name, Duration age) {
		Usage u = loadedUsage.get(name);
		return u != null && u.at() != null && Duration.between(u.at(), Instant.now()).compareTo(age) <= 0 ? u : null;
	}

	/**
	 * In a console ({@link #open}, once it monitors): the last state read when it is recent enough for the sampling
	 * (at most the background interval and one interval old), so that the console's table and its graphs share the
	 * reads; each costs incusd about 100 ms of CPU (its own and the network probe it forks: 10 reads, 0.99 s). Else,
	 * and elsewhere, read now.
	 */
	@Override
	public CompletableFuture<Usage> usage(String name) {
		PolledMonitoring m = console ? monitoring : null;
		Usage u = m == null ? null : recentUsage(name, m.backgroundInterval().plus(m.interval()));
		return u != null ? CompletableFuture.completedFuture(u) : readUsage(name);
	}

	/** An instance's usage from its state endpoint, now; kept for {@link #usage} and {@link #memoryInUse}. */
	private CompletableFuture<Usage> readUsage(String name) {
		Limits limits = get(name).map(s -> s.spec().limits()).orElse(Limits.NONE);
		return call("usage", name, "GET", instance(name) + "/state", null).thenApply(answer -> {
			Usage u = IncusJson.usage(IncusJson.metadata(answer).getAsJsonObject(), limits, Instant.now());
			loadedUsage.put(name, u);
			return u;
		});
	}

	@Override
	public CompletableFuture<List<SnapshotInfo>> snapshots(String name) {
		return call("snapshots", name, "GET", instance(name) + "/snapshots?recursion=1", null).thenApply(answer -> {
			List<SnapshotInfo> list = new ArrayList<>();
			for (JsonElement e : IncusJson.metadata(answer).getAsJsonArray()) {
				list.add(snapshotInfo(name, e.getAsJsonObject()));
			}
			list.sort(java.util.Comparator.comparing(SnapshotInfo::created));
			return list;
		});
	}

	/**
	 * One snapshot of Incus's as Berth's: its name, when it was taken, its size as Incus tells it, and the spec of the
	 * snapshot's own config.
	 */
	private static SnapshotInfo snapshotInfo(String container, JsonObject o) {
		String full = IncusJson.string(o, "name");
		String snap = full.substring(full.lastIndexOf('/') + 1);
		Instant created = IncusJson.instant(IncusJson.string(o, "created_at"));
		JsonObject asInstance = o.deepCopy();
		asInstance.addProperty("name", container);
		asInstance.addProperty("status", "Stopped");
		return new SnapshotInfo(container, snap, created == null ? Instant.EPOCH : created, IncusJson.number(o,
				"size"), false, IncusJson.snapshot(asInstance, null).spec());
	}

	/** A snapshot of the instance's files (not its memory); {@code snapshot} null: the first free "snapN". */
	@Override
	public CompletableFuture<SnapshotInfo> createSnapshot(String name, String snapshot) {
		CompletableFuture<String> named = snapshot != null ? CompletableFuture.completedFuture(snapshot)
				: snapshots(name).thenApply(list -> {
					Set<String> taken = new HashSet<>();
					list.forEach(i -> taken.add(i.name()));
					int n = 0;
					while (taken.contains("snap" + n)) {
						n++;
					}
					return "snap" + n;
				});
		return named.thenCompose(snap -> {
			JsonObject body = new JsonObject();
			body.addProperty("name", snap);
			body.addProperty("stateful", false);
			return call("snapshot", name, "POST", instance(name) + "/snapshots", body)
					.thenCompose(answer -> operation("snapshot", name, answer))
					.thenCompose(done -> call("snapshot", name, "GET", instance(name) + "/snapshots/" + encode(snap),
							null))
					.thenApply(answer -> snapshotInfo(name, IncusJson.metadata(answer).getAsJsonObject()))
					// Incus freezes a running instance while it copies its files: the cache shows it thawed again
					.thenCompose(info -> refresh(name).thenApply(now -> info));
		});
	}

	@Override
	public CompletableFuture<ContainerSnapshot> restoreSnapshot(String name, String snapshot) {
		JsonObject body = new JsonObject();
		body.addProperty("restore", snapshot);
		return call("restore", name, "PUT", instance(name), body)
				.thenCompose(answer -> operation("restore", name, answer))
				.thenCompose(done -> present(name));
	}

	@Override
	public CompletableFuture<Void> deleteSnapshot(String name, String snapshot) {
		return call("delete-snapshot", name, "DELETE", instance(name) + "/snapshots/" + encode(snapshot), null)
				.thenCompose(answer -> operation("delete-snapshot", name, answer))
				.thenApply(done -> null);
	}

	@Override
	public CompletableFuture<ContainerSnapshot> createFromSnapshot(String name, String snapshot, String newName) {
		if (get(newName).isPresent()) {
			return CompletableFuture.failedFuture(new ContainerExistsException("clone", newName));
		}
		JsonObject body = new JsonObject();
		body.addProperty("name", newName);
		JsonObject from = new JsonObject();
		from.addProperty("type", "copy");
		from.addProperty("source", name + "/" + snapshot);
		body.add("source", from);
		return call("clone", name, "POST", API + "/instances", body)
				.thenCompose(answer -> operation("clone", newName, answer))
				.thenCompose(done -> present(newName));
	}

	@Override
	public CompletableFuture<List<AuditTrail.Entry>> auditTrail(String container, String user, int limit) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("an Incus server keeps no Berth"
				+ " audit trail; its own log of changes is `incus monitor --type lifecycle` there"));
	}

	@Override
	public List<String> limitations() {
		List<String> l = new ArrayList<>();
		String p = problem;
		if (p != null) {
			l.add(p);
		}
		l.add("Incus decides an instance's namespaces, id maps, capabilities, system call filter and network (shown as"
				+ " its configuration says; Berth cannot change them); limits are memory, CPUs and processes; checkpoints, migration, files, images,"
				+ " exports, snapshot schedules, debug shells and the console's log are not available through it.");
		return List.copyOf(l);
	}

	@Override
	public String connection() {
		return "Incus" + (serverVersion.isEmpty() ? "" : " " + serverVersion) + " at " + endpoint.describe()
				+ (problem == null ? "" : " (reconnecting)");
	}

	@Override
	public boolean isConnected() {
		return problem == null;
	}

	/**
	 * Usage histories made by asking each running instance's state (the watched ones every second, the others every
	 * ten): made at the first call (a console's graphs), none for a command that never asks. The server's CPUs, for
	 * "% of host", come from {@code /1.0/resources} once.
	 */
	@Override
	public synchronized Optional<Monitoring> monitoring() {
		if (monitoring == null && !closed) {
			call("resources", null, "GET", API + "/resources", null).thenAccept(answer -> serverCpus = (int) IncusJson
					.number(IncusJson.object(IncusJson.metadata(answer).getAsJsonObject(), "cpu"), "total"));
			monitoring = new PolledMonitoring(this::list, this::readUsage, () -> serverCpus,
					PolledMonitoring.DEFAULT_INTERVAL, Tier.DEFAULTS).start();
			if (console) {
				// a console watches what it charts; the instances it does not are sampled every 10 s, also while it
				// charts none (a command such as berth top samples every instance at its interval)
				monitoring.watch(List.of()); // never closed: it ends with the monitoring
			}
		}
		return Optional.ofNullable(monitoring);
	}

	@Override
	public void close() {
		closed = true;
		synchronized (this) {
			if (monitoring != null) {
				monitoring.close();
			}
		}
		CoreSession s = events;
		if (s != null) {
			s.close(CloseStatus.NORMAL, "closing", Callback.NOOP);
		}
		worker.shutdownNow();
		// what the worker will not do now: its callers hear so instead of waiting for ever
		for (CompletableFuture<ContainerSnapshot> f : List.copyOf(pending)) {
			f.completeExceptionally(new BerthException("close", endpoint.describe(), "The Incus engine was closed."));
		}
		try {
			WebSocketCoreClient w;
			synchronized (this) {
				w = ws;
				ws = null;
			}
			if (w != null) {
				w.stop();
			}
			http.stop();
		} catch (Exception e) {
			// stopping a client: nothing left to do about it
		}
	}

	// ---- HTTP --------------------------------------------------------------------------------------------------

	/**
	 * A background operation to its end ({@code /1.0/operations/ID/wait}, asked again while it runs); completes with
	 * the operation's JSON, or fails with Incus's sentence. A synchronous answer completes at once with its metadata.
	 */
	CompletableFuture<JsonObject> operation(String op, String target, JsonObject answer) {
		if (!"async".equals(IncusJson.string(answer, "type"))) {
			JsonElement m = IncusJson.metadata(answer);
			return CompletableFuture.completedFuture(m.isJsonObject() ? m.getAsJsonObject() : new JsonObject());
		}
		return waitFor(op, target, IncusJson.operationId(answer));
	}

	private CompletableFuture<JsonObject> waitFor(String op, String target, String id) {
		return call(op, target, "GET", API + "/operations/" + encode(id) + "/wait?timeout=" + WAIT_SECONDS, null)
				.exceptionallyCompose(failure -> IncusJson.waitTimedOut(unwrap(failure)) ? CompletableFuture
						.completedFuture(null) : CompletableFuture.failedFuture(failure))
				.thenCompose(answer -> {
					JsonElement e = answer == null ? null : IncusJson.metadata(answer);
					if (e == null || !e.isJsonObject()) {
						return waitFor(op, target, id); // the wait's time is up: the operation still runs
					}
					JsonObject m = e.getAsJsonObject();
					String status = IncusJson.string(m, "status");
					if ("Running".equals(status) || "Pending".equals(status)) {
						return waitFor(op, target, id);
					}
					if (!"Success".equals(status)) {
						String err = IncusJson.string(m, "err");
						return CompletableFuture.failedFuture(new IncusException(op, target, 0, err == null || err
								.isBlank() ? "The Incus operation ended as " + status : err));
					}
					return CompletableFuture.completedFuture(m);
				});
	}

	/** One request with a JSON body (null: none); the answer's envelope, or Incus's error as an exception. */
	CompletableFuture<JsonObject> call(String op, String target, String method, String path, JsonElement body) {
		CompletableFuture<JsonObject> result = new CompletableFuture<>();
		Request request = http.newRequest(URI.create(base + path)).method(method).timeout(WAIT_SECONDS * 2L,
				TimeUnit.SECONDS);
		if (body != null) {
			request.body(new StringRequestContent("application/json", body.toString()));
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
				if (status / 100 != 2) {
					result.completeExceptionally(error(op, target, path, status, text));
					return;
				}
				try {
					result.complete(IncusJson.parse(text));
				} catch (RuntimeException e) {
					result.completeExceptionally(new IncusException(op, target, status, "The Incus server's answer"
							+ " to " + method + " " + path + " is not JSON: " + e.getMessage()));
				}
			}
		});
		return result;
	}

	/** One request whose answer is not JSON (an exec's recorded output); its bytes. */
	private CompletableFuture<byte[]> raw(String method, String path) {
		CompletableFuture<byte[]> result = new CompletableFuture<>();
		http.newRequest(URI.create(base + path)).method(method).timeout(WAIT_SECONDS * 2L, TimeUnit.SECONDS).send(
				new BufferingResponseListener(64 << 20) {
					@Override
					public void onComplete(Result r) {
						if (r.isFailed()) {
							result.completeExceptionally(failure(r.getFailure()));
						} else if (r.getResponse().getStatus() / 100 != 2) {
							result.completeExceptionally(error("exec", null, path, r.getResponse().getStatus(),
									getContentAsString(StandardCharsets.UTF_8)));
						} else {
							byte[] b = getContent();
							result.complete(b == null ? new byte[0] : b);
						}
					}
				});
		return result;
	}

	/**
	 * Incus's error answer as Berth's exception, with Incus's sentence: a 404 about an instance is
	 * {@link NoSuchContainerException}, anything else an {@link IncusException}.
	 */
	static BerthException error(String op, String target, String path, int status, String text) {
		String sentence = IncusJson.errorSentence(text);
		if (status == 404 && target != null && path.startsWith(instance(target))) {
			return new NoSuchContainerException(op, target);
		}
		if (sentence == null) {
			sentence = "The Incus server answered " + status + " to " + path + " without a reason.";
		}
		return new IncusException(op, target, status, sentence);
	}

	/** Any failure as Berth's exception: a certificate other than the pinned one says so, else what failed. */
	BerthException failure(Throwable t) {
		Throwable c = unwrap(t);
		String seen = presented.get();
		if (!endpoint.isUnix() && seen != null && !seen.equals(endpoint.serverFingerprint())) {
			return new CertificateMismatchException(endpoint.describe(), endpoint.serverFingerprint(), seen);
		}
		if (c instanceof BerthException b) {
			return b;
		}
		if (c instanceof java.util.concurrent.TimeoutException) {
			return new BerthException("connect", endpoint.describe(), "The Incus server at " + endpoint.describe()
					+ " did not answer in time.", c);
		}
		String reason = c.getMessage() == null ? c.toString() : c.getMessage();
		return new BerthException("connect", endpoint.describe(), "The Incus server at " + endpoint.describe()
				+ " does not answer (" + reason + ").", c);
	}

	static Throwable unwrap(Throwable t) {
		Throwable c = t;
		while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
			c = c.getCause();
		}
		return c;
	}
}
