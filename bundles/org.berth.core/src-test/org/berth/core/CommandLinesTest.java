package org.berth.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class CommandLinesTest {

	@Test
	void theExampleCommand() {
		ContainerSpec spec = ContainerSpec.builder("c1").namespace(NamespaceType.NET, NamespaceMode.HOST)
				.limits(Limits.NONE.withMemoryBytes(256 * Sizes.MIB).withCpus(0.5)).build();
		assertEquals(List.of("berth", "create", "c1", "--template", "busybox", "--ns", "net=host", "--memory", "256M",
				"--cpus", "0.5"), CommandLines.createCommand(spec));
		assertEquals("berth create c1 --template busybox --ns net=host --memory 256M --cpus 0.5",
				CommandLines.createCommandLine(spec));
	}

	@Test
	void defaultsAreLeftOut() {
		assertEquals(List.of("berth", "create", "c1", "--template", "busybox"),
				CommandLines.createCommand(ContainerSpec.builder("c1").build()));
		// network host implies net=host: not written
		assertEquals(List.of("berth", "create", "c1", "--template", "busybox", "--network", "host"),
				CommandLines.createCommand(ContainerSpec.builder("c1").network(NetworkSpec.HOST).build()));
	}

	@Test
	void theBlockTheEngineAllocatesIsLeftOutAndPrivilegedIsSaidSo() {
		ContainerSpec allocated = ContainerSpec.builder("c1").userNamespace(1048576, 65536).build();
		assertEquals(List.of("berth", "create", "c1", "--template", "busybox"), CommandLines.createCommand(allocated),
				"a container made from this line gets a block of its own");
		ContainerSpec privileged = ContainerSpec.builder("c1").namespace(NamespaceType.USER, NamespaceMode.HOST)
				.build();
		assertEquals(List.of("berth", "create", "c1", "--template", "busybox", "--privileged"),
				CommandLines.createCommand(privileged));
	}

	@Test
	void everythingIsWritten() {
		ContainerSpec spec = full();
		assertEquals(List.of("berth", "create", "web-2", "--kind", "application", "--template", "alpine",
				"--rootfs", "/srv/web 2", "--ns", "pid=share:web",
				"--ns", "time=new", "--uidmap", "0:100000:65536", "--gidmap", "0:200000:65536",
				"--monotonic-offset", "3600", "--boottime-offset", "-60",
				"--memory", "1536M", "--memory-swap", "2G", "--cpus", "1.25", "--cpu-weight", "200",
				"--cpuset", "0-1,3", "--pids", "512", "--network", "veth", "--bridge", "br0",
				"--address", "10.88.0.5/24", "--cap-drop", "CAP_NET_RAW", "--cap-keep", "CAP_SYS_TIME",
				"--halt-signal", "SIGRTMIN+3", "--seccomp", "/etc/berth/web.seccomp", "--autostart", "--", "/bin/sh",
				"-c", "echo it's up"),
				CommandLines.createCommand(spec));
		assertEquals("berth create web-2 --kind application --template alpine --rootfs '/srv/web 2'"
				+ " --ns pid=share:web --ns time=new --uidmap 0:100000:65536"
				+ " --gidmap 0:200000:65536 --monotonic-offset 3600 --boottime-offset -60 --memory 1536M"
				+ " --memory-swap 2G --cpus 1.25 --cpu-weight 200 --cpuset 0-1,3 --pids 512 --network veth"
				+ " --bridge br0 --address 10.88.0.5/24 --cap-drop CAP_NET_RAW --cap-keep CAP_SYS_TIME"
				+ " --halt-signal SIGRTMIN+3 --seccomp /etc/berth/web.seccomp --autostart -- /bin/sh -c 'echo it'\\''s up'",
				CommandLines.createCommandLine(spec));
	}

	static ContainerSpec full() {
		return ContainerSpec.builder("web-2").kind(ContainerKind.APPLICATION).template("alpine").rootfs("/srv/web 2")
				.share(NamespaceType.PID, "web").network(NetworkSpec.veth("br0", "10.88.0.5/24"))
				.namespace(NamespaceType.NET, NamespaceMode.NEW).uidMap(new IdMap(0, 100000, 65536))
				.gidMap(new IdMap(0, 200000, 65536))
				.namespace(NamespaceType.TIME, NamespaceMode.NEW).monotonicOffsetSeconds(3600)
				.boottimeOffsetSeconds(-60)
				.limits(new Limits(1536 * Sizes.MIB, 2 * Sizes.GIB, 1.25, 200, "0-1,3", 512L))
				.dropCapabilities(Set.of("CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_MAC_ADMIN", "CAP_MAC_OVERRIDE",
						"CAP_NET_RAW"))
				.haltSignal("SIGRTMIN+3").seccomp("/etc/berth/web.seccomp").autostart(true)
				.init("/bin/sh", "-c", "echo it's up").build();
	}

	@Test
	void shellQuoting() {
		assertEquals("ls -l /tmp", CommandLines.shellQuote(List.of("ls", "-l", "/tmp")));
		assertEquals("echo '' 'a b' 'it'\\''s' '$HOME' 'x;y' '*'",
				CommandLines.shellQuote(List.of("echo", "", "a b", "it's", "$HOME", "x;y", "*")));
		assertEquals("", CommandLines.shellQuote(List.of()));
	}
}
