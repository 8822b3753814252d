package org.berth.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.berth.core.SpecValidator.ValidationContext;

/** One passing and one failing case per check, asserting the whole list of problems (so extra ones fail too). */
class SpecValidatorTest {

	static final ValidationContext CTX = ValidationContext.of(
			Map.of("web", ContainerKind.SYSTEM, "db", ContainerKind.SYSTEM, "app1", ContainerKind.APPLICATION),
			Set.of("web", "app1"), Set.of("busybox", "alpine"));

	static List<Problem> problems(UnaryOperator<ContainerSpec.Builder> edit) {
		return SpecValidator.validate(edit.apply(ContainerSpec.builder("c1")).build(), CTX);
	}

	static void assertOk(UnaryOperator<ContainerSpec.Builder> edit) {
		assertEquals(List.of(), problems(edit));
	}

	static void assertError(String field, String message, UnaryOperator<ContainerSpec.Builder> edit) {
		assertEquals(List.of(Problem.error(field, message)), problems(edit));
	}

	static void assertWarning(String field, String message, UnaryOperator<ContainerSpec.Builder> edit) {
		assertEquals(List.of(Problem.warning(field, message)), problems(edit));
	}

	static UnaryOperator<ContainerSpec.Builder> limits(Limits l) {
		return b -> b.limits(l);
	}

	@Test
	void defaultSpecIsValid() {
		assertOk(b -> b);
	}

	@Nested
	class Names {
		static final String RULE = "use letters, digits, '.', '_' or '-', starting with a letter or digit,"
				+ " at most 64 characters";

		@ParameterizedTest
		@ValueSource(strings = {"c1", "my-box.1", "A", "0start"})
		void validNames(String name) {
			assertOk(b -> b.name(name));
		}

		@ParameterizedTest
		@ValueSource(strings = {"bad name!", "..", ".", "-x", "_x", "a/b", "caf\u00e9"})
		void invalidNames(String name) {
			assertError("name", "\"" + name + "\" is not a valid container name: " + RULE, b -> b.name(name));
		}

		@Test
		void atMost64Characters() {
			String longest = "a".repeat(31) + "." + "b".repeat(32);
			assertEquals(64, longest.length());
			assertOk(b -> b.name(longest));
			String tooLong = "x".repeat(65);
			assertError("name", "the name is 65 characters long; a container name has at most 64",
					b -> b.name(tooLong));
			// the reason comes first, not after 200 quoted characters
			assertError("name", "the name is 200 characters long; a container name has at most 64",
					b -> b.name("y".repeat(200)));
		}

		@Test
		void aLongHostnameIsBlamedOnItsLength() {
			String longest = "x".repeat(64);
			assertWarning("name", "the hostname will be \"" + longest + "\", which has 64 characters; a DNS host"
					+ " name allows at most 63 between dots, so some programs will reject it", b -> b.name(longest));
			assertOk(b -> b.name("x".repeat(63)));
			assertOk(b -> b.name("a." + "x".repeat(62)));
		}

		@Test
		void emptyName() {
			assertError("name", "a container needs a name: " + RULE, b -> b.name(""));
		}

		@Test
		void hostnameWarning() {
			assertWarning("name", "the hostname will be \"my_box\", which is not a valid DNS host name"
					+ " (letters, digits and '-' between dots); some programs will reject it", b -> b.name("my_box"));
			assertWarning("name", "the hostname will be \"a..b\", which is not a valid DNS host name"
					+ " (letters, digits and '-' between dots); some programs will reject it", b -> b.name("a..b"));
			assertOk(b -> b.name("my-box.example"));
			// with the uts namespace of another container, the name is not set as hostname
			assertOk(b -> b.name("my_box").share(NamespaceType.UTS, "web"));
		}
	}

	@Nested
	class ShareCycles {
		static ValidationContext ctx(ContainerSpec... specs) {
			return ValidationContext.ofSpecs(List.of(specs), Set.of(), Set.of("busybox"), 0);
		}

		static final ContainerSpec GUI2_SHARES_GUI1_UTS = ContainerSpec.builder("gui2")
				.share(NamespaceType.UTS, "gui1").build();

		@Test
		void twoContainersSharingEachOthersNamespacesAreRefusedWithTheCycleNamed() {
			ContainerSpec gui1 = ContainerSpec.builder("gui1").share(NamespaceType.IPC, "gui2").build();
			List<Problem> p = SpecValidator.validate(gui1,
					ctx(ContainerSpec.builder("gui1").build(), GUI2_SHARES_GUI1_UTS));
			assertEquals(List.of(Problem.warning("namespaces.ipc", "ipc=share:gui2: \"gui2\" is not running; it must"
					+ " be running when \"gui1\" starts, to join its ipc namespace"),
					Problem.error("namespaces.ipc", "gui1 shares gui2's ipc while gui2 shares gui1's uts: a share"
							+ " cycle, neither could start")),
					p);
			assertTrue(SpecValidator.isShareCycle(p.get(1)));
			assertFalse(SpecValidator.isShareCycle(p.get(0)));
		}

		@Test
		void aLongerCycleNamesEveryLink() {
			ContainerSpec a = ContainerSpec.builder("a").share(NamespaceType.NET, "b").build();
			ContainerSpec b = ContainerSpec.builder("b").share(NamespaceType.IPC, "c").build();
			ContainerSpec c = ContainerSpec.builder("c").share(NamespaceType.UTS, "a").build();
			assertEquals(List.of(Problem.error("namespaces.net", "a shares b's net, b shares c's ipc and c shares a's"
					+ " uts: a share cycle, none of them could start")),
					SpecValidator.errors(SpecValidator.validate(a, ctx(b, c))));
		}

		@Test
		void chainsAndSharingOneContainerTwiceAreNoCycle() {
			ContainerSpec gui1 = ContainerSpec.builder("gui1").share(NamespaceType.IPC, "gui2")
					.share(NamespaceType.UTS, "gui2").build();
			ContainerSpec gui2 = ContainerSpec.builder("gui2").share(NamespaceType.NET, "gui3").build();
			ContainerSpec gui3 = ContainerSpec.builder("gui3").share(NamespaceType.IPC, "gui2").build();
			// gui2 and gui3 make a cycle of their own, which is not gui1's
			assertEquals(List.of(), SpecValidator.errors(SpecValidator.validate(gui1, ctx(gui2, gui3))));
			assertEquals(List.of(), SpecValidator.errors(SpecValidator.validate(gui1, ctx(gui2))));
		}

		@Test
		void theSpecBeingCheckedStandsInForItsSavedSelf() {
			// gui1 saved as sharing gui2's ipc; now edited to share nothing: no cycle any more
			ContainerSpec saved = ContainerSpec.builder("gui1").share(NamespaceType.IPC, "gui2").build();
			assertEquals(List.of(), SpecValidator.validate(ContainerSpec.builder("gui1").build(),
					ctx(saved, GUI2_SHARES_GUI1_UTS)));
		}
	}

	@Test
	void unknownTemplate() {
		assertOk(b -> b.template("alpine"));
		assertError("template", "there is no template \"debian\"; the available templates are alpine and busybox",
				b -> b.template("debian"));
		ContainerSpec spec = ContainerSpec.builder("c1").template("busybox").build();
		assertEquals(List.of(Problem.error("template", "there is no template \"busybox\"; no templates are installed")),
				SpecValidator.validate(spec, ValidationContext.of(Map.of(), Set.of(), Set.of())));
	}

	@Test
	void rootfs() {
		assertOk(b -> b.rootfs("/srv/c1"));
		assertError("rootfs", "rootfs \"srv/c1\" is not an absolute path; use a path such as"
				+ " /var/lib/berth/c1/rootfs", b -> b.rootfs("srv/c1"));
		assertError("rootfs", "rootfs \"/\" is the host's root file system; give the container a directory of its"
				+ " own", b -> b.rootfs("/"));
		assertError("rootfs", "rootfs \"//.\" is the host's root file system; give the container a directory of its"
				+ " own", b -> b.rootfs("//."));
		assertError("rootfs", "rootfs \"/srv/..\" is the host's root file system; give the container a directory of"
				+ " its own", b -> b.rootfs("/srv/.."));
		assertOk(b -> b.rootfs("/../srv/c1"));
	}

	@Test
	void seccomp() {
		assertOk(b -> b.seccomp("default"));
		assertOk(b -> b.seccomp("/etc/berth/strict.seccomp"));
		assertWarning("seccomp", "seccomp unconfined: nothing stops the container's root from system calls that"
				+ " reach the host's kernel, such as kexec_load, open_by_handle_at or bpf",
				b -> b.seccomp("unconfined"));
		assertError("seccomp", "seccomp \"strict.seccomp\" is not a profile; use default (the engine's denylist),"
				+ " unconfined (no filter) or the absolute path of a profile file", b -> b.seccomp("strict.seccomp"));
	}

	@Test
	void init() {
		assertOk(b -> b.init("/sbin/init"));
		assertError("init", "init \"sh\" is not an absolute path; give its full path inside the container,"
				+ " e.g. /sbin/init", b -> b.init("sh", "-c", "true"));
		assertError("init", "program \"top\" is not an absolute path; give its full path inside the container,"
				+ " e.g. /bin/sh", b -> b.kind(ContainerKind.APPLICATION).init("top"));
	}

	@Nested
	class Sharing {
		@Test
		void shareWithARunningContainer() {
			assertOk(b -> b.share(NamespaceType.IPC, "web").share(NamespaceType.NET, "web"));
		}

		@Test
		void shareWithSelf() {
			assertError("namespaces.net", "net=share:c1 names the container itself; share with another container"
					+ " or use net=new", b -> b.share(NamespaceType.NET, "c1"));
		}

		@Test
		void shareWithMissingContainer() {
			assertError("namespaces.ipc", "ipc=share:c9: there is no container named \"c9\"",
					b -> b.share(NamespaceType.IPC, "c9"));
		}

		@Test
		void shareWithStoppedContainerWarns() {
			assertWarning("namespaces.ipc", "ipc=share:db: \"db\" is not running; it must be running when \"c1\""
					+ " starts, to join its ipc namespace", b -> b.share(NamespaceType.IPC, "db"));
		}
	}

	@Nested
	class UserNamespace {
		@Test
		void newUserNamespaceWithMaps() {
			assertOk(b -> b.userNamespace(100000, 65536));
		}

		@Test
		void newUserNamespaceWithoutMapsIsTheDefaultTheEngineFillsIn() {
			assertOk(b -> b.namespace(NamespaceType.USER, NamespaceMode.NEW));
		}

		@Test
		void onlyGidMapsMissing() {
			assertError("gidMaps", "with uid maps, user=new needs gid maps too: say which group IDs inside map to"
					+ " which outside, e.g. 0 1048576 65536 (or give neither, and Berth picks a block)",
					b -> b.namespace(NamespaceType.USER, NamespaceMode.NEW)
							.uidMap(IdMap.parse("0 100000 65536")));
		}

		@Test
		void mapsWithoutNewUserNamespaceWarn() {
			assertEquals(List.of(Problem.warning("namespaces.user", PRIVILEGED), Problem.warning("uidMaps",
					"id maps are only used with user=new; with user=host they are ignored")),
					problems(b -> b.namespace(NamespaceType.USER, NamespaceMode.HOST)
							.uidMap(IdMap.parse("0 100000 65536"))
							.gidMap(IdMap.parse("0 100000 65536"))));
		}

		private static final String PRIVILEGED = "\"c1\" is privileged: root inside it is root on the host (user=host);"
				+ " a user namespace of its own (new) makes its root nobody on the host";

		@Test
		void aPrivilegedContainerIsAWarningNotAnError() {
			assertWarning("namespaces.user", PRIVILEGED, b -> b.namespace(NamespaceType.USER, NamespaceMode.HOST));
		}

		@Test
		void overlappingMaps() {
			assertError("uidMaps", "uid maps \"0 100000 65536\" and \"1000 200000 1\" overlap inside the container;"
					+ " each ID may be mapped once",
					b -> b.userNamespace(100000, 65536)
							.uidMap(IdMap.parse("1000 200000 1")));
			assertError("gidMaps", "gid maps \"0 100000 65536\" and \"70000 100001 1\" overlap on the host;"
					+ " each host ID may be used once",
					b -> b.userNamespace(100000, 65536)
							.gidMap(IdMap.parse("70000 100001 1")));
			assertOk(b -> b.userNamespace(100000, 65536).uidMap(IdMap.parse("65536 300000 1"))
					.gidMap(IdMap.parse("65536 300000 1")));
		}
	}

	@Nested
	class Pid {
		@Test
		void systemContainerSharingPid() {
			assertError("namespaces.pid", "pid=share:web is not possible for the system container \"c1\": its init"
					+ " expects to be PID 1 in a pid namespace of its own; use pid=new (sharing pids is for"
					+ " application containers)", b -> b.share(NamespaceType.PID, "web"));
		}

		@Test
		void applicationContainerMaySharePid() {
			assertOk(b -> b.kind(ContainerKind.APPLICATION).share(NamespaceType.PID, "web"));
		}

		@Test
		void systemContainerWithHostPid() {
			assertError("namespaces.pid", "pid=host is not possible for the system container \"c1\": its init"
					+ " expects to be PID 1 and would see all the host's processes; use pid=new",
					b -> b.namespace(NamespaceType.PID, NamespaceMode.HOST));
		}

		@Test
		void applicationContainerMayUseHostPid() {
			assertOk(b -> b.kind(ContainerKind.APPLICATION).namespace(NamespaceType.PID, NamespaceMode.HOST));
		}
	}

	@Test
	void mountNamespaceOfSystemContainer() {
		assertError("namespaces.mnt", "mnt=host is not possible for the system container \"c1\": it needs a mount"
				+ " namespace of its own (mnt=new) to mount its root file system",
				b -> b.namespace(NamespaceType.MNT, NamespaceMode.HOST));
		assertError("namespaces.mnt", "mnt=share:web is not possible for the system container \"c1\": it needs a"
				+ " mount namespace of its own (mnt=new) to mount its root file system",
				b -> b.share(NamespaceType.MNT, "web"));
		assertOk(b -> b.kind(ContainerKind.APPLICATION).share(NamespaceType.MNT, "web"));
	}

	@Test
	void utsHostWarnsAboutTheHostsHostname() {
		assertWarning("namespaces.uts", "uts=host: the system container \"c1\" uses the host's hostname, and its"
				+ " init will change the host's hostname; use uts=new to give it its own",
				b -> b.namespace(NamespaceType.UTS, NamespaceMode.HOST));
		assertOk(b -> b.kind(ContainerKind.APPLICATION).namespace(NamespaceType.UTS, NamespaceMode.HOST));
	}

	@Test
	void timeOffsetsNeedTimeNamespace() {
		assertError("namespaces.time", "the clock offsets (monotonic 3600 s) need a time namespace of its own, but"
				+ " the container has time=host; set time=new or remove the offsets",
				b -> b.monotonicOffsetSeconds(3600));
		assertError("namespaces.time", "the clock offsets (monotonic -5 s, boottime 86400 s) need a time namespace"
				+ " of its own, but the container has time=share:web; set time=new or remove the offsets",
				b -> b.monotonicOffsetSeconds(-5).boottimeOffsetSeconds(86400).share(NamespaceType.TIME, "web"));
		assertOk(b -> b.monotonicOffsetSeconds(3600).boottimeOffsetSeconds(86400)
				.namespace(NamespaceType.TIME, NamespaceMode.NEW));
	}

	@Nested
	class Network {
		@Test
		void vethWithOwnNetNamespace() {
			assertOk(b -> b.network(NetworkSpec.veth("br0", "10.88.0.5/24")));
		}

		@Test
		void vethWithHostNet() {
			assertError("namespaces.net", "network veth needs a net namespace of its own, but net=host uses the"
					+ " host's network; use net=new, or network none",
					b -> b.network(NetworkSpec.veth(null, null)).namespace(NamespaceType.NET, NamespaceMode.HOST));
		}

		@Test
		void vethWithSharedNet() {
			assertError("namespaces.net", "network veth needs a net namespace of its own, but net=share:web joins"
					+ " the network of \"web\"; use net=new, or network none",
					b -> b.network(NetworkSpec.veth(null, null)).share(NamespaceType.NET, "web"));
		}

		@Test
		void hostNetworkFollowsIntoNetNamespace() {
			assertOk(b -> b.network(NetworkSpec.HOST));
			assertError("namespaces.net", "network host needs net=host, but the container has net=new; use"
					+ " net=host, or another network mode",
					b -> b.network(NetworkSpec.HOST).namespace(NamespaceType.NET, NamespaceMode.NEW));
		}

		@Test
		void hostNetNamespaceWithoutNetworkIsFine() {
			assertOk(b -> b.namespace(NamespaceType.NET, NamespaceMode.HOST));
		}

		@Test
		void bridgeName() {
			assertError("network.bridge", "bridge \"my bridge\" is not a valid interface name: use at most 15"
					+ " characters, without spaces, '/' or ':'", b -> b.network(NetworkSpec.veth("my bridge", null)));
			assertError("network.bridge", "bridge \"averyverylongbridge\" is not a valid interface name: use at"
					+ " most 15 characters, without spaces, '/' or ':'",
					b -> b.network(NetworkSpec.veth("averyverylongbridge", null)));
			assertOk(b -> b.network(NetworkSpec.veth("berth0", null)));
		}

		@ParameterizedTest
		@ValueSource(strings = {"10.88.0.5/24", "192.168.1.1/32", "10.0.0.0/31", "fd00::5/64", "::ffff:10.0.0.1/96",
				"1:2:3:4:5:6:7:8/64", "fe80::1/10", "0.0.0.1/0"})
		void goodAddresses(String cidr) {
			assertOk(b -> b.network(NetworkSpec.veth(null, cidr)));
		}

		@Test
		void badAddresses() {
			assertAddress("10.88.0.5", "network address \"10.88.0.5\" has no prefix length; write it in CIDR"
					+ " notation, e.g. 10.88.0.5/24");
			assertAddress("fd00::5", "network address \"fd00::5\" has no prefix length; write it in CIDR notation,"
					+ " e.g. fd00::5/64");
			for (String bad : List.of("10.88.0.500/24", "10.88.0/24", "host/24", "fd00:::5/64", "1:2:3:4:5:6:7/64",
					"1::2::3/64", "12345::/64")) {
				assertAddress(bad, "network address \"" + bad + "\" is not an IP address in CIDR notation;"
						+ " use e.g. 10.88.0.5/24");
			}
			assertAddress("10.88.0.5/33", "network address \"10.88.0.5/33\" has a prefix length out of range;"
					+ " use 0 to 32 for IPv4");
			assertAddress("fd00::5/129", "network address \"fd00::5/129\" has a prefix length out of range;"
					+ " use 0 to 128 for IPv6");
			assertAddress("10.88.0.5/", "network address \"10.88.0.5/\" has a prefix length out of range;"
					+ " use 0 to 32 for IPv4");
			assertAddress("10.88.0.0/24", "network address \"10.88.0.0/24\" is the address of the network itself;"
					+ " choose a host address in it, such as 10.88.0.1/24");
			assertAddress("10.88.0.255/24", "network address \"10.88.0.255/24\" is the broadcast address of its"
					+ " network; choose a host address in it, such as 10.88.0.254/24");
		}

		private void assertAddress(String cidr, String message) {
			assertError("network.address", message, b -> b.network(NetworkSpec.veth(null, cidr)));
		}
	}

	@Nested
	class LimitChecks {
		@Test
		void memory() {
			assertOk(limits(Limits.NONE.withMemoryBytes(4 * Sizes.MIB)));
			assertError("limits.memoryBytes", "memory limit 1 MiB is too small; a container needs at least 4 MiB",
					limits(Limits.NONE.withMemoryBytes(Sizes.MIB)));
			assertError("limits.memoryBytes", "memory limit 0 B is too small; a container needs at least 4 MiB",
					limits(Limits.NONE.withMemoryBytes(0L)));
		}

		@Test
		void memorySwap() {
			assertOk(limits(Limits.NONE.withMemoryBytes(256 * Sizes.MIB).withMemorySwapBytes(256 * Sizes.MIB)));
			assertError("limits.memorySwapBytes", "memory+swap limit 128 MiB is smaller than the memory limit 256 MiB;"
					+ " it counts memory and swap together, so make it at least 256 MiB",
					limits(Limits.NONE.withMemoryBytes(256 * Sizes.MIB).withMemorySwapBytes(128 * Sizes.MIB)));
			assertError("limits.memorySwapBytes", "a memory+swap limit of 1 GiB needs a memory limit as well; set the"
					+ " memory limit", limits(Limits.NONE.withMemorySwapBytes(Sizes.GIB)));
		}

		@Test
		void cpusAreBoundedByTheHostsCpus() {
			ValidationContext twoCores = ValidationContext.ofSpecs(List.of(), Set.of(), Set.of("busybox"), 2);
			ContainerSpec hundred = ContainerSpec.builder("c1").limits(Limits.NONE.withCpus(100.0)).build();
			assertEquals(
					List.of(Problem.error("limits.cpus", "cpus 100 is more than the host's 2 CPUs; use at most 2")),
					SpecValidator.validate(hundred, twoCores));
			assertEquals(List.of(), SpecValidator.validate(hundred.withLimits(Limits.NONE.withCpus(2.0)), twoCores));
			// an unknown host bounds nothing but the range
			assertEquals(List.of(), SpecValidator.validate(hundred, CTX));
		}

		@Test
		void cpus() {
			assertOk(limits(Limits.NONE.withCpus(0.5)));
			assertOk(limits(Limits.NONE.withCpus(1024.0)));
			assertError("limits.cpus", "cpus 0 is out of range; use a number of CPUs greater than 0 and at most 1024,"
					+ " e.g. 0.5", limits(Limits.NONE.withCpus(0.0)));
			assertError("limits.cpus", "cpus 1024.5 is out of range; use a number of CPUs greater than 0 and at most"
					+ " 1024, e.g. 0.5", limits(Limits.NONE.withCpus(1024.5)));
			assertError("limits.cpus", "cpus -2 is out of range; use a number of CPUs greater than 0 and at most"
					+ " 1024, e.g. 0.5", limits(Limits.NONE.withCpus(-2.0)));
		}

		@Test
		void cpuWeight() {
			assertOk(limits(Limits.NONE.withCpuWeight(1)));
			assertOk(limits(Limits.NONE.withCpuWeight(10000)));
			assertError("limits.cpuWeight", "CPU weight 0 is out of range; use 1 to 10000 (100 is the default)",
					limits(Limits.NONE.withCpuWeight(0)));
			assertError("limits.cpuWeight", "CPU weight 10001 is out of range; use 1 to 10000 (100 is the default)",
					limits(Limits.NONE.withCpuWeight(10001)));
		}

		@Test
		void cpuset() {
			assertOk(limits(Limits.NONE.withCpuset("0-1,3")));
			assertOk(limits(Limits.NONE.withCpuset("7")));
			for (String bad : List.of("0-", "a", "0,,1", "0 1", "-1", "1-2-3")) {
				assertError("limits.cpuset", "cpuset \"" + bad + "\" is not a CPU list; use CPU numbers and ranges"
						+ " such as 0-1,3", limits(Limits.NONE.withCpuset(bad)));
			}
			assertError("limits.cpuset", "cpuset \"0,3-1\" has the range 3-1, which runs backwards; write it as 1-3",
					limits(Limits.NONE.withCpuset("0,3-1")));
		}

		@Test
		void pids() {
			assertOk(limits(Limits.NONE.withPids(1L)));
			assertError("limits.pids", "pids limit 0 is too small; allow at least 1 process",
					limits(Limits.NONE.withPids(0L)));
		}
	}

	@Test
	void capabilities() {
		assertOk(b -> b.dropCapabilities(Set.of("net_raw", "CAP_SYS_ADMIN", "cap_bpf")));
		assertError("dropCapabilities", "\"CAP_FOO_BAR_BAZ\" is not a Linux capability; use names such as CAP_NET_RAW"
				+ " or CAP_SYS_ADMIN", b -> b.dropCapabilities(Set.of("CAP_FOO_BAR_BAZ", "CAP_NET_RAW")));
		assertError("dropCapabilities", "\"CAP_SYS_TIM\" is not a Linux capability; did you mean CAP_SYS_TIME?",
				b -> b.dropCapabilities(Set.of("sys_tim")));
	}

	@Test
	void haltSignal() {
		assertOk(b -> b.haltSignal("SIGRTMIN+3"));
		assertOk(b -> b.haltSignal("pwr"));
		assertError("haltSignal", "halt signal \"SIGFOO\" is not a signal name; use for example SIGUSR2 (busybox),"
				+ " SIGRTMIN+3 (systemd), SIGPWR (sysvinit) or SIGTERM", b -> b.haltSignal("sigfoo"));
		assertWarning("haltSignal", "halt signal SIGKILL cannot be caught, so init gets no chance to shut down"
				+ " cleanly; busybox init powers off on SIGUSR2, systemd on SIGRTMIN+3", b -> b.haltSignal("KILL"));
		assertError("haltSignal", "halt signal SIGSTOP would pause init instead of shutting it down; use for example"
				+ " SIGUSR2 or SIGRTMIN+3 (freeze is the way to pause a container)", b -> b.haltSignal("19"));
	}

	@Test
	void severalProblemsComeInAStableOrder() {
		List<Problem> p = problems(b -> b.name("bad name!").template("debian")
				.limits(Limits.NONE.withPids(0L)).haltSignal("SIGFOO"));
		assertEquals(List.of("name", "template", "limits.pids", "haltSignal"),
				p.stream().map(Problem::field).toList());
		assertTrue(SpecValidator.hasErrors(p));
	}

	@Test
	void requireValidThrowsWithTheSentences() {
		ContainerSpec bad = ContainerSpec.builder("c1").template("debian").limits(Limits.NONE.withPids(0L)).build();
		InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> SpecValidator.requireValid(bad, CTX));
		assertEquals("there is no template \"debian\"; the available templates are alpine and busybox\n"
				+ "pids limit 0 is too small; allow at least 1 process", e.getMessage());
		assertEquals(2, e.problems().size());
		assertEquals("c1", e.target());
	}

	@Test
	void requireValidReturnsWarnings() throws InvalidSpecException {
		ContainerSpec warned = ContainerSpec.builder("c1").haltSignal("SIGKILL").build();
		List<Problem> warnings = SpecValidator.requireValid(warned, CTX);
		assertEquals(1, warnings.size());
		assertFalse(SpecValidator.hasErrors(warnings));
	}
}
