package org.berth.core.linux.internal.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.berth.core.ContainerSpec;
import org.berth.core.IdMap;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;
import org.berth.core.linux.internal.cgroup.CgroupV1Driver;

/**
 * Builds the argument lists of {@code berth-helper start} and {@code berth-helper exec} (see
 * {@code native/PROTOCOL.md}). Pure: everything it needs is passed in, so tests check the lists as text.
 */
final class HelperCommand {

	/** A bind mount from the host into the container: {@code --bind SRC:DST[:ro]}. */
	record Bind(Path source, String target, boolean readOnly) {
		String arg() {
			return source + ":" + target + (readOnly ? ":ro" : "");
		}
	}

	/**
	 * Everything {@code start} needs besides the spec; {@code lxcfs} is the host's LXCFS mount point, or null for the
	 * kernel's /proc files; {@code idmapRootfs}: the root file system is owned by host root on disk and is to be seen
	 * through an idmapped mount of the container's new user namespace ({@link #idmapsRootfs}); {@code deviceProgramDir}
	 * the cgroup2 directory the device program goes on, or null.
	 */
	record StartPlan(Path helper, Path rootfs, Path runDir, List<String> init, Map<NamespaceType, Path> joins,
			List<Path> cgroupProcs, Path cloneIntoDir, List<Path> cgroupCleanup, List<Bind> binds, Path lxcfs,
			int haltSignal, long consoleMaxBytes, boolean sync, boolean idmapRootfs, Path deviceProgramDir) {
	}

	/**
	 * Whether a container's root file system is seen through an idmapped mount: with a new user namespace and a new
	 * mnt namespace, when the root file system belongs to host root on disk (a template's, or one given by path
	 * that was never shifted). One owned by the container's own root outside (shifted by another tool) is used as
	 * it is.
	 */
	static boolean idmapsRootfs(ContainerSpec spec, int rootfsOwnerUid) {
		return spec.mode(NamespaceType.USER) == NamespaceMode.NEW && spec.mode(NamespaceType.MNT) == NamespaceMode.NEW
				&& rootfsOwnerUid == 0;
	}

	private HelperCommand() {
	}

	/** The argument list of {@code berth-helper start} for {@code spec} under {@code plan}. */
	static List<String> start(ContainerSpec spec, StartPlan plan) {
		List<String> args = head(spec, plan, "start");
		plan.joins().forEach((type, path) -> {
			args.add("--join");
			args.add(type.procName() + "=" + path);
		});
		idMaps(args, spec);
		if (spec.namespaces().get(NamespaceType.UTS).mode() == NamespaceMode.NEW) {
			args.add("--hostname");
			args.add(spec.name());
		}
		if (spec.namespaces().get(NamespaceType.TIME).mode() == NamespaceMode.NEW) {
			if (spec.monotonicOffsetSeconds() != 0) {
				args.add("--time-offset");
				args.add("monotonic=" + spec.monotonicOffsetSeconds());
			}
			if (spec.boottimeOffsetSeconds() != 0) {
				args.add("--time-offset");
				args.add("boottime=" + spec.boottimeOffsetSeconds());
			}
		}
		repeat(args, "--cgroup-procs", plan.cgroupProcs());
		if (plan.cloneIntoDir() != null) {
			args.add("--cgroup-dir");
			args.add(plan.cloneIntoDir().toString());
		}
		repeat(args, "--cgroup-cleanup", plan.cgroupCleanup());
		repeat(args, "--bind", plan.binds().stream().map(Bind::arg).toList());
		if (plan.lxcfs() != null) {
			args.add("--lxcfs");
			args.add(plan.lxcfs().toString());
		}
		repeat(args, "--drop-cap", spec.dropCapabilities());
		args.add("--seccomp");
		args.add(spec.seccomp());
		devicesAndMonitor(args, plan);
		if (plan.sync()) {
			args.add("--sync");
		}
		if (plan.idmapRootfs()) {
			args.add("--idmap-rootfs");
		}
		args.add("--");
		args.addAll(plan.init());
		return args;
	}

	/**
	 * The argument list of {@code berth-helper restore}: the options of {@link #start} that the monitor and the
	 * restore need (no joins, binds, hostname or time offsets: CRIU restores those from its images), the console's
	 * key in the images, then CRIU's command line.
	 */
	static List<String> restore(ContainerSpec spec, StartPlan plan, String ttyKey, List<String> criu) {
		List<String> args = head(spec, plan, "restore");
		idMaps(args, spec);
		if (plan.idmapRootfs()) {
			args.add("--idmap-rootfs");
		}
		repeat(args, "--cgroup-procs", plan.cgroupProcs());
		repeat(args, "--cgroup-cleanup", plan.cgroupCleanup());
		devicesAndMonitor(args, plan);
		args.add("--tty-key");
		args.add(ttyKey);
		args.add("--");
		args.addAll(criu);
		return args;
	}

	/** The helper, the sub-command, the container's name, root file system, state folder and new namespaces. */
	private static List<String> head(ContainerSpec spec, StartPlan plan, String command) {
		List<String> args = new ArrayList<>(List.of(plan.helper().toString(), command, "--name", spec.name(),
				"--rootfs", plan.rootfs().toString(), "--state-dir", plan.runDir().toString()));
		List<String> fresh = new ArrayList<>();
		for (NamespaceSpec ns : spec.namespaces().values()) {
			if (ns.mode() == NamespaceMode.NEW) {
				fresh.add(ns.type().procName());
			}
		}
		if (!fresh.isEmpty()) {
			args.add("--ns");
			args.add(String.join(",", fresh));
		}
		return args;
	}

	private static void idMaps(List<String> args, ContainerSpec spec) {
		repeat(args, "--uidmap", spec.uidMaps().stream().map(HelperCommand::mapLine).toList());
		repeat(args, "--gidmap", spec.gidMaps().stream().map(HelperCommand::mapLine).toList());
	}

	/** The device program and what the monitor keeps to: the halt signal and the console's log. */
	private static void devicesAndMonitor(List<String> args, StartPlan plan) {
		if (plan.deviceProgramDir() != null) {
			args.add("--devices-bpf");
			args.add(plan.deviceProgramDir().toString());
			repeat(args, "--device-allow", CgroupV1Driver.DEVICE_ALLOWLIST);
		}
		args.add("--halt-signal");
		args.add(Integer.toString(plan.haltSignal()));
		args.add("--console-log");
		args.add(plan.runDir().resolve(RunDir.CONSOLE_LOG).toString());
		args.add("--console-max");
		args.add(Long.toString(plan.consoleMaxBytes()));
	}

	/** {@code option value} for each value. */
	private static void repeat(List<String> args, String option, Collection<?> values) {
		for (Object v : values) {
			args.add(option);
			args.add(v.toString());
		}
	}

	/**
	 * The argument list of {@code berth-helper exec} into the container whose init is {@code initPid}, in its
	 * cgroups, with its dropped capabilities.
	 */
	static List<String> exec(Path helper, long initPid, List<Path> cgroupProcs, ContainerSpec spec,
			Map<String, String> env, String cwd, Path tty, Path notify, List<String> command) {
		List<String> args = new ArrayList<>();
		args.add(helper.toString());
		args.add("exec");
		args.add("--pid");
		args.add(Long.toString(initPid));
		for (Path p : cgroupProcs) {
			args.add("--cgroup-procs");
			args.add(p.toString());
		}
		for (String cap : spec.dropCapabilities()) {
			args.add("--drop-cap");
			args.add(cap);
		}
		args.add("--seccomp");
		args.add(spec.seccomp());
		env.forEach((k, v) -> {
			args.add("--env");
			args.add(k + "=" + v);
		});
		if (cwd != null) {
			args.add("--cwd");
			args.add(cwd);
		}
		if (tty != null) {
			args.add("--tty");
			args.add(tty.toString());
		}
		if (notify != null) { // the monitor answers the command's sysinfo (native/sysinfo.h)
			args.add("--notify");
			args.add(notify.toString());
		}
		args.add("--");
		args.addAll(command);
		return args;
	}

	/** A map as the kernel's uid_map line, which the helper takes: "IN OUT COUNT". */
	static String mapLine(IdMap m) {
		return m.insideId() + " " + m.outsideId() + " " + m.count();
	}
}
