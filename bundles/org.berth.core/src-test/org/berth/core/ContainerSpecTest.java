package org.berth.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ContainerSpecTest {

	@Test
	void defaults() {
		ContainerSpec s = ContainerSpec.builder("c1").build();
		assertEquals("c1", s.name());
		assertEquals("c1", s.hostname());
		assertEquals(ContainerKind.SYSTEM, s.kind());
		assertEquals("busybox", s.template());
		assertNull(s.rootfs());
		assertNull(s.init());
		assertEquals(List.of(), s.uidMaps());
		assertEquals(List.of(), s.gidMaps());
		assertEquals(0, s.monotonicOffsetSeconds());
		assertEquals(0, s.boottimeOffsetSeconds());
		assertEquals(Limits.NONE, s.limits());
		assertEquals(NetworkSpec.NONE, s.network());
		assertEquals(Set.of("CAP_SYS_TIME", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_MAC_ADMIN", "CAP_MAC_OVERRIDE"),
				s.dropCapabilities());
		assertEquals("SIGUSR2", s.haltSignal());
		assertFalse(s.autostart());
		Map<NamespaceType, NamespaceMode> modes = new EnumMap<>(NamespaceType.class);
		s.namespaces().forEach((t, ns) -> modes.put(t, ns.mode()));
		assertEquals(Map.of(NamespaceType.MNT, NamespaceMode.NEW, NamespaceType.UTS, NamespaceMode.NEW,
				NamespaceType.IPC, NamespaceMode.NEW, NamespaceType.PID, NamespaceMode.NEW,
				NamespaceType.NET, NamespaceMode.NEW, NamespaceType.USER, NamespaceMode.NEW,
				NamespaceType.CGROUP, NamespaceMode.NEW, NamespaceType.TIME, NamespaceMode.HOST), modes);
		assertFalse(s.isPrivileged(), "a container's root is nobody on the host unless the user asks otherwise");
		assertTrue(s.idBlock().isEmpty(), "no block before the engine allocates one");
		assertEquals(List.of(NamespaceType.values()), List.copyOf(s.namespaces().keySet()));
	}

	@Test
	void canonicalConstructorNormalisesNulls() {
		ContainerSpec s = new ContainerSpec("c1", null, null, null, List.of(), null, null, null, 0, 0, null, null,
				null, null, false, null);
		assertEquals(ContainerSpec.builder("c1").build(), s);
		assertEquals("default", s.seccomp());
	}

	@Test
	void netFollowsHostNetwork() {
		assertEquals(NamespaceMode.HOST,
				ContainerSpec.builder("c1").network(NetworkSpec.HOST).build().mode(NamespaceType.NET));
		assertEquals(NamespaceMode.NEW,
				ContainerSpec.builder("c1").network(NetworkSpec.veth(null, null)).build().mode(NamespaceType.NET));
		// an explicit choice wins (the validator then says it conflicts)
		assertEquals(NamespaceMode.NEW, ContainerSpec.builder("c1").network(NetworkSpec.HOST)
				.namespace(NamespaceType.NET, NamespaceMode.NEW).build().mode(NamespaceType.NET));
	}

	@Test
	void rootfsWithoutTemplateIsUsedAsIs() {
		ContainerSpec s = ContainerSpec.builder("c1").rootfs(" /srv/c1 ").build();
		assertNull(s.template());
		assertEquals("/srv/c1", s.rootfs());
		assertEquals("busybox", ContainerSpec.builder("c1").template("  ").build().template());
	}

	@Test
	void collectionsAreCopiedAndUnmodifiable() {
		List<String> init = new ArrayList<>(List.of("/sbin/init"));
		Set<String> caps = new HashSet<>(Set.of("CAP_NET_RAW"));
		List<IdMap> maps = new ArrayList<>(List.of(IdMap.parse("0 100000 65536")));
		Map<NamespaceType, NamespaceSpec> ns = new EnumMap<>(NamespaceType.class);
		ns.put(NamespaceType.USER, NamespaceSpec.ofNew(NamespaceType.USER));
		ContainerSpec s = new ContainerSpec("c1", ContainerKind.SYSTEM, "busybox", null, init, ns, maps, maps, 0, 0,
				Limits.NONE, NetworkSpec.NONE, caps, "SIGUSR2", false, "default");
		init.add("single");
		caps.add("CAP_SYS_ADMIN");
		maps.add(IdMap.parse("65536 300000 1"));
		ns.put(NamespaceType.NET, NamespaceSpec.host(NamespaceType.NET));
		assertEquals(List.of("/sbin/init"), s.init());
		assertEquals(Set.of("CAP_NET_RAW"), s.dropCapabilities());
		assertEquals(1, s.uidMaps().size());
		assertEquals(NamespaceMode.NEW, s.mode(NamespaceType.NET));
		assertThrows(UnsupportedOperationException.class, () -> s.init().add("x"));
		assertThrows(UnsupportedOperationException.class, () -> s.dropCapabilities().add("CAP_BPF"));
		assertThrows(UnsupportedOperationException.class, () -> s.uidMaps().clear());
		assertThrows(UnsupportedOperationException.class,
				() -> s.namespaces().put(NamespaceType.NET, NamespaceSpec.host(NamespaceType.NET)));
		assertThrows(UnsupportedOperationException.class, () -> ContainerSpec.DEFAULT_DROPPED_CAPABILITIES.clear());
	}

	@Test
	void builderDoesNotLeakIntoBuiltSpecs() {
		ContainerSpec.Builder b = ContainerSpec.builder("c1").init("/sbin/init");
		ContainerSpec first = b.build();
		b.namespace(NamespaceType.PID, NamespaceMode.HOST).uidMap(IdMap.parse("0 1 1"));
		assertEquals(NamespaceMode.NEW, first.mode(NamespaceType.PID));
		assertEquals(List.of(), first.uidMaps());
	}

	@Test
	void namesAreNormalised() {
		ContainerSpec s = ContainerSpec.builder("c1").dropCapabilities(Set.of("net_raw", " Cap_Bpf ")).haltSignal("37")
				.build();
		assertEquals(List.of("CAP_BPF", "CAP_NET_RAW"), List.copyOf(s.dropCapabilities()));
		assertEquals("SIGRTMIN+3", s.haltSignal());
		assertEquals("SIGUSR1", ContainerSpec.builder("c1").haltSignal("usr1").build().haltSignal());
		assertEquals("SIGNOPE", ContainerSpec.builder("c1").haltSignal(" signope ").build().haltSignal());
		assertEquals(Set.of(), ContainerSpec.builder("c1").dropCapabilities(Set.of()).build().dropCapabilities());
		assertEquals("/etc/berth/strict", ContainerSpec.builder("c1").seccomp(" /etc/berth/strict ").build().seccomp());
		assertEquals("default", ContainerSpec.builder("c1").seccomp(" ").build().seccomp());
		assertEquals("unconfined", ContainerSpec.builder("c1").seccomp("unconfined").build().toBuilder().build()
				.seccomp());
	}

	@Test
	void namespaceMustSitUnderItsType() {
		Map<NamespaceType, NamespaceSpec> ns = Map.of(NamespaceType.NET, NamespaceSpec.host(NamespaceType.PID));
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> new ContainerSpec("c1", null, null, null, null, ns, null, null, 0, 0, null, null, null, null,
						false, null));
		assertEquals("the namespace setting pid=host is stored under net; each setting belongs under its own type",
				e.getMessage());
	}

	@Test
	void toBuilderRoundTrip() {
		ContainerSpec full = CommandLinesTest.full();
		assertEquals(full, full.toBuilder().build());
		ContainerSpec plain = ContainerSpec.builder("c1").build();
		assertEquals(plain, plain.toBuilder().build());
		assertEquals(ContainerSpec.builder("c2").build(), plain.toBuilder().name("c2").build());
	}

	@Test
	void toBuilderLetsDefaultsFollowTheNetwork() {
		ContainerSpec plain = ContainerSpec.builder("c1").build();
		assertEquals(NamespaceMode.HOST,
				plain.toBuilder().network(NetworkSpec.HOST).build().mode(NamespaceType.NET));
		ContainerSpec explicit = ContainerSpec.builder("c1").share(NamespaceType.NET, "web").build();
		assertEquals(NamespaceSpec.share(NamespaceType.NET, "web"),
				explicit.toBuilder().network(NetworkSpec.HOST).build().namespace(NamespaceType.NET));
		assertEquals(List.of(NamespaceSpec.share(NamespaceType.NET, "web")), explicit.nonDefaultNamespaces());
	}

	@Test
	void withers() {
		ContainerSpec s = ContainerSpec.builder("c1").build();
		Limits l = Limits.NONE.withPids(10L);
		assertEquals(l, s.withLimits(l).limits());
		assertEquals("c9", s.withName("c9").name());
		assertEquals(s, s.withLimits(l).withLimits(Limits.NONE));
	}

	@Test
	void limitsWithers() {
		Limits l = Limits.NONE.withMemoryBytes(1L).withMemorySwapBytes(2L).withCpus(0.5).withCpuWeight(50)
				.withCpuset(" 0-1 ").withPids(7L);
		assertEquals(new Limits(1L, 2L, 0.5, 50, "0-1", 7L), l);
		assertTrue(Limits.NONE.isUnlimited());
		assertFalse(l.isUnlimited());
		assertTrue(l.withMemoryBytes(null).withMemorySwapBytes(null).withCpus(null).withCpuWeight(null)
				.withCpuset("").withPids(null).isUnlimited());
	}

	@Test
	void networkSpecKeepsBridgeAndAddressOnlyForVeth() {
		assertEquals(NetworkSpec.NONE, new NetworkSpec(NetworkMode.NONE, "br0", "10.0.0.2/24"));
		assertEquals(new NetworkSpec(NetworkMode.VETH, null, null), NetworkSpec.veth(" ", ""));
		assertEquals("br0", NetworkSpec.veth(" br0 ", null).bridge());
		assertEquals(NetworkMode.VETH, NetworkMode.parse("VETH"));
		assertEquals("\"wifi\" is not a network mode; use none, host or veth",
				assertThrows(IllegalArgumentException.class, () -> NetworkMode.parse("wifi")).getMessage());
	}
}
