package org.berth.core.linux.internal.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.berth.core.BerthException;
import org.berth.core.ContainerKind;
import org.berth.core.ContainerSpec;

/**
 * The root file systems Berth can make, and the init each one runs by default:
 * <ul>
 * <li>{@code busybox}: Debian's static busybox with its applets as links, busybox init (2 MB, no download);</li>
 * <li>{@code host}: the host's /usr bind-mounted read-only, with its own writable /etc, /root, /tmp, /var, run by
 * Berth's minimal init (no download);</li>
 * <li>{@code debian}: Debian made by debootstrap with systemd, cached after the first time.</li>
 * </ul>
 * Application containers run their program under Berth's minimal reaping init, bind-mounted at
 * {@value #BERTH_INIT}.
 */
final class Templates {

	static final String BUSYBOX = "busybox";
	static final String HOST = "host";
	static final String DEBIAN = "debian";
	static final Set<String> NAMES = Set.of(BUSYBOX, HOST, DEBIAN);

	/** Where the helper, as a minimal init, is bind-mounted inside containers that need it. */
	static final String BERTH_INIT = "/.berth-init";

	private final Path busybox;
	private final Path cacheDir;

	Templates(Path busybox, Path cacheDir) {
		this.busybox = busybox;
		this.cacheDir = cacheDir;
	}

	/** The init command a container runs: its own, or its template's. */
	static List<String> init(ContainerSpec spec) {
		if (spec.kind() == ContainerKind.APPLICATION) {
			List<String> cmd = new ArrayList<>();
			cmd.add(BERTH_INIT);
			cmd.add("init");
			cmd.add("--");
			cmd.addAll(spec.init() != null ? spec.init() : List.of("/bin/sh"));
			return cmd;
		}
		if (spec.init() != null) {
			return spec.init();
		}
		return switch (String.valueOf(spec.template())) {
			case HOST -> List.of(BERTH_INIT, "init");
			default -> List.of("/sbin/init");
		};
	}

	/** Whether the container runs Berth's minimal init, so the helper must be bind-mounted into it. */
	static boolean needsBerthInit(ContainerSpec spec) {
		return init(spec).get(0).equals(BERTH_INIT);
	}

	/** The halt signal the template's init understands, when the user kept the default. */
	static String haltSignal(ContainerSpec spec) {
		if (!spec.haltSignal().equals(ContainerSpec.DEFAULT_HALT_SIGNAL) || spec.init() != null) {
			return spec.haltSignal();
		}
		if (spec.kind() == ContainerKind.APPLICATION || HOST.equals(spec.template())) {
			return "SIGTERM";
		}
		if (DEBIAN.equals(spec.template())) {
			return "SIGRTMIN+3";
		}
		return spec.haltSignal();
	}

	/** Read-only bind mounts from the host that the template needs. */
	static List<HelperCommand.Bind> binds(ContainerSpec spec, Path helper) {
		List<HelperCommand.Bind> binds = new ArrayList<>();
		if (HOST.equals(spec.template())) {
			binds.add(new HelperCommand.Bind(Path.of("/usr"), "/usr", true));
		}
		if (needsBerthInit(spec)) {
			binds.add(new HelperCommand.Bind(helper, BERTH_INIT, true));
		}
		return binds;
	}

	/** Makes {@code rootfs} (which must not exist yet) from the spec's template. */
	void create(ContainerSpec spec, Path rootfs) throws BerthException {
		String template = spec.template();
		try {
			Files2.privateDirectories(rootfs.getParent());
			Path tmp = rootfs.resolveSibling(rootfs.getFileName() + ".partial");
			Files2.deleteTree(tmp);
			Files.createDirectory(tmp);
			switch (template) {
				case BUSYBOX -> busybox(spec, tmp);
				case HOST -> host(spec, tmp);
				case DEBIAN -> debian(spec, tmp);
				default -> throw new BerthException("create", spec.name(), "there is no template named \"" + template
						+ "\"; the templates are " + String.join(", ", NAMES.stream().sorted().toList()));
			}
			if (spec.kind() == ContainerKind.APPLICATION || needsBerthInit(spec)) {
				touch(tmp.resolve(BERTH_INIT.substring(1)));
			}
			Files.move(tmp, rootfs, StandardCopyOption.ATOMIC_MOVE);
		} catch (IOException e) {
			throw new BerthException("create", spec.name(),
					"could not make the root file system of \"" + spec.name() + "\" from the " + template
							+ " template: " + EngineContext.describe(e),
					e);
		}
	}

	private void busybox(ContainerSpec spec, Path root) throws IOException, BerthException {
		if (!Files.isExecutable(busybox)) {
			throw new BerthException("create", spec.name(), "the busybox template needs Debian's busybox-static ("
					+ busybox + " is missing): apt-get install busybox-static");
		}
		if (isDynamicallyLinked(busybox)) {
			throw new BerthException("create", spec.name(), busybox + " is linked dynamically, so it cannot run in"
					+ " a container of its own: install Debian's busybox-static (apt-get install busybox-static)");
		}
		skeleton(root);
		Path bin = root.resolve("bin");
		Files.copy(busybox, bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
		for (String applet : applets()) {
			Path link = root.resolve(applet.startsWith("/") ? applet.substring(1) : applet);
			if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
				continue;
			}
			Files.createDirectories(link.getParent());
			Files.createSymbolicLink(link, Path.of("/bin/busybox"));
		}
		write(root, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
		write(root, "etc/group", "root:x:0:\ntty:x:5:\n");
		write(root, "etc/hostname", spec.name() + "\n");
		write(root, "etc/hosts", "127.0.0.1\tlocalhost\n127.0.1.1\t" + spec.name() + "\n");
		write(root, "etc/inittab", """
				# busybox init, written by Berth's busybox template
				::sysinit:/etc/init.d/rcS
				::askfirst:-/bin/sh
				::ctrlaltdel:/sbin/reboot
				::shutdown:/bin/echo "berth: $(hostname) is going down"
				""");
		write(root, "etc/init.d/rcS", """
				#!/bin/sh
				# first thing busybox init runs in a Berth container
				ip link set lo up 2>/dev/null
				echo "berth: $(hostname) is up"
				""");
		Files.setPosixFilePermissions(root.resolve("etc/init.d/rcS"), PosixFilePermissions.fromString("rwxr-xr-x"));
		write(root, "etc/profile", "export PS1='\\h:\\w\\$ '\n");
	}

	private void host(ContainerSpec spec, Path root) throws IOException {
		skeleton(root);
		for (String d : List.of("bin", "sbin", "lib", "usr/bin")) {
			Files2.deleteTree(root.resolve(d));
		}
		Files.createDirectories(root.resolve("usr"));
		for (String l : List.of("bin", "sbin", "lib", "lib32", "lib64", "libx32")) {
			if (Files.exists(Path.of("/usr", l))) {
				Files.createSymbolicLink(root.resolve(l), Path.of("usr", l));
			}
		}
		for (String f : List.of("passwd", "group", "nsswitch.conf", "profile", "bash.bashrc", "shells",
				"ld.so.cache", "ld.so.conf", "localtime", "inputrc", "environment", "login.defs")) {
			Path src = Path.of("/etc", f);
			if (Files.isRegularFile(src)) {
				Files.copy(src, root.resolve("etc").resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
			}
		}
		// the host's password hashes stay on the host: every account is locked until set inside
		lockedShadow(root.resolve("etc/passwd"), root.resolve("etc/shadow"), "%s:*:19000:0:99999:7:::%n");
		lockedShadow(root.resolve("etc/group"), root.resolve("etc/gshadow"), "%s:*::%n");
		Path ldconf = Path.of("/etc/ld.so.conf.d");
		if (Files.isDirectory(ldconf)) {
			Path dst = Files.createDirectories(root.resolve("etc/ld.so.conf.d"));
			try (var files = Files.list(ldconf)) {
				for (Path f : files.toList()) {
					Files.copy(f, dst.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
				}
			}
		}
		write(root, "etc/hostname", spec.name() + "\n");
		write(root, "etc/hosts", "127.0.0.1\tlocalhost\n127.0.1.1\t" + spec.name() + "\n");
	}

	private void debian(ContainerSpec spec, Path root) throws IOException, BerthException {
		Path cache = cacheDir.resolve("debian-bookworm.tar");
		if (!Files.isRegularFile(cache)) {
			Files.createDirectories(cacheDir);
			Path work = cacheDir.resolve("debian-bookworm.partial");
			Files2.deleteTree(work);
			List<String> cmd = new ArrayList<>(List.of("debootstrap", "--variant=minbase",
					"--include=systemd-sysv,iproute2,procps"));
			Path keyring = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
			if (!Files.isRegularFile(keyring)) {
				throw new BerthException("create", spec.name(), "the debian template checks the packages it downloads"
						+ " with Debian's archive keyring, which is missing: install it as root (apt-get install"
						+ " debian-archive-keyring)");
			}
			cmd.add("--keyring=" + keyring);
			cmd.add("--force-check-gpg");
			cmd.add("bookworm");
			cmd.add(work.toString());
			AptSources.ofHost("bookworm").ifPresent(cmd::add); // the host's own mirror; debootstrap's default else
			run(spec, cmd, 1800);
			Path tar = cacheDir.resolve("debian-bookworm.tar.partial");
			run(spec, List.of("tar", "-C", work.toString(), "-cf", tar.toString(), "."), 600);
			Files.move(tar, cache, StandardCopyOption.ATOMIC_MOVE);
			Files2.deleteTree(work);
		}
		run(spec, List.of("tar", "-C", root.toString(), "-xf", cache.toString()), 600);
		write(root, "etc/hostname", spec.name() + "\n");
	}

	private static void run(ContainerSpec spec, List<String> command, long timeoutSeconds)
			throws IOException, BerthException {
		Process p;
		try {
			p = new ProcessBuilder(command).redirectErrorStream(true).start();
		} catch (IOException e) {
			throw new BerthException("create", spec.name(), "the \"" + spec.template() + "\" template needs "
					+ command.get(0) + ", which is not installed: install it as root (apt-get install "
					+ command.get(0) + ")", e);
		}
		String out;
		try (InputStream in = p.getInputStream()) {
			out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		try {
			if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
				p.destroyForcibly();
				throw new BerthException("create", spec.name(), command.get(0) + " did not finish within "
						+ timeoutSeconds + " s");
			}
		} catch (InterruptedException e) {
			p.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new BerthException("create", spec.name(), "interrupted while running " + command.get(0));
		}
		if (p.exitValue() != 0) {
			String last = out.lines().reduce((a, b) -> b).orElse("");
			throw new BerthException("create", spec.name(), command.get(0) + " failed (exit " + p.exitValue()
					+ "): " + last);
		}
	}

	/** A shadow file naming each account of {@code names} (a passwd or group file) with a locked password. */
	private static void lockedShadow(Path names, Path shadow, String format) throws IOException {
		if (!Files.isRegularFile(names)) {
			return;
		}
		StringBuilder out = new StringBuilder();
		for (String line : Files.readAllLines(names)) {
			int colon = line.indexOf(':');
			if (colon > 0) {
				out.append(String.format(java.util.Locale.ROOT, format, line.substring(0, colon)));
			}
		}
		Files.writeString(shadow, out, StandardCharsets.UTF_8);
		Files.setPosixFilePermissions(shadow, PosixFilePermissions.fromString("rw-------"));
	}

	private static void skeleton(Path root) throws IOException {
		for (String d : List.of("bin", "sbin", "usr/bin", "usr/sbin", "etc/init.d", "proc", "sys", "dev", "tmp",
				"root", "run", "var/log", "var/tmp", "home", "mnt")) {
			Files.createDirectories(root.resolve(d));
		}
		for (String tmp : List.of("tmp", "var/tmp")) { // 1777, as every Linux has them: users cannot remove others' files
			Files.setAttribute(root.resolve(tmp), "unix:mode", 01777);
		}
		Files.setPosixFilePermissions(root.resolve("root"), PosixFilePermissions.fromString("rwx------"));
	}

	private List<String> applets() throws IOException, BerthException {
		Process p = new ProcessBuilder(busybox.toString(), "--list-full").redirectErrorStream(true).start();
		List<String> names;
		try (InputStream in = p.getInputStream()) {
			names = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank())
					.toList();
		}
		try {
			p.waitFor(30, TimeUnit.SECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		if (names.isEmpty()) {
			throw new BerthException("create", busybox.toString(), busybox + " --list-full listed no applets");
		}
		return new ArrayList<>(new LinkedHashSet<>(names));
	}

	/** A static binary has no program interpreter (ld-linux) named in its first pages. */
	static boolean isDynamicallyLinked(Path binary) throws IOException {
		byte[] head;
		try (InputStream in = Files.newInputStream(binary)) {
			head = in.readNBytes(16384);
		}
		String text = new String(head, StandardCharsets.ISO_8859_1);
		return text.contains("/lib64/ld-linux") || text.contains("/lib/ld-linux");
	}

	private static void write(Path root, String relative, String text) throws IOException {
		Path f = root.resolve(relative);
		Files.createDirectories(f.getParent());
		Files.writeString(f, text, StandardCharsets.UTF_8);
	}

	private static void touch(Path f) throws IOException {
		if (!Files.exists(f)) {
			Files.createFile(f);
		}
	}
}
