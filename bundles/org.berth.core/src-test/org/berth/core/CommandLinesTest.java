package org.berth.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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
    void everythingIsWritten() {
        ContainerSpec spec = full();
        assertEquals(List.of("berth", "create", "web-2", "--kind", "application", "--template", "alpine",
                "--rootfs", "/srv/web 2", "--ns", "pid=share:web", "--ns", "user=new",
                "--ns", "time=new", "--uidmap", "0:100000:65536", "--gidmap", "0:100000:65536",
                "--monotonic-offset", "3600", "--boottime-offset", "-60",
                "--memory", "1536M", "--memory-swap", "2G", "--cpus", "1.25", "--cpu-weight", "200",
                "--cpuset", "0-1,3", "--pids", "512", "--network", "veth", "--bridge", "br0",
                "--address", "10.88.0.5/24", "--cap-drop", "CAP_NET_RAW", "--cap-keep", "CAP_SYS_TIME",
                "--halt-signal", "SIGRTMIN+3", "--autostart", "--", "/bin/sh", "-c", "echo it's up"),
                CommandLines.createCommand(spec));
        assertEquals("berth create web-2 --kind application --template alpine --rootfs '/srv/web 2'"
                + " --ns pid=share:web --ns user=new --ns time=new --uidmap 0:100000:65536"
                + " --gidmap 0:100000:65536 --monotonic-offset 3600 --boottime-offset -60 --memory 1536M"
                + " --memory-swap 2G --cpus 1.25 --cpu-weight 200 --cpuset 0-1,3 --pids 512 --network veth"
                + " --bridge br0 --address 10.88.0.5/24 --cap-drop CAP_NET_RAW --cap-keep CAP_SYS_TIME"
                + " --halt-signal SIGRTMIN+3 --autostart -- /bin/sh -c 'echo it'\\''s up'",
                CommandLines.createCommandLine(spec));
    }

    static ContainerSpec full() {
        return ContainerSpec.builder("web-2").kind(ContainerKind.APPLICATION).template("alpine").rootfs("/srv/web 2")
                .share(NamespaceType.PID, "web").network(NetworkSpec.veth("br0", "10.88.0.5/24"))
                .namespace(NamespaceType.NET, NamespaceMode.NEW).userNamespace(100000, 65536)
                .namespace(NamespaceType.TIME, NamespaceMode.NEW).monotonicOffsetSeconds(3600)
                .boottimeOffsetSeconds(-60)
                .limits(new Limits(1536 * Sizes.MIB, 2 * Sizes.GIB, 1.25, 200, "0-1,3", 512L))
                .dropCapabilities(Set.of("CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_MAC_ADMIN", "CAP_MAC_OVERRIDE",
                        "CAP_NET_RAW"))
                .haltSignal("SIGRTMIN+3").autostart(true).init("/bin/sh", "-c", "echo it's up").build();
    }

    static Stream<ContainerSpec> specs() {
        return Stream.of(
                ContainerSpec.builder("c1").build(),
                full(),
                ContainerSpec.builder("raw").rootfs("/srv/raw").build(),
                ContainerSpec.builder("h").network(NetworkSpec.HOST).namespace(NamespaceType.UTS, NamespaceMode.HOST)
                        .build(),
                ContainerSpec.builder("n").network(NetworkSpec.HOST).namespace(NamespaceType.NET, NamespaceMode.NEW)
                        .build(),
                ContainerSpec.builder("v").network(NetworkSpec.veth(null, null)).build(),
                ContainerSpec.builder("caps").dropCapabilities(Set.of()).haltSignal("SIGPWR").build(),
                ContainerSpec.builder("odd").limits(Limits.NONE.withMemoryBytes(1000L).withCpus(0.001))
                        .init("/sbin/init", "--", "").build());
    }

    @ParameterizedTest
    @MethodSource("specs")
    void roundTrip(ContainerSpec spec) {
        assertEquals(spec, CommandLines.parseCreateCommand(CommandLines.createCommand(spec)));
    }

    @Test
    void parsesOptionForms() {
        ContainerSpec spec = CommandLines.parseCreateArguments(List.of("--memory=1G", "c1", "--bridge", "br0",
                "--cap-drop", "net_raw", "--kind", "app"));
        assertEquals("c1", spec.name());
        assertEquals(Sizes.GIB, spec.limits().memoryBytes());
        assertEquals(NetworkSpec.veth("br0", null), spec.network());
        assertEquals(ContainerKind.APPLICATION, spec.kind());
        assertEquals(Set.of("CAP_MAC_ADMIN", "CAP_MAC_OVERRIDE", "CAP_NET_RAW", "CAP_SYS_MODULE", "CAP_SYS_RAWIO",
                "CAP_SYS_TIME"), spec.dropCapabilities());
        assertEquals("busybox", spec.template());
        assertNull(spec.init());
    }

    @Test
    void parseErrorsAreSentences() {
        assertParseError("unknown option \"--foo\" for berth create", "c1", "--foo", "x");
        assertParseError("unknown option \"-m\" for berth create", "c1", "-m", "1G");
        assertParseError("option --memory needs a value", "c1", "--memory");
        assertParseError("berth create needs a container name, e.g. berth create c1", "--memory", "1G");
        assertParseError("unexpected argument \"/sbin/init\"; put the init command after --, e.g. berth create c1"
                + " -- /sbin/init", "c1", "/sbin/init");
        assertParseError("--ns net is given twice (net=host and net=new); give it once", "c1", "--ns", "net=host",
                "--ns", "net=new");
        assertParseError("--bridge and --address need --network veth, not --network host", "c1", "--network", "host",
                "--bridge", "br0");
        assertParseError("\"lots\" is not a size; use a number with an optional unit K, M, G or T, e.g. 256M", "c1",
                "--memory", "lots");
        assertParseError("--pids needs a whole number, not \"many\"", "c1", "--pids", "many");
        assertParseError("--autostart takes no value", "c1", "--autostart=yes");
        assertParseError("-- must be followed by the init command, e.g. -- /sbin/init", "c1", "--");
        assertEquals("\"berth start c1\" is not a berth create command; it starts with berth create NAME",
                assertThrows(IllegalArgumentException.class,
                        () -> CommandLines.parseCreateCommand(List.of("berth", "start", "c1"))).getMessage());
    }

    private static void assertParseError(String message, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.parseCreateArguments(List.of(args)));
        assertEquals(message, e.getMessage());
    }

    @Test
    void shellQuoting() {
        assertEquals("ls -l /tmp", CommandLines.shellQuote(List.of("ls", "-l", "/tmp")));
        assertEquals("echo '' 'a b' 'it'\\''s' '$HOME' 'x;y' '*'",
                CommandLines.shellQuote(List.of("echo", "", "a b", "it's", "$HOME", "x;y", "*")));
        assertEquals("", CommandLines.shellQuote(List.of()));
    }
}
