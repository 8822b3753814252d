package org.berth.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a {@link ContainerSpec} and says in sentences what is wrong (errors) or risky (warnings), in the style of
 * runc's validator. Pure: what it needs to know about other containers comes from a {@link ValidationContext}.
 * Each check is a small method returning its sentences.
 */
public final class SpecValidator {

	/** What the validator needs to know about the engine: other containers and templates. */
	public interface ValidationContext {
		/** Whether a container of this name is defined. */
		default boolean exists(String name) {
			return kindOf(name).isPresent();
		}

		/** The kind of the container of this name, empty when there is none. */
		Optional<ContainerKind> kindOf(String name);

		/** The names of the templates the engine can make a root file system from. */
		Set<String> templates();

		/** Whether the container of this name is running (its namespaces can be joined). */
		boolean isRunning(String name);

		/**
		 * The spec of the container of this name, for the checks that look at what other containers share (a share
		 * cycle); empty when there is none or the engine does not say.
		 */
		default Optional<ContainerSpec> specOf(String name) {
			return Optional.empty();
		}

		/** How many CPUs the engine's host has, to bound a CPU limit; 0 when it is not known. */
		default int hostCpus() {
			return 0;
		}

		/**
		 * A fixed context, e.g. for tests or a remote engine's cache.
		 *
		 * @param containers the defined containers and their kinds
		 * @param running    the names of the running ones
		 * @param templates  the template names
		 */
		static ValidationContext of(Map<String, ContainerKind> containers, Set<String> running, Set<String> templates) {
			Map<String, ContainerKind> c = Map.copyOf(containers);
			Set<String> r = Set.copyOf(running);
			Set<String> t = Set.copyOf(templates);
			return new ValidationContext() {
				@Override
				public Optional<ContainerKind> kindOf(String name) {
					return Optional.ofNullable(name == null ? null : c.get(name));
				}

				@Override
				public Set<String> templates() {
					return t;
				}

				@Override
				public boolean isRunning(String name) {
					return r.contains(name);
				}
			};
		}

		/**
		 * A fixed context that knows the other containers' specs (so share cycles are found) and the host's CPUs.
		 *
		 * @param specs     the defined containers
		 * @param running   the names of the running ones
		 * @param templates the template names
		 * @param hostCpus  the host's CPUs, 0 when not known
		 */
		static ValidationContext ofSpecs(Collection<ContainerSpec> specs, Set<String> running, Set<String> templates,
				int hostCpus) {
			Map<String, ContainerSpec> byName = new HashMap<>();
			specs.forEach(s -> byName.put(s.name(), s));
			Map<String, ContainerSpec> c = Map.copyOf(byName);
			Set<String> r = Set.copyOf(running);
			Set<String> t = Set.copyOf(templates);
			return new ValidationContext() {
				@Override
				public Optional<ContainerKind> kindOf(String name) {
					return specOf(name).map(ContainerSpec::kind);
				}

				@Override
				public Optional<ContainerSpec> specOf(String name) {
					return Optional.ofNullable(name == null ? null : c.get(name));
				}

				@Override
				public Set<String> templates() {
					return t;
				}

				@Override
				public boolean isRunning(String name) {
					return r.contains(name);
				}

				@Override
				public int hostCpus() {
					return hostCpus;
				}
			};
		}
	}

	/** Container names: a letter or digit, then up to 63 letters, digits, '.', '_' or '-'. */
	public static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}");

	/** The longest container name. */
	public static final int MAX_NAME_LENGTH = 64;

	private static final int MAX_HOST_LABEL = 63;

	/** The smallest memory limit accepted. */
	public static final long MIN_MEMORY_BYTES = 4 * Sizes.MIB;

	/** The largest number of CPUs accepted. */
	public static final double MAX_CPUS = 1024;

	/** The most lines a uid_map or gid_map may have (Linux 4.15 and later). */
	public static final int MAX_ID_MAP_LINES = 340;

	/** How a valid name looks, for a sentence. */
	public static final String NAME_RULE = "use letters, digits, '.', '_' or '-', starting with a letter or digit,"
			+ " at most 64 characters";
	private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
	private static final Pattern CPUSET = Pattern.compile("[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*");
	private static final Pattern IPV4 = Pattern.compile("([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})");
	private static final Pattern IFNAME = Pattern.compile("[^/\\s:]{1,15}");

	private SpecValidator() {
	}

	/** All problems of {@code spec}, errors and warnings, in a stable order; empty when all is well. */
	public static List<Problem> validate(ContainerSpec spec, ValidationContext ctx) {
		List<Problem> out = new ArrayList<>();
		out.addAll(checkName(spec));
		out.addAll(checkHostname(spec));
		out.addAll(checkTemplate(spec, ctx));
		out.addAll(checkRootfs(spec));
		out.addAll(checkInit(spec));
		out.addAll(NamespaceChecks.checkShares(spec, ctx));
		out.addAll(NamespaceChecks.checkShareCycle(spec, ctx));
		out.addAll(NamespaceChecks.checkUserNamespace(spec));
		out.addAll(NamespaceChecks.checkPidNamespace(spec));
		out.addAll(NamespaceChecks.checkMountNamespace(spec));
		out.addAll(NamespaceChecks.checkUtsNamespace(spec));
		out.addAll(NamespaceChecks.checkTimeOffsets(spec));
		out.addAll(checkNetwork(spec));
		out.addAll(checkLimits(spec.limits()));
		out.addAll(checkHostCpus(spec.limits(), ctx));
		out.addAll(checkCapabilities(spec));
		out.addAll(checkHaltSignal(spec));
		out.addAll(checkDescriptionAndTags(spec));
		out.addAll(checkSeccomp(spec));
		return List.copyOf(out);
	}

	/** Whether any of the problems is an error. */
	public static boolean hasErrors(List<Problem> problems) {
		return problems.stream().anyMatch(Problem::isError);
	}

	/** The errors among the problems. */
	public static List<Problem> errors(List<Problem> problems) {
		return problems.stream().filter(Problem::isError).toList();
	}

	/**
	 * Validates and throws when there is an error (the engine's gate before it acts).
	 *
	 * @return the warnings, if any
	 * @throws InvalidSpecException carrying the errors
	 */
	public static List<Problem> requireValid(ContainerSpec spec, ValidationContext ctx) throws InvalidSpecException {
		List<Problem> problems = validate(spec, ctx);
		if (hasErrors(problems)) {
			throw new InvalidSpecException(spec.name(), errors(problems));
		}
		return problems;
	}

	/** Whether {@code name} is a valid container name. */
	public static boolean isValidName(String name) {
		return name != null && NAME.matcher(name).matches() && !name.equals(".") && !name.equals("..");
	}

	// ---- the checks -------------------------------------------------------------------------------------------

	static List<Problem> checkName(ContainerSpec spec) {
		String name = spec.name();
		if (name.isEmpty()) {
			return List.of(Problem.error("name", "a container needs a name: " + NAME_RULE));
		}
		if (name.length() > MAX_NAME_LENGTH) {
			// the reason first: a long name quoted in full would push it out of sight
			return List.of(Problem.error("name", "the name is " + name.length() + " characters long; a container"
					+ " name has at most " + MAX_NAME_LENGTH));
		}
		if (!isValidName(name)) {
			return List.of(Problem.error("name", Text.quote(name) + " is not a valid container name: " + NAME_RULE));
		}
		return List.of();
	}

	static List<Problem> checkHostname(ContainerSpec spec) {
		String name = spec.name();
		if (!isValidName(name) || spec.mode(NamespaceType.UTS) != NamespaceMode.NEW) {
			return List.of();
		}
		for (String label : name.split("\\.", -1)) {
			if (label.length() > MAX_HOST_LABEL) {
				return List.of(Problem.warning("name", "the hostname will be " + Text.quote(name) + ", which has "
						+ label.length() + " characters; a DNS host name allows at most " + MAX_HOST_LABEL
						+ " between dots,"
						+ " so some programs will reject it"));
			}
			if (!HOST_LABEL.matcher(label).matches()) {
				return List.of(Problem.warning("name", "the hostname will be " + Text.quote(name)
						+ ", which is not a valid DNS host name (letters, digits and '-' between dots);"
						+ " some programs will reject it"));
			}
		}
		return List.of();
	}

	/** A tag: a word of 1-32 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit. */
	public static final java.util.regex.Pattern TAG = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");

	static List<Problem> checkDescriptionAndTags(ContainerSpec spec) {
		List<Problem> out = new ArrayList<>();
		String d = spec.description();
		if (d.length() > 200) {
			out.add(Problem.error("description", "the description has " + d.length()
					+ " characters; a line of at most 200 says what a container is for"));
		} else if (d.chars().anyMatch(Character::isISOControl)) {
			out.add(Problem.error("description", "the description is one line, without tabs or control characters"));
		}
		for (String t : spec.tags()) {
			if (!TAG.matcher(t).matches()) {
				out.add(Problem.error("tags", "tag " + Text.quote(t) + " is not a tag: use 1-32 letters, digits, '.',"
						+ " '_' or '-', starting with a letter or digit"));
			}
		}
		if (spec.bootOrder() < -1000 || spec.bootOrder() > 1000) {
			out.add(Problem.error("bootOrder", "boot order " + spec.bootOrder() + " is outside -1000..1000"));
		}
		if (spec.bootDelaySeconds() < 0 || spec.bootDelaySeconds() > 3600) {
			out.add(Problem.error("bootDelaySeconds", "boot delay " + spec.bootDelaySeconds()
					+ " s is outside 0..3600 seconds"));
		}
		if (spec.tags().size() > 16) {
			out.add(Problem.error("tags", spec.tags().size() + " tags are too many; a container has at most 16"));
		}
		return out;
	}

	static List<Problem> checkTemplate(ContainerSpec spec, ValidationContext ctx) {
		String template = spec.template();
		Set<String> templates = ctx.templates();
		if (template == null || templates.contains(template)) {
			return List.of();
		}
		String available = templates.isEmpty() ? "no templates are installed"
				: "the available templates are " + Text.list(new TreeSet<>(templates), "and");
		return List.of(Problem.error("template", "there is no template " + Text.quote(template) + "; " + available));
	}

	static List<Problem> checkRootfs(ContainerSpec spec) {
		String rootfs = spec.rootfs();
		if (rootfs == null) {
			return List.of();
		}
		if (!rootfs.startsWith("/")) {
			return List.of(Problem.error("rootfs", "rootfs " + Text.quote(rootfs)
					+ " is not an absolute path; use a path such as /var/lib/berth/" + spec.name() + "/rootfs"));
		}
		if (isRootDirectory(rootfs)) {
			return List.of(Problem.error("rootfs", "rootfs " + Text.quote(rootfs)
					+ " is the host's root file system; give the container a directory of its own"));
		}
		return List.of();
	}

	static List<Problem> checkInit(ContainerSpec spec) {
		List<String> init = spec.init();
		if (init == null || init.get(0).startsWith("/")) {
			return List.of();
		}
		String what = spec.kind() == ContainerKind.SYSTEM ? "init" : "program";
		return List.of(Problem.error("init", what + " " + Text.quote(init.get(0))
				+ " is not an absolute path; give its full path inside the container, e.g. "
				+ (spec.kind() == ContainerKind.SYSTEM ? "/sbin/init" : "/bin/sh")));
	}

	/** Whether the problem is a share cycle (the CLI refuses it as a usage error). */
	public static boolean isShareCycle(Problem problem) {
		return NamespaceChecks.isShareCycle(problem);
	}

	static List<Problem> checkNetwork(ContainerSpec spec) {
		List<Problem> out = new ArrayList<>();
		NetworkSpec network = spec.network();
		NamespaceSpec net = spec.namespace(NamespaceType.NET);
		String netField = field(NamespaceType.NET);
		if (network.mode() == NetworkMode.VETH && net.mode() == NamespaceMode.HOST) {
			out.add(Problem.error(netField, "network veth needs a net namespace of its own, but net=host uses the"
					+ " host's network; use net=new, or network none"));
		} else if (network.mode() == NetworkMode.VETH && net.mode() == NamespaceMode.SHARE) {
			out.add(Problem.error(netField, "network veth needs a net namespace of its own, but " + net.toCli()
					+ " joins the network of " + Text.quote(net.shareWith()) + "; use net=new, or network none"));
		} else if (network.mode() == NetworkMode.HOST && net.mode() != NamespaceMode.HOST) {
			out.add(Problem.error(netField, "network host needs net=host, but the container has " + net.toCli()
					+ "; use net=host, or another network mode"));
		}
		if (network.bridge() != null && !isValidInterfaceName(network.bridge())) {
			out.add(Problem.error("network.bridge", "bridge " + Text.quote(network.bridge())
					+ " is not a valid interface name: use at most 15 characters, without spaces, '/' or ':'"));
		}
		if (network.address() != null) {
			String cidrProblem = checkCidr(network.address());
			if (cidrProblem != null) {
				out.add(Problem.error("network.address", cidrProblem));
			}
		}
		return out;
	}

	static List<Problem> checkLimits(Limits limits) {
		List<Problem> out = new ArrayList<>();
		Long memory = limits.memoryBytes();
		if (memory != null && memory < MIN_MEMORY_BYTES) {
			out.add(Problem.error("limits.memoryBytes", "memory limit " + Sizes.formatBytes(memory)
					+ " is too small; a container needs at least " + Sizes.formatBytes(MIN_MEMORY_BYTES)));
		}
		Long swap = limits.memorySwapBytes();
		if (swap != null) {
			if (memory == null) {
				out.add(Problem.error("limits.memorySwapBytes", "a memory+swap limit of " + Sizes.formatBytes(swap)
						+ " needs a memory limit as well; set the memory limit"));
			} else if (swap < memory) {
				out.add(Problem.error("limits.memorySwapBytes", "memory+swap limit " + Sizes.formatBytes(swap)
						+ " is smaller than the memory limit " + Sizes.formatBytes(memory)
						+ "; it counts memory and swap together, so make it at least " + Sizes.formatBytes(memory)));
			}
		}
		Double cpus = limits.cpus();
		if (cpus != null && !(cpus > 0 && cpus <= MAX_CPUS)) {
			out.add(Problem.error("limits.cpus", "cpus " + Text.number(cpus) + " is out of range; use a number of"
					+ " CPUs greater than 0 and at most " + Text.number(MAX_CPUS) + ", e.g. 0.5"));
		}
		Integer weight = limits.cpuWeight();
		if (weight != null && (weight < 1 || weight > 10000)) {
			out.add(Problem.error("limits.cpuWeight", "CPU weight " + weight + " is out of range; use 1 to 10000"
					+ " (100 is the default)"));
		}
		String cpuset = limits.cpuset();
		if (cpuset != null) {
			String problem = checkCpuset(cpuset);
			if (problem != null) {
				out.add(Problem.error("limits.cpuset", problem));
			}
		}
		Long pids = limits.pids();
		if (pids != null && pids < 1) {
			out.add(Problem.error("limits.pids", "pids limit " + pids + " is too small; allow at least 1 process"));
		}
		return out;
	}

	/** A CPU limit above the host's CPUs cannot be used: the container gets at most all of them. */
	static List<Problem> checkHostCpus(Limits limits, ValidationContext ctx) {
		Double cpus = limits.cpus();
		int host = ctx.hostCpus();
		if (cpus == null || host <= 0 || !(cpus > host && cpus <= MAX_CPUS)) {
			return List.of();
		}
		return List.of(Problem.error("limits.cpus", "cpus " + Text.number(cpus) + " is more than the host's "
				+ host + (host == 1 ? " CPU" : " CPUs") + "; use at most " + host));
	}

	static List<Problem> checkCapabilities(ContainerSpec spec) {
		List<Problem> out = new ArrayList<>();
		for (String cap : spec.dropCapabilities()) {
			if (Capability.find(cap).isEmpty()) {
				out.add(Problem.error("dropCapabilities", Capability.unknownMessage(cap)));
			}
		}
		return out;
	}

	static List<Problem> checkHaltSignal(ContainerSpec spec) {
		String signal = spec.haltSignal();
		if (!Signals.isKnown(signal)) {
			return List.of(Problem.error("haltSignal", "halt signal " + Text.quote(signal) + " is not a signal name;"
					+ " use for example SIGUSR2 (busybox), SIGRTMIN+3 (systemd), SIGPWR (sysvinit) or SIGTERM"));
		}
		return switch (signal) {
			case "SIGKILL" -> List.of(Problem.warning("haltSignal", "halt signal SIGKILL cannot be caught, so init"
					+ " gets no chance to shut down cleanly; busybox init powers off on SIGUSR2, systemd on"
					+ " SIGRTMIN+3"));
			case "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU" -> List.of(Problem.error("haltSignal", "halt signal "
					+ signal + " would pause init instead of shutting it down; use for example SIGUSR2 or"
					+ " SIGRTMIN+3 (freeze is the way to pause a container)"));
			default -> List.of();
		};
	}

	static List<Problem> checkSeccomp(ContainerSpec spec) {
		String seccomp = spec.seccomp();
		if (seccomp.equals(ContainerSpec.SECCOMP_DEFAULT) || seccomp.startsWith("/") && !seccomp.contains("\n")) {
			return List.of();
		}
		if (seccomp.equals(ContainerSpec.SECCOMP_UNCONFINED)) {
			return List.of(Problem.warning("seccomp", "seccomp unconfined: nothing stops the container's root from"
					+ " system calls that reach the host's kernel, such as kexec_load, open_by_handle_at or bpf"));
		}
		return List.of(Problem.error("seccomp", "seccomp " + Text.quote(seccomp) + " is not a profile; use default"
				+ " (the engine's denylist), unconfined (no filter) or the absolute path of a profile file"));
	}

	// ---- helpers ----------------------------------------------------------------------------------------------

	static String field(NamespaceType type) {
		return "namespaces." + type.procName();
	}

	/** Whether an absolute path names "/" ("/", "//.", "/srv/.."). */
	private static boolean isRootDirectory(String path) {
		int depth = 0;
		for (String part : path.split("/")) {
			if (part.isEmpty() || part.equals(".")) {
				continue;
			}
			depth = part.equals("..") ? Math.max(0, depth - 1) : depth + 1;
		}
		return depth == 0;
	}

	private static boolean isValidInterfaceName(String name) {
		return IFNAME.matcher(name).matches() && !name.equals(".") && !name.equals("..");
	}

	/** A sentence about a bad cpuset such as "0-1,3", or null when it is fine. */
	static String checkCpuset(String cpuset) {
		if (!CPUSET.matcher(cpuset).matches()) {
			return "cpuset " + Text.quote(cpuset) + " is not a CPU list; use CPU numbers and ranges such as 0-1,3";
		}
		for (String part : cpuset.split(",")) {
			int dash = part.indexOf('-');
			if (dash > 0) {
				long from = parseLongSaturated(part.substring(0, dash));
				long to = parseLongSaturated(part.substring(dash + 1));
				if (from > to) {
					return "cpuset " + Text.quote(cpuset) + " has the range " + part + ", which runs backwards;"
							+ " write it as " + to + "-" + from;
				}
			}
		}
		return null;
	}

	private static long parseLongSaturated(String digits) {
		return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
	}

	/** A sentence about a bad CIDR address such as "10.88.0.5/24" (IPv4 or IPv6), or null when it is fine. */
	static String checkCidr(String cidr) {
		String q = "network address " + Text.quote(cidr);
		int slash = cidr.indexOf('/');
		String address = slash < 0 ? cidr : cidr.substring(0, slash);
		boolean v4 = isIpv4(address);
		boolean v6 = !v4 && isIpv6(address);
		if (!v4 && !v6) {
			return q + " is not an IP address in CIDR notation; use e.g. 10.88.0.5/24";
		}
		if (slash < 0) {
			return q + " has no prefix length; write it in CIDR notation, e.g. " + address + (v4 ? "/24" : "/64");
		}
		String prefixText = cidr.substring(slash + 1);
		int max = v4 ? 32 : 128;
		if (!prefixText.matches("[0-9]{1,3}") || Integer.parseInt(prefixText) > max) {
			return q + " has a prefix length out of range; use 0 to " + max + " for " + (v4 ? "IPv4" : "IPv6");
		}
		int prefix = Integer.parseInt(prefixText);
		if (v4 && prefix <= 30) {
			long ip = ipv4(address);
			long hostMask = (1L << (32 - prefix)) - 1;
			if ((ip & hostMask) == 0) {
				return q + " is the address of the network itself; choose a host address in it, such as "
						+ ipv4Text((ip & ~hostMask & 0xffffffffL) + 1) + "/" + prefix;
			}
			if ((ip & hostMask) == hostMask) {
				return q + " is the broadcast address of its network; choose a host address in it, such as "
						+ ipv4Text(ip - 1) + "/" + prefix;
			}
		}
		return null;
	}

	private static boolean isIpv4(String s) {
		Matcher m = IPV4.matcher(s);
		if (!m.matches()) {
			return false;
		}
		for (int i = 1; i <= 4; i++) {
			if (Integer.parseInt(m.group(i)) > 255) {
				return false;
			}
		}
		return true;
	}

	private static long ipv4(String s) {
		Matcher m = IPV4.matcher(s);
		m.matches();
		long ip = 0;
		for (int i = 1; i <= 4; i++) {
			ip = (ip << 8) | Integer.parseInt(m.group(i));
		}
		return ip;
	}

	private static String ipv4Text(long ip) {
		return ((ip >> 24) & 255) + "." + ((ip >> 16) & 255) + "." + ((ip >> 8) & 255) + "." + (ip & 255);
	}

	private static boolean isIpv6(String address) {
		String s = address;
		int lastColon = s.lastIndexOf(':');
		if (lastColon < 0) {
			return false;
		}
		String tail = s.substring(lastColon + 1);
		if (tail.contains(".")) {
			if (!isIpv4(tail)) {
				return false;
			}
			s = s.substring(0, lastColon + 1) + "0:0";
		}
		int firstDouble = s.indexOf("::");
		boolean compressed = firstDouble >= 0;
		if (compressed && (s.indexOf("::", firstDouble + 1) >= 0)) {
			return false;
		}
		int groups = 0;
		for (String half : s.split("::", -1)) {
			if (half.isEmpty()) {
				continue;
			}
			for (String g : half.split(":", -1)) {
				if (!g.matches("[0-9a-fA-F]{1,4}")) {
					return false;
				}
				groups++;
			}
		}
		return compressed ? groups <= 7 : groups == 8;
	}
}
