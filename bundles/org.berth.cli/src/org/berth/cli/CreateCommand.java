package org.berth.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.berth.core.BerthException;
import org.berth.core.ContainerKind;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.Limits;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceType;
import org.berth.core.NetworkSpec;
import org.berth.core.Problem;
import org.berth.core.ShellWords;
import org.berth.core.SpecValidator;
import org.berth.core.ContainerEngine;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth create}: the syntax of {@link org.berth.core.CommandLines}, so that what {@code berth config} prints
 * creates the same container again; plus {@code --init "CMD ARGS"}, {@code --start} and the aliases {@code --net}
 * and {@code --drop-cap}.
 */
@Command(name = "create", sortOptions = false, description = "Define a new container (and start it with --start).",
		footer = {"", "Examples:", "  berth create c1 --memory 256M --cpus 0.5 --network veth --start",
				"  berth create app1 --kind application --ns net=share:c1 -- /bin/httpd -f -p 8080",
				"  berth create c2 --uidmap \"0 1048576 65536\" --gidmap \"0 1048576 65536\"",
				"  berth create legacy --privileged"})
final class CreateCommand extends BaseCommand {

	@Parameters(index = "0", paramLabel = "NAME", description = "The container's name, also its hostname.")
	String name;

	@Parameters(index = "1..*", paramLabel = "INIT", description = "After --: the init command (system) or the"
			+ " program (application) with its arguments.")
	List<String> initArgs;

	@Option(names = "--kind", paramLabel = "system|application", converter = Converters.Kind.class,
			description = "A whole system (default) or one program.")
	ContainerKind kind;

	@Option(names = "--template", paramLabel = "T", description = "Make the root file system from this template"
			+ " (default busybox).")
	String template;

	@Option(names = "--rootfs", paramLabel = "DIR", description = "Use this directory as the root file system.")
	String rootfs;

	@Option(names = "--privileged", description = "Keep the host's user namespace: root inside is root on the host"
			+ " (without the dropped capabilities). By default a container gets a user namespace of its own and a"
			+ " block of 65536 host ids, so its root is nobody on the host.")
	boolean privileged;

	@Mixin
	NamespaceOptions namespaces;

	@Option(names = "--monotonic-offset", paramLabel = "SECONDS", converter = Converters.Seconds.class,
			description = "Offset of CLOCK_MONOTONIC in a new time namespace.")
	long monotonicOffset;

	@Option(names = "--boottime-offset", paramLabel = "SECONDS", converter = Converters.Seconds.class,
			description = "Offset of CLOCK_BOOTTIME in a new time namespace.")
	long boottimeOffset;

	@Mixin
	LimitOptions limits;

	@Mixin
	NetworkOptions network;

	@Option(names = {"--cap-drop", "--drop-cap"}, paramLabel = "CAP", converter = Converters.Cap.class,
			description = "Drop a capability besides the default ones; repeatable.")
	List<String> capDrop = new ArrayList<>();

	@Option(names = "--cap-keep", paramLabel = "CAP", converter = Converters.Cap.class,
			description = "Keep one of the capabilities dropped by default ("
					+ "CAP_MAC_ADMIN, CAP_MAC_OVERRIDE, CAP_SYS_MODULE, CAP_SYS_RAWIO, CAP_SYS_TIME); repeatable.")
	List<String> capKeep = new ArrayList<>();

	@Option(names = "--halt-signal", paramLabel = "SIG", description = "The signal that asks init to shut down"
			+ " (default SIGUSR2, busybox; systemd: SIGRTMIN+3).")
	String haltSignal;

	@Option(names = "--seccomp", paramLabel = "default|unconfined|FILE", description = "The system call filter:"
			+ " default (deny kexec, modules, open_by_handle_at, the clock, keyrings, bpf, ...), unconfined (none),"
			+ " or a profile file (one system call per line, '#' comments, optional 'errno N').")
	String seccomp;

	@Option(names = "--autostart", description = "Start it when the engine starts.")
	boolean autostart;

	@Option(names = "--boot-order", paramLabel = "N", description = "With --autostart: lower starts first (default 0),"
			+ " after the containers whose namespaces it shares.")
	int bootOrder;

	@Option(names = "--boot-delay", paramLabel = "SEC", description = "With --autostart: wait this long after"
			+ " starting it before starting the next (0..3600).")
	int bootDelay;

	@Option(names = "--init", paramLabel = "\"CMD ARGS\"", description = "The init command as one string, split"
			+ " as a shell would (instead of -- CMD ARGS).")
	String initLine;

	@Option(names = "--start", description = "Start it once it is created.")
	boolean start;

	@Option(names = "--description", paramLabel = "TEXT", description = "What it is for, in a line.")
	String description;

	@Option(names = "--tag", paramLabel = "TAG", description = "A word to find it by (berth list --tag);"
			+ " repeatable.")
	List<String> tags;

	@Option(names = "--image", paramLabel = "ALIAS", description = "Make the root file system a copy of this image"
			+ " (berth image list); the container behaves as one of the image's base template.")
	String image;

	@Option(names = "--from", paramLabel = "NAME/SNAP", description = "Make it from a snapshot: its root file"
			+ " system and spec (change the spec afterwards with berth set).")
	String from;

	/** How long a create may be silent before it says what takes the time (tests shorten it). */
	static volatile Duration progressAfter = Duration.ofSeconds(2);

	CreateCommand(Context ctx) {
		super(ctx);
	}

	@Override
	public Integer call() throws BerthException {
		if (from != null) {
			return fromSnapshot();
		}
		if (image != null) {
			return fromImage();
		}
		ContainerSpec spec = containerSpec();
		ContainerEngine engine = ctx.engine();
		List<Problem> problems = SpecValidator.validate(spec, engine.validationContext());
		if (SpecValidator.hasErrors(problems)) {
			SpecValidator.errors(problems).forEach(p -> ctx.error(p.message()));
			return SetCommand.refusal(SpecValidator.errors(problems));
		}
		problems.forEach(p -> ctx.error("warning: " + p.message()));
		CompletableFuture<ContainerSnapshot> defined = engine.define(spec);
		if (spec.rootfs() == null && !done(defined, progressAfter)) {
			// a template that downloads (debian: debootstrap the first time) takes minutes: say so, once
			ctx.err.println(spec.name() + ": making its root file system from the \"" + spec.template()
					+ "\" template; the first time a template downloads, this takes minutes…");
			ctx.err.flush();
		}
		Context.await(defined);
		ctx.out.println(spec.name() + ": created");
		if (start) {
			ContainerSnapshot s = Context.await(engine.start(spec.name()));
			ctx.out.println(spec.name() + ": " + Formats.state(s));
		}
		return 0;
	}

	/** {@code --image ALIAS}: the spec as given, on a copy of the image's files. */
	private Integer fromImage() throws BerthException {
		if (template != null || rootfs != null) {
			throw usage("--image cannot be given with --template or --rootfs: the image is the root file system");
		}
		ContainerSpec spec = containerSpec();
		Context.await(ctx.engine().createFromImage(spec, image));
		ctx.out.println(spec.name() + ": created from image " + image);
		if (start) {
			ContainerSnapshot s = Context.await(ctx.engine().start(spec.name()));
			ctx.out.println(spec.name() + ": " + Formats.state(s));
		}
		return 0;
	}

	/** {@code --from NAME/SNAP}: the snapshot's spec as it is, under the new name. */
	private int fromSnapshot() throws BerthException {
		int slash = from.indexOf('/');
		if (slash <= 0 || slash == from.length() - 1) {
			throw usage("--from: \"" + from + "\" names no snapshot; give NAME/SNAP, e.g. c1/snap0");
		}
		for (var option : spec.commandLine().getParseResult().matchedOptions()) {
			String o = option.longestName();
			if (!o.equals("--from") && !o.equals("--start")) {
				throw usage(o + " cannot be given with --from, which takes the snapshot's spec; change it afterwards"
						+ " with berth set");
			}
		}
		if (initArgs != null && !initArgs.isEmpty()) {
			throw usage("an init command cannot be given with --from, which takes the snapshot's spec");
		}
		ContainerEngine engine = ctx.engine();
		Context.await(engine.createFromSnapshot(from.substring(0, slash), from.substring(slash + 1), name));
		ctx.out.println(name + ": created from " + from);
		if (start) {
			ContainerSnapshot s = Context.await(engine.start(name));
			ctx.out.println(name + ": " + Formats.state(s));
		}
		return 0;
	}

	/** Whether {@code f} completes (either way) within {@code wait}. */
	static boolean done(CompletableFuture<?> f, Duration wait) {
		try {
			f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		} catch (TimeoutException e) {
			return false;
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return true;
		} catch (ExecutionException | CancellationException e) {
			return true;
		}
	}

	/** The spec the command line describes (not validated). */
	ContainerSpec containerSpec() {
		ContainerSpec.Builder b = ContainerSpec.builder(name).kind(kind).template(template)
				.rootfs(absolute(rootfs, "--rootfs"));
		try {
			namespaces.applyTo(b);
			if (privileged) {
				if (namespaces.choices.stream().anyMatch(ns -> ns.type() == NamespaceType.USER)
						|| !namespaces.uidMaps.isEmpty() || !namespaces.gidMaps.isEmpty()) {
					throw new IllegalArgumentException("--privileged keeps the host's user namespace; --ns user=…,"
							+ " --uidmap and --gidmap contradict it: give one or the other");
				}
				b.namespace(NamespaceType.USER, NamespaceMode.HOST);
			}
			NetworkSpec net = network.spec();
			b.network(net == null ? NetworkSpec.NONE : net);
		} catch (IllegalArgumentException e) {
			throw usage(e.getMessage());
		}
		b.monotonicOffsetSeconds(monotonicOffset).boottimeOffsetSeconds(boottimeOffset);
		b.limits(limits.applyTo(Limits.NONE));
		b.dropCapabilities(capabilities());
		b.haltSignal(haltSignal).autostart(autostart).description(description).tags(tags).bootOrder(bootOrder)
				.bootDelaySeconds(bootDelay);
		b.seccomp(seccomp == null || seccomp.equals(ContainerSpec.SECCOMP_DEFAULT)
				|| seccomp.equals(ContainerSpec.SECCOMP_UNCONFINED) ? seccomp : absolute(seccomp, "--seccomp"));
		b.init(init());
		return b.build();
	}

	private Set<String> capabilities() {
		Set<String> caps = new TreeSet<>(ContainerSpec.DEFAULT_DROPPED_CAPABILITIES);
		for (String c : capKeep) {
			if (capDrop.contains(c)) {
				throw usage("--cap-drop " + c + " and --cap-keep " + c + " contradict each other; give one of them");
			}
			caps.remove(c);
		}
		caps.addAll(capDrop);
		return caps;
	}

	private List<String> init() {
		boolean afterDashes = initArgs != null && !initArgs.isEmpty();
		if (afterDashes && !spec.commandLine().getParseResult().originalArgs().contains("--")) {
			throw usage("unexpected argument \"" + initArgs.get(0) + "\"; berth create takes one name, and the init"
					+ " command goes after --, e.g. berth create " + name + " -- /sbin/init");
		}
		if (initLine != null) {
			if (afterDashes) {
				throw usage("the init command is given twice, with --init and after --; give it once");
			}
			try {
				return ShellWords.split(initLine);
			} catch (IllegalArgumentException e) {
				throw usage("--init: " + e.getMessage());
			}
		}
		return afterDashes ? initArgs : null;
	}

	/** A relative path (of the root file system, of a seccomp profile) is taken from the current directory. */
	private String absolute(String dir, String option) {
		if (dir == null || dir.isBlank() || dir.startsWith("/")) {
			return dir;
		}
		try {
			return Path.of(dir).toAbsolutePath().normalize().toString();
		} catch (InvalidPathException e) {
			throw usage(option + ": \"" + dir + "\" is not a path");
		}
	}
}
