package org.berth.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ListResourceBundle;
import java.util.Set;

import org.berth.core.BerthException;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.IdMap;
import org.berth.core.Limits;
import org.berth.core.NamespaceSpec;
import org.berth.core.NetworkSpec;
import org.berth.core.NoSuchContainerException;
import org.berth.core.Problem;
import org.berth.core.SpecValidator;
import org.berth.core.ContainerEngine;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth set NAME --memory 512M --ns net=new ...}: changes only what is given, keeping the rest of the
 * container's spec. Limits reach a running or frozen container at once ({@code setLimits}), a stopped one from its
 * next start; namespaces, id maps and the network are saved and apply from the next start ({@code update}), as in
 * the console's editor. Only new errors refuse the change: a problem the spec already had does not block a limit.
 */
@Command(name = "set", sortOptions = false, resourceBundle = "org.berth.cli.SetCommand$Words",
		description = "Change the limits of a container (at once when it runs, else from its next start), its"
				+ " namespaces or its network (from its next start). Only what is given changes; \"none\" lifts a"
				+ " limit.",
		footer = {"", "Examples:", "  berth set c1 --memory 512M --cpus none",
				"  berth set c1 --ns net=new --network veth --address 10.88.0.7/24"})
final class SetCommand extends BaseCommand {

	@Parameters(index = "0", paramLabel = "NAME", description = "The container.")
	String name;

	@Mixin
	LimitOptions limits;

	@Mixin
	NamespaceOptions namespaces;

	@Mixin
	NetworkOptions network;

	@Option(names = "--description", paramLabel = "TEXT", description = "What it is for, in a line (\"\" for none).")
	String description;

	@Option(names = "--autostart", arity = "1", paramLabel = "yes|no", converter = Converters.YesNo.class,
			description = "Start it when the engine (the agent) starts, or not.")
	Boolean autostart;

	@Option(names = "--boot-order", paramLabel = "N", description = "Among those started at boot, lower first"
			+ " (default 0).")
	Integer bootOrder;

	@Option(names = "--boot-delay", paramLabel = "SEC", description = "After starting it at boot, wait this"
			+ " long before the next (0..3600).")
	Integer bootDelay;

	@Option(names = "--tag", paramLabel = "TAG", description = "Add a tag; repeatable.")
	List<String> tag = new ArrayList<>();

	@Option(names = "--untag", paramLabel = "TAG", description = "Remove a tag; repeatable.")
	List<String> untag = new ArrayList<>();

	SetCommand(Context ctx) {
		super(ctx);
	}

	@Override
	public Integer call() throws BerthException {
		boolean limitsGiven = limits.given();
		NetworkSpec net;
		try {
			namespaces.check();
			net = network.spec();
		} catch (IllegalArgumentException e) {
			throw usage(e.getMessage());
		}
		boolean wordsGiven = description != null || !tag.isEmpty() || !untag.isEmpty() || autostart != null
				|| bootOrder != null || bootDelay != null;
		boolean specGiven = namespaces.given() || net != null || wordsGiven;
		if (!limitsGiven && !specGiven) {
			throw usage("say what to change, e.g. berth set " + name + " --memory 512M, --ns net=new or --tag web");
		}
		ContainerEngine engine = ctx.engine();
		ContainerSnapshot s = engine.get(name).orElseThrow(() -> new NoSuchContainerException("set", name));
		Limits newLimits = limits.applyTo(s.spec().limits());
		ContainerSpec.Builder b = s.spec().toBuilder();
		namespaces.applyTo(b);
		if (net != null) {
			b.network(net);
		}
		if (description != null) {
			b.description(description);
		}
		if (autostart != null) {
			b.autostart(autostart);
		}
		if (bootOrder != null) {
			b.bootOrder(bootOrder);
		}
		if (bootDelay != null) {
			b.bootDelaySeconds(bootDelay);
		}
		if (!tag.isEmpty() || !untag.isEmpty()) {
			java.util.TreeSet<String> tags = new java.util.TreeSet<>(s.spec().tags());
			tag.forEach(t -> tags.add(t.trim().toLowerCase(java.util.Locale.ROOT)));
			untag.forEach(t -> tags.remove(t.trim().toLowerCase(java.util.Locale.ROOT)));
			b.tags(List.copyOf(tags));
		}
		ContainerSpec wanted = b.build().withLimits(newLimits);
		// only what this change breaks: a problem the spec had already does not block it
		Set<String> had = new HashSet<>(SpecValidator.errors(SpecValidator.validate(s.spec(),
				engine.validationContext())).stream().map(Problem::message).toList());
		List<Problem> errors = SpecValidator.errors(SpecValidator.validate(wanted, engine.validationContext()))
				.stream().filter(p -> !had.contains(p.message())).toList();
		if (!errors.isEmpty()) {
			errors.forEach(p -> ctx.error(p.message()));
			return refusal(errors);
		}
		boolean live = s.isActive();
		ContainerSnapshot after = live && limitsGiven ? Context.await(engine.setLimits(name, newLimits)) : s;
		if (specGiven || !live) {
			after = Context.await(engine.update(wanted)); // the limits too, for a stopped container
		}
		if (limitsGiven) {
			ctx.out.println(name + ": " + Formats.limits(after.spec().limits())
					+ (live ? "" : " (from its next start)"));
		}
		if (namespaces.given() || net != null) {
			ctx.out.println(name + ": " + choices(after.spec()) + " (from its next start)");
		}
		if (wordsGiven) {
			ctx.out.println(name + ": " + (after.spec().description().isEmpty() ? "no description"
					: "\"" + after.spec().description() + "\"") + ", "
					+ (after.spec().tags().isEmpty() ? "no tags"
							: "tags " + String.join(", ", after.spec().tags())));
		}
		return 0;
	}

	/** The exit code for refused settings: a share cycle is a choice of options that cannot work (2), else 1. */
	static int refusal(List<Problem> errors) {
		return errors.stream().anyMatch(SpecValidator::isShareCycle) ? Context.USAGE : Context.FAILURE;
	}

	/** The namespaces and the network that were given, as they are now in the spec: "net=new, network veth". */
	private String choices(ContainerSpec spec) {
		List<String> parts = new ArrayList<>();
		for (NamespaceSpec ns : namespaces.choices) {
			parts.add(spec.namespace(ns.type()).toCli());
		}
		if (!namespaces.uidMaps.isEmpty()) {
			parts.add("uid map " + String.join(", ", spec.uidMaps().stream().map(IdMap::toCli).toList()));
		}
		if (!namespaces.gidMaps.isEmpty()) {
			parts.add("gid map " + String.join(", ", spec.gidMaps().stream().map(IdMap::toCli).toList()));
		}
		NetworkSpec n = spec.network();
		if (network.given()) {
			parts.add("network " + n.mode().cli() + (n.bridge() == null ? "" : " on " + n.bridge())
					+ (n.address() == null ? "" : " " + n.address()));
		}
		return String.join(", ", parts);
	}

	/**
	 * How set words the options it shares with create, where create's words do not fit: "none" lifts a limit, and
	 * nothing is a default. picocli takes an option's description from here by the option's name, in place of the
	 * mixin's, and {@link LimitOptions}' "|none" by its key.
	 */
	public static final class Words extends ListResourceBundle {
		@Override
		protected Object[][] getContents() {
			return new Object[][]{
					{"or-none", "|none"},
					{"memory", "Memory limit, e.g. 512M."},
					{"memory-swap", "Memory and swap together."},
					{"cpu-weight", "Relative CPU weight, 1 to 10000."},
					{"uidmap", "The uid map of a new user namespace (all of it); repeatable."},
					{"gidmap", "The gid map of a new user namespace (all of it); repeatable."},
					{"network", "No network, the host's, or a veth on a bridge."},
					{"address", "The address of a veth network, e.g. 10.88.0.5/24."}};
		}
	}
}
